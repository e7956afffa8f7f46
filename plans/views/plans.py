"""Views of decisions, plans, tasks, progress reports and the consolidation page.

Every view goes through `ScopedMixin`; objects are read only through `get_scoped_or_404`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from assessments.rules import level_label
from cells.access import ROLE_PERMISSIONS, Perm, ScopedMixin
from cells.models import Organization, UserRole
from cells.once import SubmitOnceMixin
from cells.paging import KnownCountPaginator
from cells.params import parse_int
from cells.views.report_runs import ReportRunMixin
from plans.actuals import plan_actuals
from plans.forms.plans import (
    DecisionForm,
    ManualSelectionForm,
    PlanForm,
    TargetFormSet,
    target_initial,
    targets_from,
)
from plans.models import Candidate, Plan
from plans.outcomes import Outcome, outcome_of
from plans.pdf import PdfUnavailable, place_name, plan_pdf
from plans.people import person_name
from plans.queries.home import selected_without_plan
from plans.queries.plans import consolidation_rows, consolidation_share, plans_in, plans_with_levels, tasks_with_urgency
from plans.report_files import PLAN_PDF_INLINE_MAX, plan_pdf_name, plan_text_size
from plans.services import plans as services

Role = UserRole.Role


def default_place(organization: Organization) -> str:
    """ "Văn Lãng" for a unit under "Đảng bộ huyện Văn Lãng": the place printed before the date."""
    upper = organization.parent
    return place_name(upper.name if upper else organization.name)


class CandidateMixin(ScopedMixin):
    def get_candidate(self) -> Candidate:
        return self.get_scoped_or_404(
            Candidate.objects.select_related("organization", "decided_by", "classification"),
            pk=self.kwargs["candidate_id"],
        )

    def standing_members(self, organization):
        return services.standing_members_for(organization, self.scope)


class CandidateDecideView(CandidateMixin, TemplateView):
    """The standing committee's decision on one candidate (staff record it on a member's behalf)."""

    permission = Perm.DECIDE_CANDIDATES
    template_name = "plans/candidate_decide.html"

    def make_form(self, candidate, data=None):
        on_behalf = self.role.role != Role.STANDING
        initial = {}
        if candidate.decision != Candidate.Decision.PENDING:
            initial = {
                "decision": candidate.decision,
                "reason": candidate.decision_reason,
                "number": candidate.decision_number,
                "date": candidate.decision_date,
                "decided_by": candidate.decided_by_id,
            }
        return DecisionForm(
            data,
            initial=initial,
            standing_members=self.standing_members(candidate.organization),
            on_behalf=on_behalf,
        )

    def get(self, request, *args, **kwargs):
        candidate = self.get_candidate()
        return self.render_to_response(self.context(candidate, self.make_form(candidate)))

    def context(self, candidate, form, **extra):
        plan = Plan.objects.filter(candidate=candidate).first()
        who = candidate.decided_by
        decided_by_name = person_name(who)
        try:
            services.refuse_if_not_active(candidate.organization, candidate.year)
            outside_life_span = ""
        except services.TransitionError as refusal:
            outside_life_span = str(refusal.args[0])
        return self.get_context_data(
            candidate=candidate,
            form=form,
            plan=plan,
            decided_by_name=decided_by_name,
            previous_year=candidate.year - 1,
            outside_life_span=outside_life_span,
            **extra,
        )

    def post(self, request, *args, **kwargs):
        candidate = self.get_candidate()
        form = self.make_form(candidate, request.POST)
        if candidate.status == Candidate.Status.WITHDRAWN:
            messages.error(request, _("This candidate was withdrawn; there is nothing to decide."))
            return self.render_to_response(self.context(candidate, form), status=400)
        if not form.is_valid():
            return self.render_to_response(self.context(candidate, form), status=400)
        decided_by = form.cleaned_data.get("decided_by") or request.user
        try:
            services.candidate_decide(
                candidate=candidate,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
                decided_by=decided_by,
            )
        except services.TransitionError as error:
            form.add_error(None, str(error.args[0]))
            return self.render_to_response(self.context(candidate, form), status=400)
        messages.success(request, _("The decision is recorded."))
        return redirect("plans:candidate_decide", candidate_id=candidate.pk)


class ManualSelectionView(ScopedMixin, SubmitOnceMixin, TemplateView):
    """Staff select a unit that the job did not flag."""

    permission = Perm.MANAGE_PLANS
    template_name = "plans/candidate_select.html"

    def organizations(self):
        return self.scoped(Organization.objects.filter(kind__in=Organization.GRASSROOTS_KINDS)).order_by("name")

    def get(self, request, *args, **kwargs):
        form = ManualSelectionForm(organizations=self.organizations())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = ManualSelectionForm(request.POST, organizations=self.organizations())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            candidate = services.candidate_select_manually(
                organization=form.cleaned_data["organization"],
                year=form.cleaned_data["year"],
                reason=form.cleaned_data["reason"],
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
                decided_by=request.user,
            )
        except services.TransitionError as error:
            form.add_error(None, str(error.args[0]))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The unit is selected for consolidation. Write its plan now."))
        return redirect("plans:plan_create", candidate_id=candidate.pk)


class PlanEditingMixin(CandidateMixin):
    def target_formset(self, data=None, plan=None):
        initial = target_initial(plan) if plan and data is None else None
        return TargetFormSet(data, initial=initial, prefix="targets")


class PlanCreateView(PlanEditingMixin, SubmitOnceMixin, TemplateView):
    permission = Perm.MANAGE_PLANS
    template_name = "plans/plan_form.html"

    def get_form(self, candidate, data=None):
        reasons = "\n".join(candidate.reasons or [])
        initial = {
            "place": default_place(candidate.organization),
            "issued_on": timezone.localdate(),
            "weaknesses": reasons,
            "signer_title": _("Deputy Secretary"),
            "recipients": "\n".join([_("Standing Committee (report)"), candidate.organization.name, _("Archive")]),
        }
        return PlanForm(data, initial=initial, standing_members=self.standing_members(candidate.organization))

    def get(self, request, *args, **kwargs):
        candidate = self.get_candidate()
        if Plan.objects.filter(candidate=candidate).exists():
            return redirect("plans:detail", plan_id=candidate.plan.pk)
        if candidate.decision != Candidate.Decision.SELECTED:
            messages.error(request, _("Record the standing committee's decision to select this unit first."))
            return redirect("plans:candidate_decide", candidate_id=candidate.pk)
        try:
            services.refuse_if_not_active(candidate.organization, candidate.year)
        except services.TransitionError as refusal:
            messages.error(request, str(refusal.args[0]))
            return redirect("plans:candidate_decide", candidate_id=candidate.pk)
        return self.render_to_response(
            self.get_context_data(candidate=candidate, form=self.get_form(candidate), targets=self.target_formset())
        )

    def post(self, request, *args, **kwargs):
        candidate = self.get_candidate()
        form, targets = self.get_form(candidate, request.POST), self.target_formset(request.POST)
        if not (form.is_valid() and targets.is_valid()):
            return self.render_to_response(
                self.get_context_data(candidate=candidate, form=form, targets=targets), status=400
            )
        try:
            plan = services.plan_create(
                candidate=candidate, values=form.values(), targets=targets_from(targets), user=request.user
            )
        except services.TransitionError as error:
            form.add_error(None, str(error.args[0]))
            return self.render_to_response(
                self.get_context_data(candidate=candidate, form=form, targets=targets), status=400
            )
        messages.success(request, _("The plan is saved as a draft."))
        return redirect("plans:detail", plan_id=plan.pk)


def closed_plan_redirect(request, plan: Plan):
    """A closed plan's edit pages say why they refuse and lead back to the plan (None when open)."""
    try:
        services.refuse_if_closed(plan)
    except services.PlanClosedError as error:
        messages.error(request, str(error.args[0]))
        return redirect("plans:detail", plan_id=plan.pk)
    return None


