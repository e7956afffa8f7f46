"""The shape of every web import: upload a table, see its preview, confirm, follow the run.

1. The upload is checked (`cells.uploads.check_table`: size, type, a workbook's parts) and saved
   under a random token that only the uploader's session knows (`cells.import_uploads`).
2. The preview reads the whole file as a background run that writes nothing (`params["preview"]`),
   on its own page: a request never does work that grows with the file. It lists the row errors
   with how to fix them, or what the import will do.
3. Confirming claims the file (renaming is atomic: a second click finds nothing) and queues the
   import itself as another run of the same kind. Both pages follow their run and survive a reload;
   with the queue down the run stays queued and the sweep sends it when the queue is back.

An app's import subclasses `ImportView` and `ImportRunView`, both naming its `ImportPages`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cells import import_uploads
from cells.access import Perm, ScopedMixin
from cells.models import Run
from cells.once import SubmitOnceMixin
from cells.runs import QUEUE_DOWN, run_start


@dataclass(frozen=True)
class ImportPages:
    """What an import's two pages share: the kind of its runs, the upload page's URL name (its
    run page is that name + "_run"), its title, and the page it belongs to with its name."""

    kind: str
    url_name: str
    title: str
    back_url_name: str
    back_label: str

    @property
    def run_url_name(self) -> str:
        return f"{self.url_name}_run"

    @property
    def session_key(self) -> str:
        """Where the session keeps its uploads waiting for confirmation."""
        return f"imports_{self.kind}"


class ImportMixin:
    pages: ImportPages

    def get_context_data(self, **kwargs):
        return super().get_context_data(scope=self.scope, pages=self.pages, url_name=self.pages.url_name, **kwargs)


class ImportView(ImportMixin, ScopedMixin, SubmitOnceMixin, TemplateView):
    """The upload form; a checked upload starts its preview, a confirmation starts the import."""

    permission = Perm.IMPORT_FILES
    template_name = "imports/upload.html"
    form_class = None
    help_template = ""  # what the file must hold

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form_class())
        return super().get_context_data(help_template=self.help_template, **kwargs)

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request, request.POST["token"])
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, path = import_uploads.store(form.cleaned_data["file"])
        return self.preview(form, token, path)

    def preview(self, form, token, path):
        """The whole file read as a background run that writes nothing, followed on its page."""
        file_name = form.cleaned_data["file"].name
        import_uploads.pending_add(self.request.session, self.pages.session_key, token, file_name)
        run = self.start(params={"path": str(path), "file_name": file_name, "token": token, "preview": True})
        return redirect(self.pages.run_url_name, run_id=run.pk)

    def confirm(self, request, token):
        file_name = import_uploads.pending_take(request.session, self.pages.session_key, token)
        claimed = import_uploads.claim(token) if file_name else None
        if claimed is None:
            messages.info(
                request,
                _("This file has already been imported, or its preview has expired. Upload it again to check it."),
            )
            return redirect(self.pages.url_name)
        run = self.start(params={"path": str(claimed), "file_name": file_name})
        return redirect(self.pages.run_url_name, run_id=run.pk)

    def start(self, *, params: dict) -> Run:
        run = run_start(
            kind=self.pages.kind,
            scope=self.scope,
            user=self.request.user,
            params={**params, "remote_addr": self.request.META.get("REMOTE_ADDR")},
        )
        run.refresh_from_db()
        if run.waiting_for_queue:
            messages.warning(self.request, QUEUE_DOWN)
        return run


class ImportRunView(ImportMixin, ScopedMixin, SubmitOnceMixin, TemplateView):
    """A preview or an import: its progress, then its row errors, what it will do, or what it did."""

    permission = Perm.IMPORT_FILES
    template_name = "imports/run.html"
    changes_template = ""  # what a done check lists of its changes (from its params), if anything

    def get_context_data(self, **kwargs):
        run = self.get_scoped_or_404(
            Run.objects.filter(kind=self.pages.kind).select_related("scope"), pk=self.kwargs["run_id"]
        )
        preview = bool(run.params.get("preview"))
        token = run.params.get("token", "")
        changes = bool(run.counts.get("created") or run.counts.get("updated"))
        # Only the uploader's session may confirm, once: the token is forgotten as it is claimed.
        confirmable = (
            preview
            and run.state == Run.State.DONE
            and changes
            and import_uploads.pending_has(self.request.session, self.pages.session_key, token)
        )
        return super().get_context_data(
            run=run,
            preview=preview,
            changes=changes,
            token=token if confirmable else "",
            file_name=run.params.get("file_name", ""),
            changes_template=self.changes_template,
            problems=run.error.splitlines() if run.state == Run.State.FAILED else [],
            **kwargs,
        )
