import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from assessments import queries
from assessments.forms import ClassificationImportForm, YearEntryForm
from assessments.models import LEVEL_RANK, Level
from assessments.rules import RULE_SETS, gloss, rule_set_for
from assessments.services import classifications_write
from cells.access import Perm, ScopedMixin, has_perm, may_classify_for
from cells.lifespan import ended_notice
from cells.models import Organization, Run
from cells.once import SubmitOnceMixin
from cells.runs import QUEUE_DOWN, runs_waiting_for_queue
from cells.views.imports import ImportPages, ImportRunView, ImportView

FIRST_YEAR = 2000


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= datetime.date.today().year + 1:
        raise Http404
    return year


class YearIndexView(ScopedMixin, View):
    """The scope's most recent year with results, or last year."""

    permission = Perm.VIEW

    def get(self, request):
        year = queries.latest_year(root=self.scope) or datetime.date.today().year - 1
        return redirect("assessments:year", org_code=self.scope.code, year=year)


class YearView(ScopedMixin, SubmitOnceMixin, TemplateView):
    """A scope's year in numbers: levels, good-or-above share, sectors, trend, changes, guideline."""

    permission = Perm.VIEW
    template_name = "assessments/classification_year.html"
    LIST_LIMIT = 200

    def get_context_data(self, **kwargs):
        kwargs = {k: v for k, v in kwargs.items() if k not in ("org_code", "year")}
        organization = self.get_organization(self.kwargs["org_code"])
        year = _year_or_404(self.kwargs["year"])
        rule_set = rule_set_for(year)
        figures = queries.year_figures(year=year, root=organization)
        summary = figures["summary"]
        trend = queries.trend(root=organization)
        levels = [
            {
                "code": level.value,
                "label": rule_set.label(level),
                "gloss": gloss(rule_set.label(level)),
                "count": summary["by_level"][level.value],
            }
            for level in Level
        ]
        chart = {
            "years": [row["year"] for row in trend],
            "levels": [
                {
                    "code": level.value,
                    "label": str(level.label),
                    "counts": [row["by_level"][level.value] for row in trend],
                }
                for level in Level
            ],
            "percent": [float(row["percent"]) if row["percent"] is not None else None for row in trend],
            "percent_label": _("Good or above (%)"),
        }
        # A national scope lists thousands: the page shows the first LIST_LIMIT of each list.
        changed = list(queries.changed_since_last_year(year=year, root=organization)[: self.LIST_LIMIT + 1])
        weak = list(queries.weak_results(year=year, root=organization)[: self.LIST_LIMIT + 1])
        for result in changed:
            result.improved = LEVEL_RANK[result.level] > LEVEL_RANK[result.previous_level]
        return super().get_context_data(
            organization=organization,
            year=year,
            rule_set=rule_set,
            summary=summary,
            levels=levels,
            sectors=figures["sectors"],
            trend=trend,
            chart=chart,
            changed=changed[: self.LIST_LIMIT],
            changed_more=len(changed) > self.LIST_LIMIT,
            weak=weak[: self.LIST_LIMIT],
            weak_more=len(weak) > self.LIST_LIMIT,
            list_limit=self.LIST_LIMIT,
            guideline=figures["guideline"],
            drafts=figures["drafts"],
            counts_cells=organization.is_grassroots,
            can_enter=has_perm(self.request.user, Perm.ENTER_CLASSIFICATIONS) and self.can_enter(organization),
            notice=ended_notice(organization, self.scope, year=year, url_name="assessments:year"),
            **kwargs,
        )

    @staticmethod
    def can_enter(organization: Organization) -> bool:
        return organization.kind in (Organization.Kind.UPPER_COMMITTEE, Organization.Kind.GRASSROOTS_COMMITTEE)


class YearEntryView(ScopedMixin, TemplateView):
    """Entering a whole year for one committee on one page, saved together."""

    permission = Perm.ENTER_CLASSIFICATIONS
    template_name = "assessments/classification_entry.html"

    def setup_entry(self):
        self.organization = self.get_organization(self.kwargs["org_code"])
        if not YearView.can_enter(self.organization):
            raise Http404
        if not may_classify_for(self.role, self.organization):
            raise PermissionDenied
        self.year = _year_or_404(self.kwargs["year"])
        self.units = list(queries.entry_units(organization=self.organization, year=self.year))
        self.existing = queries.entry_results(organization=self.organization, year=self.year)

    def form(self, data=None):
        return YearEntryForm(data, units=self.units, existing=self.existing, year=self.year)

    def get(self, request, *args, **kwargs):
        self.setup_entry()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        self.setup_entry()
        form = self.form(request.POST)
        if not form.is_valid():
            # The page's error summary says what is wrong and links to each field: no second alert.
            return self.render_to_response(self.get_context_data(form=form))
        finalize = request.POST.get("action") == "final"
        for row in form.result_rows:
            row.deciding_body_id = self.organization.pk
        saved_at = timezone.now()
        result = classifications_write(
            rows=form.result_rows,
            existing={(pk, self.year): c for pk, c in self.existing.items()},
            finalize=finalize,
            user=request.user,
            decision_number=form.cleaned_data.get("decision_number") or "",
            decision_date=form.cleaned_data.get("decision_date"),
        )
        for pk, warnings in form.warnings.items():
            name = next(unit.name for unit in self.units if unit.pk == pk)
            for warning in warnings:
                messages.warning(request, f"{name}: {warning}")
        for warning in queries.guideline_warnings(year=self.year, root=self.organization, final=False):
            messages.warning(
                request,
                _(
                    "%(name)s: %(excellent)s units rated excellent against %(good)s rated good. The guideline "
                    "(Hướng dẫn 21-HD/BTCTW) says excellent units should not exceed 20%% of good ones: "
                    "review the results."
                )
                % warning,
            )
        text = _("Saved: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if finalize:
            text = f"{text} " + _("The results are final; the consolidation candidates are being updated.")
        messages.success(request, text)
        if finalize and runs_waiting_for_queue(since=saved_at):
            messages.warning(request, QUEUE_DOWN)
        return redirect(reverse("assessments:year", kwargs={"org_code": self.organization.code, "year": self.year}))

    def get_context_data(self, **kwargs):
        previous = queries.entry_results(organization=self.organization, year=self.year - 1)
        corrections = queries.entry_corrections(organization=self.organization, year=self.year)
        form = kwargs["form"]
        rows = [
            {**row, "previous": previous.get(row["unit"].pk), "corrections": corrections.get(row["unit"].pk, [])}
            for row in form.rows()
        ]
        return super().get_context_data(
            organization=self.organization,
            year=self.year,
            rule_set=rule_set_for(self.year),
            rows=rows,
            row_error_count=form.row_errors(),
            levels=[(level.value, rule_set_for(self.year).label(level)) for level in Level],
            **kwargs,
        )


IMPORT_TITLE, IMPORT_BACK = gettext_lazy("Import classifications"), gettext_lazy("Classification")
CLASSIFICATION_IMPORT = ImportPages(
    Run.Kind.IMPORT_CLASSIFICATIONS, "assessments:import", IMPORT_TITLE, "assessments:index", IMPORT_BACK
)


class ClassificationImportView(ImportView):
    """Staff upload a year's results (final once imported) for the units of their subtree."""

    pages = CLASSIFICATION_IMPORT
    form_class = ClassificationImportForm
    help_template = "assessments/_classification_import_help.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rule_sets=RULE_SETS, **kwargs)


class ClassificationImportRunView(ImportRunView):
    """A classification file's check or import, followed to its end."""

    pages = CLASSIFICATION_IMPORT
