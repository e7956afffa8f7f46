from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.views.generic import TemplateView, View

from cells.access import Perm, ScopedMixin
from cells.models import Organization
from cells.queries import ancestors_within, children_of, search_organizations


class HomeView(ScopedMixin, View):
    permission = Perm.VIEW

    def get(self, request):
        return redirect("cells:detail", org_code=self.scope.code)


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
            predecessors=list(organization.predecessors.all()) if organization.pk else [],
            panels=panels,
            **kwargs,
        )


class SearchView(ScopedMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "cells/organization_search.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        results = search_organizations(self.scoped(Organization.objects.all()), query) if query else None
        page = Paginator(results, self.per_page).get_page(self.request.GET.get("page")) if results is not None else None
        return super().get_context_data(query=query, page=page, **kwargs)
