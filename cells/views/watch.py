"""The watch list: units rated good or better that still carry early-warning signals.

Ratings live in `assessments`, which `cells` must not import. The rated units come from the
callable named by `settings.VANLANG_WATCH_LIST_RATINGS`: `(year, organization_ids) ->
{organization_id: level label}` for those rated good or above that year. Until it is set,
every unit with a signal is listed and the page says that ratings are not taken into account.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.views.generic import TemplateView

from cells.access import Perm, ScopedMixin
from cells.models import Organization
from cells.signals import admission_signals, meeting_signals
from cells.views.meetings import year_or_404


def rated_good_or_above(year: int, organization_ids) -> dict[int, str] | None:
    dotted = getattr(settings, "VANLANG_WATCH_LIST_RATINGS", None)
    return import_string(dotted)(year, organization_ids) if dotted else None


class WatchListView(ScopedMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "cells/watch_list.html"

    def get_context_data(self, **kwargs):
        year = year_or_404(self.kwargs["year"])
        units = list(
            self.scoped(Organization.objects.grassroots())
            .active_in(year)
            .order_by("name_folded")
            .only("id", "code", "name")
        )
        ids = [unit.pk for unit in units]
        ratings = rated_good_or_above(year, ids)
        if ratings is not None:
            units = [unit for unit in units if unit.pk in ratings]
            ids = [unit.pk for unit in units]
        meetings = meeting_signals(year=year, organization_ids=ids)
        admissions = admission_signals(year=year, organization_ids=ids)
        rows = [
            {
                "unit": unit,
                "level": ratings.get(unit.pk) if ratings else None,
                "reasons": meetings.get(unit.pk, []) + admissions.get(unit.pk, []),
            }
            for unit in units
            if unit.pk in meetings or unit.pk in admissions
        ]
        kwargs.update(year=year, years=range(year - 2, year + 3), rows=rows, ratings_known=ratings is not None)
        return super().get_context_data(**kwargs)
