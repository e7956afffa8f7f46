"""The steps of an admission and their deadlines, derived from its dates.

Charter rules (Quy định thi hành Điều lệ Đảng): the ceremony is held within 30 working days of
the admission decision; probation lasts 12 months from the ceremony; the cell considers full
membership within 30 working days after probation ends. The awareness class certificate is
valid for 5 years. Working days skip weekends and public holidays (`cells.working_days`).
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cells.working_days import add_working_days

CEREMONY_WORKING_DAYS = 30
FULL_MEMBERSHIP_WORKING_DAYS = 30
PROBATION_MONTHS = 12
CERTIFICATE_VALID_YEARS = 5
MIN_AGE, MAX_AGE = 18, 60


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Step:
    label: str
    date: datetime.date | None
    due: datetime.date | None = None
    today: datetime.date | None = None

    @property
    def overdue(self) -> bool:
        """Not done and its deadline has passed."""
        return self.date is None and self.due is not None and self.today is not None and self.today > self.due

    @property
    def late(self) -> bool:
        """Done, but after its deadline."""
        return self.date is not None and self.due is not None and self.date > self.due


def probation_end(admission) -> datetime.date | None:
    if admission.probation_end_date:
        return admission.probation_end_date
    if admission.ceremony_date:
        return add_years(admission.ceremony_date, PROBATION_MONTHS // 12)
    return None


def ceremony_due(admission) -> datetime.date | None:
    return add_working_days(admission.decision_date, CEREMONY_WORKING_DAYS) if admission.decision_date else None


def full_membership_due(admission) -> datetime.date | None:
    end = probation_end(admission)
    return add_working_days(end, FULL_MEMBERSHIP_WORKING_DAYS) if end else None


def admission_steps(admission, today: datetime.date) -> list[Step]:
    """Every step in order, with the deadline where the charter sets one."""
    end = probation_end(admission)
    return [
        Step(str(_("Awareness class")), admission.awareness_class_date),
        Step(str(_("Cell resolution")), admission.cell_resolution_date),
        Step(str(_("Grassroots resolution")), admission.grassroots_resolution_date),
        Step(str(_("Decision")), admission.decision_date),
        Step(str(_("Ceremony")), admission.ceremony_date, ceremony_due(admission), today),
        Step(str(_("End of probation")), end),
        Step(str(_("Full membership")), admission.full_membership_date, full_membership_due(admission), today),
    ]


def has_overdue_step(admission, today: datetime.date) -> bool:
    return any(step.overdue for step in admission_steps(admission, today))