class PlanMixin(ScopedMixin):
    def get_plan(self, queryset=None) -> Plan:
        if queryset is None:
            queryset = Plan.objects.select_related("organization", "candidate", "lead")
        return self.get_scoped_or_404(queryset, pk=self.kwargs["plan_id"])


class PlanDetailView(PlanMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan(plans_with_levels(Plan.objects.select_related("organization", "candidate", "lead")))
        targets = list(plan.targets.all())
        actuals = plan_actuals(plan, targets)
        tasks = tasks_with_urgency(plan.tasks.annotate(report_count=Count("reports")), timezone.localdate())
        perms = ROLE_PERMISSIONS[self.role.role]
        outcome = outcome_of(plan.level_before, plan.level_after)
        return super().get_context_data(
            plan=plan,
            target_rows=[(t, actuals.get(t.pk)) for t in targets],
            tasks=tasks,
            transitions=services.TRANSITIONS[plan.state],
            can_adopt=Perm.ADOPT_PLANS in perms,
            can_manage=Perm.MANAGE_PLANS in perms,
            level_before_label=level_label(plan.level_before, plan.year - 1),
            level_after_label=level_label(plan.level_after, plan.year),
            outcome=outcome,
            outcome_label=Outcome(outcome).label if outcome else "",
            **kwargs,
        )


class PlanEditView(PlanMixin, PlanEditingMixin, TemplateView):
    permission = Perm.MANAGE_PLANS
    template_name = "plans/plan_form.html"

    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        if refused := closed_plan_redirect(request, plan):
            return refused
        form = PlanForm(instance=plan, standing_members=self.standing_members(plan.organization))
        targets = self.target_formset(plan=plan)
        return self.render_to_response(
            self.get_context_data(plan=plan, candidate=plan.candidate, form=form, targets=targets)
        )

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        if refused := closed_plan_redirect(request, plan):
            return refused
        members = self.standing_members(plan.organization)
        form = PlanForm(request.POST, instance=plan, standing_members=members)
        targets = self.target_formset(request.POST, plan=plan)
        context = {"plan": plan, "candidate": plan.candidate}
        if not (form.is_valid() and targets.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, targets=targets, **context), status=400)
        try:
            services.plan_update(
                plan=plan,
                version=form.cleaned_data["version"] or 0,
                values=form.values(),
                targets=targets_from(targets),
                user=request.user,
            )
        except services.ConflictError as conflict:
            # Keep everything the user typed; the next save knowingly replaces the other version.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = PlanForm(data, instance=conflict.current, standing_members=members)
            form.is_valid()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    targets=self.target_formset(data, plan=plan),
                    conflict=conflict,
                    **context,
                ),
                status=409,
            )
        except services.TransitionError as error:
            form.add_error(None, str(error.args[0]))
            return self.render_to_response(self.get_context_data(form=form, targets=targets, **context), status=400)
        messages.success(request, _("The plan is saved."))
        return redirect("plans:detail", plan_id=plan.pk)


