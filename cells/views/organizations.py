from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cells import import_uploads
from cells.access import Perm, ScopedMixin
from cells.forms.organizations import OrganizationImportForm
from cells.importing import KIND_NAMES, SECTOR_NAMES, organizations_import
from cells.lifespan import ended_notice
from cells.models import Organization, Run
from cells.params import text_param
from cells.queries import ancestors_within, children_of, search_organizations
from cells.runs import QUEUE_DOWN, run_start


class TreeView(ScopedMixin, TemplateView):
    """The browsable tree, opened at the user's scope; branches load as they are opened."""

    permission = Perm.VIEW
    template_name = "cells/organization_tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(root=self.scope, children=children_of(self.scope), **kwargs)


class ChildrenView(ScopedMixin, TemplateView):
    """One branch of the tree, as an HTML fragment."""

    permission = Perm.VIEW
    template_name = "cells/organization_children.html"

    def get_context_data(self, **kwargs):
        organization = self.get_organization(self.kwargs["org_code"])
        return super().get_context_data(root=organization, children=children_of(organization), **kwargs)


class OrganizationDetailView(ScopedMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "cells/organization_detail.html"
    children_per_page = 100

    def get_context_data(self, **kwargs):
        organization = self.get_organization(self.kwargs["org_code"])
        page = Paginator(children_of(organization), self.children_per_page).get_page(self.request.GET.get("page"))
        panels = []
        for dotted in getattr(settings, "VANLANG_ORGANIZATION_PANELS", []):
            panel = import_string(dotted)(request=self.request, organization=organization, scope=self.scope)
            if panel:
                panels.append(panel)
        return super().get_context_data(
            organization=organization,
            ancestors=ancestors_within(organization, self.scope),
            children_page=page,
            predecessors=[(p, p.is_within(self.scope)) for p in organization.predecessors.all()],
            successor_in_scope=organization.successor_id is not None and organization.successor.is_within(self.scope),
            notice=ended_notice(organization, self.scope),
            panels=panels,
            **kwargs,
        )


class SearchView(ScopedMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "cells/organization_search.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        query = text_param(self.request, "q")
        results = search_organizations(self.scoped(Organization.objects.all()), query) if query else None
        page = Paginator(results, self.per_page).get_page(self.request.GET.get("page")) if results is not None else None
        return super().get_context_data(query=query, page=page, **kwargs)


class OrganizationImportView(ScopedMixin, TemplateView):
    """Upload a file of organizations, see its problems or a preview, then confirm.

    The uploaded file waits in MEDIA_ROOT between the preview and the confirmation, named by a
    random token that only this user's session knows. Confirming claims the file by renaming
    it, so a second click or a re-posted form finds nothing to import and changes nothing.
    """

    permission = Perm.MANAGE_ORGANIZATIONS
    template_name = "cells/organization_import.html"
    session_key = "organization_imports"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", OrganizationImportForm())
        return super().get_context_data(scope=self.scope, kind_names=KIND_NAMES, sector_names=SECTOR_NAMES, **kwargs)

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request, request.POST["token"])
        form = OrganizationImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, path = import_uploads.store(form.cleaned_data["file"])
        try:
            result = organizations_import(path=path, dry_run=True, scope=self.scope)
        except BaseException:
            import_uploads.discard(path)  # never left behind in media/imports
            raise
        if not result.ok or not (result.created or result.updated):
            # Nothing to confirm: the problems are listed, or the file changes nothing.
            import_uploads.discard(path)
            return self.render_to_response(
                self.get_context_data(form=form, result=result, file_name=form.cleaned_data["file"].name)
            )
        pending = request.session.get(self.session_key, {})
        pending[token] = form.cleaned_data["file"].name
        # A few previews may wait at once (several tabs); older ones expire.
        request.session[self.session_key] = dict(list(pending.items())[-5:])
        return self.render_to_response(
            self.get_context_data(result=result, token=token, file_name=form.cleaned_data["file"].name)
        )

    def confirm(self, request, token):
        pending = request.session.get(self.session_key, {})
        file_name = pending.pop(token, None)
        request.session[self.session_key] = pending
        claimed = import_uploads.claim(token) if file_name else None
        if claimed is None:
            messages.info(
                request,
                _("This file has already been imported, or its preview has expired. Upload it again to check it."),
            )
            return redirect("cells:import")
        # A national file takes longer than a request may: the import is a background run,
        # followed on its own page (which survives a reload).
        run = run_start(
            kind=Run.Kind.IMPORT_ORGANIZATIONS,
            scope=self.scope,
            user=request.user,
            params={"path": str(claimed), "file_name": file_name, "remote_addr": request.META.get("REMOTE_ADDR")},
        )
        run.refresh_from_db()
        if run.waiting_for_queue:
            messages.warning(request, QUEUE_DOWN)
        return redirect("cells:import_run", run_id=run.pk)


class OrganizationImportRunView(ScopedMixin, TemplateView):
    """A confirmed organization import: its progress, then what it did or why nothing was written."""

    permission = Perm.MANAGE_ORGANIZATIONS
    template_name = "cells/organization_import_run.html"

    def get_context_data(self, **kwargs):
        run = self.get_scoped_or_404(
            Run.objects.filter(kind=Run.Kind.IMPORT_ORGANIZATIONS).select_related("scope"), pk=self.kwargs["run_id"]
        )
        return super().get_context_data(run=run, file_name=run.params.get("file_name", ""), **kwargs)
