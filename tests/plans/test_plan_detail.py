"""The plan page: targets against the cells' real meeting and admission records, tasks, outcome;
a fixed number of queries whatever the number of cells."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Level
from cells.models import Meeting, Organization
from plans.models import Committee, Target
from tests.cells.factories import make_admission, make_meeting
from tests.conftest import make_org
from tests.plans.factories import classify, make_plan, make_report, make_task

YEAR = 2018


def hold_meetings(cell, regular: int, themed: int = 0):
    """`regular` monthly meetings from January, and `themed` quarterly ones, all in YEAR."""
    for month in range(1, regular + 1):
        make_meeting(cell, date=datetime.date(YEAR, month, 5))
    for quarter in range(themed):
        make_meeting(cell, date=datetime.date(YEAR, 3 * quarter + 1, 20), kind=Meeting.Kind.THEMED)


def counted(cell, kinds) -> int:
    """What the records say, read straight from the table: the expected value, not the code's."""
    return Meeting.objects.filter(organization=cell, kind__in=kinds, date__year=YEAR).count()


def expected_shown(cells, kinds, number) -> str:
    per_cell = [counted(cell, kinds) for cell in cells]
    reached = sum(1 for n in per_cell if n >= number)
    return f"{reached}/{len(cells)} cells reached it (fewest: {min(per_cell)})"


def a_plan_with_records(tree, alice, standing):
    plan = make_plan(tree.a, YEAR, lead=standing)  # 12 regular meetings per cell
    Target.objects.create(plan=plan, kind=Target.Kind.THEMED_MEETINGS, number=4, position=1)
    Target.objects.create(plan=plan, kind=Target.Kind.ADMISSIONS, number=2, position=2)
    Target.objects.create(plan=plan, kind=Target.Kind.LEVEL, level=Level.GOOD, position=3)
    for i in range(5):
        task = make_task(plan, assignee=standing if i % 2 else None, committee="" if i % 2 else Committee.OFFICE)
        make_report(task, alice)
    classify(tree.a, YEAR, Level.GOOD)
    hold_meetings(tree.a1, 12, themed=4)  # Nặm Bao: every month, every quarter
    hold_meetings(tree.a2, 9, themed=1)  # Bản Làn: nine months
    make_admission(tree.a1, decision=datetime.date(YEAR, 6, 1))
    make_admission(tree.a2, decision=datetime.date(YEAR - 1, 9, 1))  # another year: not counted
    return plan


def queries_of(client, url) -> tuple[int, object]:
    client.get(url)  # the session and caches warmed
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return len(context.captured_queries), response


def test_the_plan_page_reads_real_records_in_a_fixed_number_of_queries(client, tree, alice, standing):
    plan = a_plan_with_records(tree, alice, standing)
    url = reverse("plans:detail", kwargs={"plan_id": plan.pk})
    client.force_login(alice)

    # 1 session, 2 user, 3 role, 4 plan with unit, candidate, lead, both levels and the draft flag,
    # 5 targets, 6 the cells' meeting counts, 7 the unit's cells, 8 the year's admissions,
    # 9 its final classification for the year, 10 tasks with report counts and assignees
    with_two, response = queries_of(client, url)
    assert with_two == 10

    cells = [tree.a1, tree.a2]
    rows = {target.kind: actual for target, actual in response.context["target_rows"]}
    assert rows[Target.Kind.REGULAR_MEETINGS].shown == expected_shown(cells, Meeting.REGULAR_KINDS, 12)
    assert rows[Target.Kind.REGULAR_MEETINGS].shown == "1/2 cells reached it (fewest: 9)"
    assert rows[Target.Kind.THEMED_MEETINGS].shown == expected_shown(cells, Meeting.THEMED_KINDS, 4)
    assert [actual.met for actual in rows.values()] == [False, False, False, True]
    assert rows[Target.Kind.ADMISSIONS].shown == "1"  # the 2017 admission is not this year's
    assert len(response.context["tasks"]) == 5
    assert response.context["outcome"] == "improved"  # complete in 2017 → good in 2018

    # Four more cells, each with its records: the same queries, the figures follow the records.
    for n in range(4):
        cell = make_org(f"D-A-N{n}", f"Chi bộ thôn {n}", Organization.Kind.CELL, tree.a)
        hold_meetings(cell, 12 - n, themed=4 - n)
        cells.append(cell)
        make_admission(cell, name=f"Đảng viên {n}", decision=datetime.date(YEAR, 10, 1 + n))
    with_six, response = queries_of(client, url)
    assert with_six == with_two

    rows = {target.kind: actual for target, actual in response.context["target_rows"]}
    assert rows[Target.Kind.REGULAR_MEETINGS].shown == expected_shown(cells, Meeting.REGULAR_KINDS, 12)
    assert rows[Target.Kind.REGULAR_MEETINGS].shown == "2/6 cells reached it (fewest: 9)"
    assert rows[Target.Kind.THEMED_MEETINGS].shown == expected_shown(cells, Meeting.THEMED_KINDS, 4)
    assert (rows[Target.Kind.ADMISSIONS].shown, rows[Target.Kind.ADMISSIONS].met) == ("5", True)


def test_the_organization_page_lists_the_units_plans(client, tree, alice):
    plan = make_plan(tree.a, 2018)
    client.force_login(alice)

    response = client.get(reverse("cells:detail", kwargs={"org_code": tree.a.code}))

    assert reverse("plans:detail", kwargs={"plan_id": plan.pk}) in response.content.decode()
