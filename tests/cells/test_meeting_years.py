"""The meeting summary (MeetingYear) is each cell's meetings of a year counted, after any write.

The property test drives every write path the application has (a save, a save that moves a
meeting to another cell or year, a delete, a queryset delete, the import's bulk creates and
updates, a rolled-back import) in random order, then recounts every meeting in Python and
compares.
"""

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cells.meeting_import import meetings_import
from cells.meeting_years import meeting_years_differences, meeting_years_refresh
from cells.models import Meeting, MeetingYear
from tests.cells.factories import make_meeting

D = datetime.date
KINDS = list(Meeting.Kind)
YEARS = (2017, 2018)


def recounted() -> dict:
    """`{(cell, year): figures}` from every stored meeting, counted here without SQL."""
    counts = {}
    for meeting in Meeting.objects.all():
        figures = counts.setdefault(
            (meeting.organization_id, meeting.date.year),
            {"meeting_count": 0, "regular": 0, "themed": 0, "present_sum": 0, "roll_sum": 0, "with_guest": 0,
             "last_date": meeting.date},
        )  # fmt: skip
        figures["meeting_count"] += 1
        figures["regular"] += meeting.counts_as_regular
        figures["themed"] += meeting.counts_as_themed
        figures["present_sum"] += meeting.members_present
        figures["roll_sum"] += meeting.members_total
        figures["with_guest"] += meeting.guest != ""
        figures["last_date"] = max(figures["last_date"], meeting.date)
    return counts


def stored() -> dict:
    return {
        (row.pop("organization_id"), row.pop("year")): row
        for row in MeetingYear.objects.values(
            "organization_id", "year", "meeting_count", "regular", "themed", "present_sum", "roll_sum",
            "with_guest", "last_date",
        )
    }  # fmt: skip


day = st.builds(D, st.sampled_from(YEARS), st.integers(1, 12), st.integers(1, 28))
meeting_values = st.fixed_dictionaries(
    {
        "cell": st.integers(0, 2),
        "date": day,
        "kind": st.sampled_from(KINDS),
        "total": st.integers(1, 30),
        "present": st.integers(0, 30),
        "guest": st.sampled_from(["", "Nông Văn Tú"]),
    }
)
action = st.one_of(
    st.tuples(st.just("create"), meeting_values),
    st.tuples(st.just("change"), st.integers(0, 50), meeting_values),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("delete_many"), st.sampled_from(YEARS)),
    st.tuples(st.just("import"), st.lists(meeting_values, min_size=1, max_size=6), st.booleans()),
)


def _apply(step, cells, tmp_path):
    kind, *arguments = step
    meetings = list(Meeting.objects.order_by("pk"))
    if kind == "create":
        values = arguments[0]
        if not Meeting.objects.filter(
            organization=cells[values["cell"]], date=values["date"], kind=values["kind"]
        ).exists():
            make_meeting(
                cells[values["cell"]], date=values["date"], kind=values["kind"], total=max(values["total"],
                values["present"]), present=values["present"], guest=values["guest"],
            )  # fmt: skip
    elif kind == "change" and meetings:
        number, values = arguments
        # Read back without its cell and date half the time: the save must find where it was counted.
        query = Meeting.objects.defer("date") if number % 2 else Meeting.objects.all()
        meeting = query.get(pk=meetings[number % len(meetings)].pk)
        meeting.organization, meeting.date, meeting.kind = cells[values["cell"]], values["date"], values["kind"]
        meeting.members_total, meeting.members_present = max(values["total"], values["present"]), values["present"]
        meeting.guest = values["guest"]
        with transaction.atomic():
            clash = Meeting.objects.filter(organization=meeting.organization, date=meeting.date, kind=meeting.kind)
            if not clash.exclude(pk=meeting.pk).exists():
                meeting.save()
    elif kind == "delete" and meetings:
        meetings[arguments[0] % len(meetings)].delete()
    elif kind == "delete_many":
        Meeting.objects.filter(date__year=arguments[0], kind=Meeting.Kind.THEMED).delete()
    elif kind == "import":
        rows, broken = arguments
        path = tmp_path / "meetings.csv"
        lines = ["cell_code,date,kind,members_total,members_present"]
        for values in rows:
            lines.append(
                f"{cells[values['cell']].code},{values['date']:%d/%m/%Y},{values['kind']},"
                f"{max(values['total'], values['present'])},{values['present']}"
            )
        if broken:  # an error on the last row: nothing written, the summary as it was
            lines.append(f"{cells[0].code},31/02/2018,regular,10,9")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        meetings_import(path=path)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(action, min_size=1, max_size=12))
