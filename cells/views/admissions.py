"""Party development: admissions with their deadlines, quotas, years since the last admission."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cells.access import ROLE_PERMISSIONS, Perm, ScopedMixin
from cells.admission_rules import admission_steps
from cells.compliance import year_bounds
from cells.forms.admissions import AdmissionForm
from cells.lifespan import ended_notice
from cells.models import Admission, AdmissionQuota, Organization
from cells.once import SubmitOnceMixin
from cells.paging import NextPagePaginator
from cells.params import parse_int
from cells.views.meetings import PersonalDataMixin, recent_cells, year_or_404


def cell_admission_rows(organization: Organization, year: int) -> QuerySet:
    """Each cell of the subtree active in `year`, by name: admitted that year and the last admission
    before. The figures are correlated subqueries on the (organization, decision date) index, so a
    slice of this queryset computes them for the cells of that slice only."""
    first, last = year_bounds(year)
    admissions = Admission.objects.filter(organization=OuterRef("pk")).order_by()
    admitted = admissions.filter(decision_date__gte=first, decision_date__lte=last).values("organization")
    return (
        Organization.objects.cells()
        .within(organization)
        .active_in(year)
        .annotate(
            admitted=Coalesce(Subquery(admitted.annotate(n=Func("pk", function="COUNT")).values("n")), 0),
            last_before=Subquery(
                admissions.filter(decision_date__lt=first).order_by("-decision_date").values("decision_date")[:1]
            ),
        )
        .order_by("name_folded", "code", "pk")
        .values("id", "code", "name", "admitted", "last_before")
    )


def open_case(year: int) -> Q:
    """A case of this year, or one still under way up to its end."""
    first, last = year_bounds(year)
    return (
        Q(decision_date__gte=first, decision_date__lte=last)
        | Q(decision_date__isnull=True)
        | Q(full_membership_date__isnull=True, decision_date__lte=last)
    )


class AdmissionOverviewView(PersonalDataMixin, ScopedMixin, TemplateView):
    """Per cell, a page at a time: admissions this year against the quota and the years since the
    last one; the year's total and the open cases counted by the database, the oldest cases listed."""

    permission = Perm.VIEW
    template_name = "cells/admission_overview.html"
    per_page = 50
    case_limit = 50

    def get_context_data(self, **kwargs):
        organization = self.get_organization(self.kwargs["org_code"])
        year = year_or_404(self.kwargs["year"])
        first, last = year_bounds(year)
        today = timezone.localdate()
        # 1 query: the page's cells with their figures (one row more, for "next").
        page = NextPagePaginator(cell_admission_rows(organization, year), self.per_page).get_page(
            self.request.GET.get("page")
        )
        rows = page.object_list
        shown_ids = [row["id"] for row in rows] + [organization.pk]
        quotas = dict(  # 1 query: the quotas of the page's cells and of the unit itself
            AdmissionQuota.objects.filter(year=year, organization_id__in=shown_ids).values_list(
                "organization_id", "quota"
            )
        )
        for row in rows:
            row["quota"] = quotas.get(row["id"])
            gap = year - row["last_before"].year if row["last_before"] else None
            # An admission this year: the last one is this year's, and the gap it closed is told apart.
            row["years_since"] = 0 if row["admitted"] else gap
            row["gap_closed"] = gap if row["admitted"] else None
        admissions = Admission.objects.within(organization)
        # 1 query: the year's admissions of the whole unit, through the decision-date index.
        total_admitted = admissions.filter(decision_date__gte=first, decision_date__lte=last).count()
        # 1 query: the oldest cases first (undecided ones last), one more than shown to tell that
        # more exist without counting a country's cases; each with its steps' deadlines.
        cases = admissions.filter(open_case(year)).select_related("organization").order_by("decision_date", "pk")
        shown = list(cases[: self.case_limit + 1])
        more_cases = len(shown) > self.case_limit
        shown = shown[: self.case_limit]
        for case in shown:
            case.steps = admission_steps(case, today)
            case.overdue = any(step.overdue for step in case.steps)
        may_enter = Perm.ENTER_ADMISSIONS in ROLE_PERMISSIONS.get(self.role.role, set())
        for row in rows:  # quotas come from the level above: never one's own
            row["quota_editable"] = may_enter and row["id"] != self.scope.pk
        quota_targets = [row for row in rows if row["quota_editable"]]
        own_quota_editable = may_enter and organization.pk != self.scope.pk and not organization.is_cell
        kwargs.update(
            organization=organization,
            year=year,
            years=organization.years_around(year),
            notice=ended_notice(organization, self.scope, year=year, url_name="cells:admission_overview"),
            page=page,
            rows=rows,
            total_admitted=total_admitted,
            organization_quota=quotas.get(organization.pk),
            cases=shown if self.may_see_names else None,
            open_count=len(shown),
            more_cases=more_cases,
            overdue_count=sum(1 for case in shown if case.overdue),
            may_enter=may_enter,
            quota_targets=quota_targets,
            own_quota_editable=own_quota_editable,
        )
        return super().get_context_data(**kwargs)


