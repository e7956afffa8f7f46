"""Actual values of a plan's targets, computed from the records the cells keep and the classification."""

import pytest

from assessments.models import Level
from plans.actuals import plan_actuals
from plans.models import Target
from tests.plans.factories import classify, make_plan


@pytest.fixture
def plan(tree):
    plan = make_plan(tree.a, 2018)  # has "12 regular meetings per cell"
    Target.objects.create(plan=plan, kind=Target.Kind.THEMED_MEETINGS, number=4)
    Target.objects.create(plan=plan, kind=Target.Kind.ADMISSIONS, number=2)
    Target.objects.create(plan=plan, kind=Target.Kind.LEVEL, level=Level.GOOD)
    Target.objects.create(plan=plan, kind=Target.Kind.TEXT, text="Sổ biên bản đầy đủ")
    return plan


@pytest.fixture
def records(monkeypatch, tree):
    """What the cells' records say for commune A in 2018, through the `cells.compliance` contract."""
    calls = []

    def meeting_counts(*, organization, year):
        calls.append(("meetings", organization.code, year))
        return {tree.a1.pk: {"regular": 12, "themed": 4}, tree.a2.pk: {"regular": 9, "themed": 1}}

    def admissions_count(*, organization, year):
        calls.append(("admissions", organization.code, year))
        return 2

    monkeypatch.setattr("cells.compliance.meeting_counts", meeting_counts)
    monkeypatch.setattr("cells.compliance.admissions_count", admissions_count)
    return calls


def test_actuals_come_from_the_records(plan, records, tree, django_assert_max_num_queries):
    targets = list(plan.targets.all())

    # 1 the unit's cells, 2 its classification for the year
    with django_assert_max_num_queries(2):
        by_id = plan_actuals(plan, targets)
    actuals = {t.kind: by_id[t.pk] for t in targets}

    assert records == [("meetings", "D-A", 2018), ("admissions", "D-A", 2018)]
    assert actuals["regular_meetings"].shown == "1/2 cells reached it (fewest: 9)"
    assert actuals["regular_meetings"].met is False
    assert actuals["themed_meetings"].met is False
    assert (actuals["admissions"].shown, actuals["admissions"].met) == ("2", True)
    assert actuals["level"].met is None  # not classified yet
    assert actuals["text"].met is None

    classify(tree.a, 2018, Level.EXCELLENT)
    assert plan_actuals(plan, targets)[targets[3].pk].met is True


def test_a_dissolved_cell_does_not_count_after_its_year(plan, records, tree):
    import datetime

    tree.a2.dissolved = datetime.date(2017, 12, 31)
    tree.a2.save()
    targets = list(plan.targets.all())

    assert plan_actuals(plan, targets)[targets[0].pk].shown == "1/1 cells reached it (fewest: 12)"


def test_actuals_from_real_meeting_and_admission_records(plan, tree):
    """The same plan against the cells' own records, not a stand-in for `cells.compliance`."""
    import datetime

    from tests.cells.factories import make_admission, make_meeting

    for month in range(1, 13):
        make_meeting(tree.a1, date=datetime.date(2018, month, 5))
        if month % 3 == 0:
            make_meeting(tree.a1, date=datetime.date(2018, month, 20), kind="themed")
    for month in range(1, 10):
        make_meeting(tree.a2, date=datetime.date(2018, month, 5), kind="combined")  # counts as both
    make_admission(tree.a1, decision=datetime.date(2018, 6, 1))
    make_admission(tree.a2, decision=datetime.date(2018, 9, 1))
    make_admission(tree.a2, decision=datetime.date(2017, 9, 1))  # another year
    targets = {t.kind: t for t in plan.targets.all()}
    actuals = plan_actuals(plan, list(targets.values()))
    regular = actuals[targets[Target.Kind.REGULAR_MEETINGS].pk]
    assert "1/2" in regular.shown and "9" in regular.shown and regular.met is False
    themed = actuals[targets[Target.Kind.THEMED_MEETINGS].pk]
    assert "2/2" in themed.shown and themed.met is True
    admissions = actuals[targets[Target.Kind.ADMISSIONS].pk]
    assert (admissions.shown, admissions.met) == ("2", True)