class PlanTransitionView(PlanMixin, View):
    """Adopt (standing members, or staff on their behalf), start, complete or cancel (staff)."""

    permission = Perm.ADOPT_PLANS

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        to = request.POST.get("to", "")
        if to != Plan.State.ADOPTED and Perm.MANAGE_PLANS not in ROLE_PERMISSIONS[self.role.role]:
            raise PermissionDenied
        version = parse_int(request.POST.get("version"), maximum=2**31 - 1) or 0
        try:
            services.plan_transition(plan=plan, to=to, version=version, user=request.user)
        except services.ConflictError:
            messages.error(request, _("Someone changed this plan meanwhile. Read it again, then repeat your action."))
        except services.TransitionError as error:
            messages.error(request, str(error.args[0]))
        else:
            messages.success(request, _("The plan's state is now “%(state)s”.") % {"state": Plan.State(to).label})
        return redirect("plans:detail", plan_id=plan.pk)


class PlanPdfView(PlanMixin, SubmitOnceMixin, ReportRunMixin, TemplateView):
    """The printable plan. A plan of up to PLAN_PDF_INLINE_MAX characters prints at once; a longer
    one (text written before the forms had limits, or many tasks) is printed by a background run:
    the page offers the button, whose run's page then offers the file."""

    permission = Perm.VIEW
    template_name = "plans/plan_pdf_long.html"

    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        size = plan_text_size(plan.pk)
        if size > PLAN_PDF_INLINE_MAX:
            return self.render_to_response(self.get_context_data(plan=plan, size=size))
        try:
            content = plan_pdf(plan)
        except PdfUnavailable as error:
            return render(request, "plans/plan_pdf_unavailable.html", {"plan": plan, "detail": str(error)}, status=503)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{plan_pdf_name(plan)}"'
        return response

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        title = _("Printable plan %(number)s: %(unit)s %(year)s") % {
            "number": plan.number,
            "unit": plan.organization.name,
            "year": plan.year,
        }
        return self.report_start(
            report="plan_pdf",
            scope=plan.organization,
            year=plan.year,
            title=title,
            plan_id=plan.pk,
            back_url=reverse("plans:detail", kwargs={"plan_id": plan.pk}),
        )


class ConsolidationView(ScopedMixin, TemplateView):
    """Every plan of the scope across years, its outcome, and the share of units that improved."""

    permission = Perm.VIEW
    template_name = "plans/consolidation.html"
    per_page = 100

    def get_context_data(self, **kwargs):
        # The share counts every plan of the scope in the database; the table computes the levels
        # and outcomes of the page it shows only.
        report = consolidation_share(self.scope)
        page = KnownCountPaginator(plans_in(self.scope), self.per_page, count=report.plan_count).get_page(
            self.request.GET.get("page")
        )
        page.object_list = report.rows = consolidation_rows(page.object_list)
        without_plan = list(selected_without_plan(self.scope)[: self.per_page])
        return super().get_context_data(report=report, page=page, without_plan=without_plan, **kwargs)