class QuotaEditView(ScopedMixin, View):
    """Set the year's quotas of a unit and its cells. Quotas come from the level above: never one's own."""

    permission = Perm.ENTER_ADMISSIONS

    def post(self, request, org_code, year):
        year = year_or_404(year)
        organization = self.get_organization(org_code)
        # The fields sent (a page of cells): those of cells of the unit active that year, and the unit.
        sent = {parse_int(key[6:]) for key in request.POST if key.startswith("quota_")} - {None}
        cells = Organization.objects.cells().within(organization).active_in(year).filter(pk__in=sent)
        targets = set(cells.values_list("pk", flat=True))
        if organization.is_grassroots and organization.active_in(year):
            targets.add(organization.pk)
        targets.discard(self.scope.pk)
        values, problems = {}, []
        for pk in targets:
            if f"quota_{pk}" not in request.POST:  # not on the form that was sent: leave it alone
                continue
            raw = request.POST[f"quota_{pk}"].strip()
            if raw == "":
                values[pk] = None
            elif (quota := parse_int(raw, maximum=999)) is not None:
                values[pk] = quota
            else:
                problems.append(raw)
        if problems:
            messages.error(
                request,
                _("Quotas must be whole numbers of 0 or more; “%(values)s” is not. Nothing was saved.")
                % {"values": ", ".join(problems)},
            )
        else:
            with transaction.atomic():
                AdmissionQuota.objects.filter(
                    year=year, organization_id__in=[k for k, v in values.items() if v is None]
                ).delete()
                for pk, quota in values.items():
                    if quota is not None:
                        AdmissionQuota.objects.update_or_create(
                            organization_id=pk, year=year, defaults={"quota": quota}
                        )
            messages.success(request, _("The quotas were saved."))
        target = redirect("cells:admission_overview", org_code=organization.code, year=year)
        if (page := parse_int(request.POST.get("page"), minimum=2, maximum=999_999)) is not None:
            target["Location"] += f"?page={page}"  # back to the page of cells that was sent
        return target


class AdmissionEditView(ScopedMixin, SubmitOnceMixin, TemplateView):
    """Enter or correct an admission case."""

    permission = Perm.ENTER_ADMISSIONS
    template_name = "cells/admission_form.html"

    def get_admission(self):
        if "admission_id" not in self.kwargs:
            return Admission()
        return self.get_scoped_or_404(Admission.objects.select_related("organization"), pk=self.kwargs["admission_id"])

    def make_form(self, data=None):
        self.admission = self.get_admission()
        cells = self.scoped(Organization.objects.cells())
        current = recent_cells(cells)
        if self.admission.pk:
            current = current | cells.filter(pk=self.admission.organization_id)
        cells = current
        return AdmissionForm(data, instance=self.admission, cells=cells.order_by("name_folded"))

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        warnings = []
        if form.is_valid():
            warnings = form.warnings()
            if not warnings or request.POST.get("confirm_warnings"):
                admission = form.save(commit=False)
                if admission.pk is None:
                    admission.created_by = request.user
                admission.save()
                messages.success(request, _("The admission was saved."))
                year = (admission.decision_date or timezone.localdate()).year
                # Back to the unit above the cell, where its quota and its neighbours are, if in scope.
                cell = admission.organization
                unit = cell.parent if cell.parent_id and cell.parent.is_within(self.scope) else cell
                return redirect("cells:admission_overview", org_code=unit.code, year=year)
        return self.render_to_response(self.get_context_data(form=form, warnings=warnings))

    def get_context_data(self, **kwargs):
        return super().get_context_data(admission=self.admission, this_year=timezone.localdate().year, **kwargs)
