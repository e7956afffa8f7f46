"""The watch list: units rated good or better that still carry early-warning signals.

Ratings live in `assessments`, which `cells` must not import. The rated units come from the
callable named by `settings.VANLANG_WATCH_LIST_RATINGS`: `(year) -> queryset` of the final
results rated good or above that year, with `organization_id` and `label` values. Until it is
set, every unit with a signal is listed and the page says that ratings are not taken into account.

A national scope holds ~55,000 grassroots organizations: the database decides which carry a
signal, in name order, for one page at a time (`cells.signals.with_signals`); the reason
sentences are written for the page's units only.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.views.generic import TemplateView

from cells.access import Perm, ScopedMixin
from cells.models import Organization
from cells.paging import NextPagePaginator
from cells.signals import admission_signals, meeting_signals, with_signals
from cells.views.meetings import year_or_404


def ratings_in(year: int) -> QuerySet | None:
    dotted = getattr(settings, "VANLANG_WATCH_LIST_RATINGS", None)
    return import_string(dotted)(year) if dotted else None


class WatchListView(ScopedMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "cells/watch_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        year = year_or_404(self.kwargs["year"])
        units = self.scoped(Organization.objects.grassroots()).active_in(year)
        ratings = ratings_in(year)
        if ratings is not None:
            units = units.filter(pk__in=ratings.values("organization_id"))
        # 1 query: the page's units (one row more, for "next"), no count over the scope.
        listed = with_signals(units, year=year).order_by("name_folded", "pk").only("id", "code", "name")
        page = NextPagePaginator(listed, self.per_page).get_page(self.request.GET.get("page"))
        ids = [unit.pk for unit in page]
        labels = {}
        if ratings is not None and ids:  # 1 query: the page's labels
            labels = dict(ratings.filter(organization_id__in=ids).values_list("organization_id", "label"))
        meetings = meeting_signals(year=year, organization_ids=ids)  # 1 query
        admissions = admission_signals(year=year, organization_ids=ids)  # 1 query
        rows = [
            {
                "unit": unit,
                "level": labels.get(unit.pk),
                "reasons": meetings.get(unit.pk, []) + admissions.get(unit.pk, []),
            }
            for unit in page
        ]
        kwargs.update(
            year=year, years=range(year - 2, year + 3), page=page, rows=rows, ratings_known=ratings is not None
        )
        return super().get_context_data(**kwargs)
