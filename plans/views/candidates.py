"""The candidates page: the year's proposals with reasons and history, the job's button and schedule."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cells.access import Perm, ScopedMixin, has_perm
from cells.once import SubmitOnceMixin
from cells.params import int_param, parse_year
from cells.runs import QUEUE_DOWN, run_status
from cells.views.report_runs import ReportRunMixin
from plans.forms.candidates import CandidateFilterForm, ScheduleForm
from plans.models import JobRun
from plans.queries import candidates as queries
from plans.services.candidates import candidates_run_start, latest_final_year
from plans.services.schedule import Frequency, candidates_schedule_get, candidates_schedule_set

FIRST_YEAR = 2000


def _support_year(year: int) -> int:
    if not FIRST_YEAR <= year <= datetime.date.today().year + 2:
        raise Http404
    return year


class CandidateIndexView(ScopedMixin, View):
    """The year after the scope's latest final results."""

    permission = Perm.VIEW

    def get(self, request):
        latest = latest_final_year(scope=self.scope)
        year = latest + 1 if latest else datetime.date.today().year
        return redirect("plans:candidates_year", year=year)


class CandidateFilterMixin:
    def filtered(self, year):
        form = CandidateFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        candidates = queries.candidates_in(
            scope=self.scope,
            year=year,
            text=data.get("q", ""),
            level=data.get("level", ""),
            status=data.get("status", ""),
        )
        return form, candidates


class CandidateListView(CandidateFilterMixin, ScopedMixin, SubmitOnceMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "plans/candidate_list.html"
    per_page = 100

    def get_context_data(self, **kwargs):
        kwargs = {k: v for k, v in kwargs.items() if k != "year"}
        year = _support_year(self.kwargs["year"])
        form, candidates = self.filtered(year)
        page = Paginator(candidates, self.per_page).get_page(self.request.GET.get("page"))
        shown = [candidate.organization_id for candidate in page.object_list]
        history = queries.level_history(scope=self.scope, year=year, organization_ids=shown)
        rows = [{"candidate": c, "history": history.get(c.organization_id, [])} for c in page.object_list]
        can_run = has_perm(self.request.user, Perm.RUN_JOBS)
        schedule = candidates_schedule_get(scope=self.scope) if can_run else None
        run = queries.shown_run(scope=self.scope, year=year, run_id=int_param(self.request, "run"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            year=year,
            classification_year=year - 1,
            filter_form=form,
            page=page,
            rows=rows,
            run=run,
            run_counts_visible=run is not None and run.scope_id == self.scope.pk,
            can_run=can_run,
            schedule=schedule,
            schedule_label=dict(Frequency.CHOICES).get(schedule["frequency"]) if schedule else "",
            schedule_form=ScheduleForm(initial=schedule) if can_run else None,
            years=queries.candidate_years(scope=self.scope),
            filter_query=query.urlencode(),
            **kwargs,
        )


class CandidateExportView(CandidateFilterMixin, ScopedMixin, SubmitOnceMixin, ReportRunMixin, View):
    """The year's candidates as filtered on the page, as a workbook written by a background run."""

    permission = Perm.VIEW

    def post(self, request, year):
        year = _support_year(year)
        form, _candidates = self.filtered(year)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        filters = {name: str(data.get(name) or "") for name in ("q", "level", "status")}
        title = _("Consolidation candidates for %(year)s: %(scope)s") % {"year": year, "scope": self.scope.name}
        query = request.GET.urlencode()
        back_url = reverse("plans:candidates_year", kwargs={"year": year}) + (f"?{query}" if query else "")
        return self.report_start(
            report="candidates", scope=self.scope, year=year, title=title, filters=filters, back_url=back_url
        )


class CandidateRunView(ScopedMixin, View):
    """The button: run the job for the year's classification in the user's scope."""

    permission = Perm.RUN_JOBS

    def post(self, request, year):
        year = _support_year(year)
        run = candidates_run_start(year=year - 1, scope=self.scope, user=request.user)
        run.refresh_from_db()
        if run.waiting_for_queue:
            messages.warning(request, QUEUE_DOWN)
        else:
            messages.info(request, _("The candidate job was started for the %(year)s results.") % {"year": year - 1})
        return redirect(f"{reverse('plans:candidates_year', kwargs={'year': year})}?run={run.pk}")


class CandidateRunStatusView(ScopedMixin, View):
    """A run's progress, for the page to follow (JSON)."""

    permission = Perm.VIEW

    def get(self, request, run_id):
        # Runs whose scope the user's covers; a run over everything (no scope) only for a root's users.
        runs = JobRun.objects.within(self.scope)
        if self.scope.parent_id is None:
            runs = runs | JobRun.objects.filter(scope__isnull=True)
        run = get_object_or_404(runs, pk=run_id)
        return JsonResponse(run_status(run))


class CandidateScheduleView(ScopedMixin, View):
    """Staff change when the job runs for their scope (a celery-beat entry)."""

    permission = Perm.RUN_JOBS

    def post(self, request):
        form = ScheduleForm(request.POST)
        target = parse_year(request.POST.get("next_year"))
        back = reverse("plans:candidates_year", kwargs={"year": target}) if target else None
        if not form.is_valid():
            problems = "; ".join(
                f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            messages.error(request, _("The schedule was not saved: %(problems)s") % {"problems": problems})
        else:
            candidates_schedule_set(scope=self.scope, **form.cleaned_data)
            messages.success(request, _("The schedule was saved."))
        return redirect(back or reverse("plans:candidates"))