def test_the_summary_is_the_meetings_counted_after_any_writes(tree, tmp_path, steps):
    cells = [tree.a1, tree.a2, tree.b1]
    with transaction.atomic():
        for step in steps:
            _apply(step, cells, tmp_path)
        assert stored() == recounted()
        for year in YEARS:
            assert meeting_years_differences(year=year) == []
        transaction.set_rollback(True)  # the next example starts from no meetings


def test_a_rolled_back_write_leaves_the_summary_as_it_was(tree):
    make_meeting(tree.a1, date=D(2018, 1, 5))
    before = stored()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_meeting(tree.a1, date=D(2018, 2, 5))
        raise RuntimeError
    assert stored() == before == recounted()


def test_moving_a_meeting_to_another_cell_and_year_recounts_both(tree):
    meeting = make_meeting(tree.a1, date=D(2018, 12, 20))
    make_meeting(tree.a1, date=D(2018, 11, 20))
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.organization, meeting.date = tree.b1, D(2017, 1, 5)
    meeting.save()
    rows = stored()
    assert rows[(tree.a1.pk, 2018)]["meeting_count"] == 1
    assert rows[(tree.a1.pk, 2018)]["last_date"] == D(2018, 11, 20)
    assert rows[(tree.b1.pk, 2017)]["meeting_count"] == 1
    meeting.delete()
    assert (tree.b1.pk, 2017) not in stored()  # no meeting left: no row, "no records"


def test_refreshing_is_a_fixed_number_of_statements(tree, django_assert_num_queries):
    cells = [tree.a1, tree.a2, tree.b1]
    Meeting.objects.bulk_create(
        Meeting(organization=cell, date=D(2018, month, 5), members_total=10, members_present=9)
        for cell in cells
        for month in range(1, 13)
    )
    # the locks (one statement, PostgreSQL only), then a delete and an insert-select per year,
    # whatever the number of cells
    with django_assert_num_queries((connection.vendor == "postgresql") + 2 * 2):
        meeting_years_refresh(cells=[cell.pk for cell in cells], years=[2017, 2018])
    assert {key: row["regular"] for key, row in stored().items()} == {(cell.pk, 2018): 12 for cell in cells}


def test_the_command_checks_and_rebuilds_a_year(tree):
    make_meeting(tree.a1, date=D(2018, 1, 5))
    make_meeting(tree.a2, date=D(2018, 2, 5), kind=Meeting.Kind.COMBINED)
    MeetingYear.objects.filter(organization=tree.a1).update(regular=7)  # a write outside the application
    MeetingYear.objects.filter(organization=tree.a2).delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 cells"):
        call_command("meeting_years", "2018", "--check", stdout=out)
    call_command("meeting_years", "2018", stdout=out)
    call_command("meeting_years", "2018", "--check", stdout=out)
    assert stored() == recounted()


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_cell_and_year_are_both_counted(tree):
    """On PostgreSQL the second writer's recount waits for the first writer's commit (the advisory
    lock), then counts both; without the lock it would insert a second row for the pair and fail.
    SQLite lets one writer at a time in, so there the two simply follow each other."""
    concurrent = connection.vendor == "postgresql"
    wrote, release, errors = threading.Event(), threading.Event(), []

    def writer(day, hold):
        try:
            with transaction.atomic():
                make_meeting(tree.a1, date=day)
                if hold:
                    wrote.set()
                    release.wait(10)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=writer, args=(D(2018, 1, 5), concurrent))
    first.start()
    if concurrent:
        assert wrote.wait(10)
    else:
        first.join()
    second = threading.Thread(target=writer, args=(D(2018, 2, 5), False))
    second.start()
    second.join(1)  # on PostgreSQL it is now waiting for the first writer's lock
    assert second.is_alive() == concurrent
    release.set()
    first.join()
    second.join()
    assert errors == []
    assert stored()[(tree.a1.pk, 2018)]["meeting_count"] == 2
