from django.conf import settings
from django.core.paginator import Paginator
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cells import import_uploads
from cells.access import Perm, ScopedMixin
from cells.forms.organizations import OrganizationImportForm
from cells.importing import KIND_NAMES, SECTOR_NAMES, organizations_import
from cells.lifespan import ended_notice
from cells.models import Organization, Run
from cells.params import text_param
from cells.queries import ancestors_within, children_of, search_organizations
from cells.views.imports import ImportPages, ImportRunView, ImportView

TREE = gettext_lazy("Organization tree")


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


ORGANIZATION_IMPORT = ImportPages(
    Run.Kind.IMPORT_ORGANIZATIONS, "cells:import", gettext_lazy("Import organizations"), "cells:tree", TREE
)


class OrganizationImportView(ImportView):
    """Upload a file of organizations, see its problems or a preview, then confirm.

    Unlike the other imports its preview is made in the request and lists each change: a
    district's tree of a few thousand rows takes a moment.
    """

    permission = Perm.MANAGE_ORGANIZATIONS
    pages = ORGANIZATION_IMPORT
    template_name = "cells/organization_import.html"
    form_class = OrganizationImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind_names=KIND_NAMES, sector_names=SECTOR_NAMES, **kwargs)

    def preview(self, form, token, path):
        file_name = form.cleaned_data["file"].name
        try:
            result = organizations_import(path=path, dry_run=True, scope=self.scope)
        except BaseException:
            import_uploads.discard(path)  # never left behind in media/imports
            raise
        if not result.ok or not (result.created or result.updated):
            # Nothing to confirm: the problems are listed, or the file changes nothing.
            import_uploads.discard(path)
            return self.render_to_response(self.get_context_data(form=form, result=result, file_name=file_name))
        import_uploads.pending_add(self.request.session, self.pages.session_key, token, file_name)
        return self.render_to_response(self.get_context_data(result=result, token=token, file_name=file_name))


class OrganizationImportRunView(ImportRunView):
    """A confirmed organization import: its progress, then what it did or why nothing was written."""

    permission = Perm.MANAGE_ORGANIZATIONS
    pages = ORGANIZATION_IMPORT
