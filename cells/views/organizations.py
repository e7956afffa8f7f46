from django.conf import settings
from django.core.paginator import Paginator
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cells.access import Perm, ScopedMixin
from cells.forms.organizations import OrganizationImportForm
from cells.importing import KIND_NAMES, SECTOR_NAMES
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


# The kinds of change an organization check lists (cells.import_uploads.CHANGE_KINDS), in this order.
CHANGE_LABELS = {
    "created": gettext_lazy("New organizations"),
    "moved": gettext_lazy("Moved to another parent"),
    "renamed": gettext_lazy("Renamed"),
    "ended": gettext_lazy("Ended"),
    "other": gettext_lazy("Other changes"),
}

ORGANIZATION_IMPORT = ImportPages(
    Run.Kind.IMPORT_ORGANIZATIONS, "cells:import", gettext_lazy("Import organizations"), "cells:tree", TREE
)


class OrganizationImportView(ImportView):
    """Upload a file of organizations; its check is a background run whose page lists the row
    errors, or each kind of change (created, moved, renamed, ended) before the import is confirmed."""

    permission = Perm.MANAGE_ORGANIZATIONS
    pages = ORGANIZATION_IMPORT
    form_class = OrganizationImportForm
    help_template = "cells/_organization_import_help.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind_names=KIND_NAMES, sector_names=SECTOR_NAMES, **kwargs)


class OrganizationImportRunView(ImportRunView):
    """An organization file's check, with its change lists, or its import, followed to its end."""

    permission = Perm.MANAGE_ORGANIZATIONS
    pages = ORGANIZATION_IMPORT
    changes_template = "cells/_organization_import_changes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = context["run"].params.get("changes") or {}
        kinds = summary.get("kinds", {})
        context["change_lists"] = [
            (kind, label, kinds[kind]["count"], kinds[kind]["listed"])
            for kind, label in CHANGE_LABELS.items()
            if kinds.get(kind, {}).get("count")
        ]
        context["changes_complete"] = summary.get("complete", True)
        context["changes_sorted"] = summary.get("sorted", 0)
        return context
