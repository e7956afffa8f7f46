"""Working-day deadlines of an admission, across weekends and Tết."""

import datetime

from cells.admission_rules import admission_steps, ceremony_due, full_membership_due, has_overdue_step, probation_end
from cells.models import Admission
from cells.working_days import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(D(2018, 2, 12))  # a Monday
    assert not is_working_day(D(2018, 2, 10))  # Saturday
    assert not is_working_day(D(2018, 2, 11))  # Sunday
    assert not is_working_day(D(2018, 2, 16))  # Tết 2018, first day (a Friday)
    assert not is_working_day(D(2019, 2, 5))  # Tết 2019
    assert not is_working_day(D(2018, 4, 30))  # Liberation Day
    assert not is_working_day(D(2018, 9, 3))  # National Day, observed


def test_a_friday_plus_one_working_day_is_the_monday():
    assert add_working_days(D(2018, 3, 2), 1) == D(2018, 3, 5)


def test_tet_is_skipped():
    # Tuesday 13/02/2018 is the last working day before Tết; work resumes on Wednesday 21/02.
    assert add_working_days(D(2018, 2, 13), 1) == D(2018, 2, 21)
    assert working_days_between(D(2018, 2, 13), D(2018, 2, 21)) == 1


def test_ceremony_due_thirty_working_days_after_a_decision_before_tet():
    admission = Admission(decision_date=D(2018, 1, 22))
    # Weekends alone would give 05/03/2018; the five working days of Tết push it a week.
    assert ceremony_due(admission) == D(2018, 3, 12)


def test_full_membership_due_thirty_working_days_after_twelve_months_of_probation():
    admission = Admission(decision_date=D(2018, 8, 20), ceremony_date=D(2018, 9, 14))
    assert probation_end(admission) == D(2019, 9, 14)  # a Saturday: counting starts on Monday
    assert full_membership_due(admission) == D(2019, 10, 25)


def test_a_stored_end_of_probation_wins():
    admission = Admission(ceremony_date=D(2018, 9, 14), probation_end_date=D(2019, 10, 1))
    assert probation_end(admission) == D(2019, 10, 1)


def test_ceremony_overdue_only_after_its_deadline_across_tet():
    admission = Admission(decision_date=D(2019, 1, 14))
    due = ceremony_due(admission)
    # 14/01/2019 + 30 working days, skipping 04–08/02/2019 (Tết): 04/03/2019.
    assert due == D(2019, 3, 4)
    assert not has_overdue_step(admission, today=due)
    assert has_overdue_step(admission, today=due + datetime.timedelta(days=1))
    ceremony = next(step for step in admission_steps(admission, due + datetime.timedelta(days=1)) if step.due)
    assert ceremony.overdue and not ceremony.late


def test_a_ceremony_held_after_its_deadline_is_late_not_overdue():
    admission = Admission(decision_date=D(2018, 1, 22), ceremony_date=D(2018, 3, 20))
    step = next(step for step in admission_steps(admission, D(2018, 4, 1)) if step.due and step.date)
    assert step.late and not step.overdue
