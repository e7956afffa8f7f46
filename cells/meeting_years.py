"""The per-cell, per-year meeting summary (`MeetingYear`), kept exactly in line with the meetings.

Every write of meetings ends by recounting, from the meetings themselves, the (cell, year) pairs
it touched: `meeting_years_refresh(cells=..., years=...)`, one DELETE and one INSERT ... SELECT
... GROUP BY per year whatever the number of cells. Recounting instead of adding deltas keeps the
summary exact whatever the write did (a new kind, a date moved to another year, a changed roll).

- Single saves and deletes (the meeting form, the admin, `Meeting.objects.create`) arrive
  through the model signals below, connected in `CellsConfig.ready`; a save that moves a meeting
  to another cell or year recounts where it was as well (`Meeting.counted_in`).
- Bulk writers call `meeting_years_refresh` after their write: the meeting import after each
  chunk, the demo loader; the benchmark's `COPY` and an operator call `meeting_years_rebuild`
  for a whole year (`manage.py meeting_years YEAR`).

Concurrency, on PostgreSQL: before recounting, a writer takes a transaction-level advisory lock
on each pair (sorted, in one statement). The writer that recounts second waits until the first
has committed, and its recount (a new statement) sees both writes. A rebuild locks the table
against other writers of the summary instead. SQLite serializes writers itself.

The summary is derived data and is not in the change log: the meetings it counts are, with
every change (tests/test_every_write_is_audited.py).
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from cells.models import Meeting, MeetingYear
from cells.models.tree import year_bounds

CELLS_PER_STATEMENT = 500  # keeps each IN list well under SQLite's limit on parameters
# PostgreSQL's one-key advisory lock space (background runs use the two-key space, cells.runs).
LOCK_KEY_YEARS = 10_000

COLUMNS = ("meeting_count", "regular", "themed", "present_sum", "roll_sum", "with_guest", "last_date")


def _counts(meetings):
    """Per cell, the summary's figures of `meetings`: a GROUP BY the database does."""
    return (
        meetings.order_by()
        .values("organization_id")
        .annotate(
            meeting_count=Count("pk"),
            regular=Count("pk", filter=Q(kind__in=Meeting.REGULAR_KINDS)),
            themed=Count("pk", filter=Q(kind__in=Meeting.THEMED_KINDS)),
            present_sum=Sum("members_present"),
            roll_sum=Sum("members_total"),
            with_guest=Count("pk", filter=~Q(guest="")),
            last_date=Max("date"),
        )
    )


def _insert_counts(meetings, year: int) -> None:
    """INSERT INTO the summary the counts of `meetings`, all of `year`: one statement."""
    sql, params = _counts(meetings).query.sql_with_params()
    columns = ", ".join(f"s.{column}" for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MeetingYear._meta.db_table} (organization_id, year, {', '.join(COLUMNS)}) "
            f"SELECT s.organization_id, %s, {columns} FROM ({sql}) s",
            [year, *params],
        )


def _lock(cells: list[int], years: list[int]) -> None:
    if connection.vendor != "postgresql":
        return
    keys = sorted(cell * LOCK_KEY_YEARS + year for cell in cells for year in years)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) AS keys", [keys]
        )


def meeting_years_refresh(*, cells: Iterable[int], years: Iterable[int]) -> None:
    """Recount the summary of every cell in `cells` for every year in `years` from its meetings.

    Two statements per year and per 500 cells (three on PostgreSQL: the lock), inside the caller's
    transaction: a rolled-back write leaves the summary as it was.
    """
    cells = sorted(set(cells))
    years = sorted(set(years))
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        for start in range(0, len(cells), CELLS_PER_STATEMENT):
            chunk = cells[start : start + CELLS_PER_STATEMENT]
            _lock(chunk, years)
            for year in years:
                first, last = year_bounds(year)
                MeetingYear.objects.filter(year=year, organization_id__in=chunk).delete()
                _insert_counts(Meeting.objects.filter(organization_id__in=chunk, date__gte=first, date__lte=last), year)


def meeting_years_rebuild(*, year: int) -> None:
    """Recount every cell's meetings of `year`: after a `COPY`, or to repair. Two statements."""
    first, last = year_bounds(year)
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            # Writers of the summary wait (readers do not) while the year is recounted whole.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {MeetingYear._meta.db_table} IN EXCLUSIVE MODE")
        MeetingYear.objects.filter(year=year).delete()
        _insert_counts(Meeting.objects.filter(date__gte=first, date__lte=last), year)


def meeting_years_differences(*, year: int) -> list[tuple[int, tuple | None, tuple | None]]:
    """`(cell_id, stored, recounted)` of every cell whose summary of `year` is not its meetings' count."""
    first, last = year_bounds(year)
    recounted = {
        row["organization_id"]: tuple(row[column] for column in COLUMNS)
        for row in _counts(Meeting.objects.filter(date__gte=first, date__lte=last))
    }
    stored = {
        row[0]: tuple(row[1:]) for row in MeetingYear.objects.filter(year=year).values_list("organization_id", *COLUMNS)
    }
    return [
        (cell, stored.get(cell), recounted.get(cell))
        for cell in sorted(stored.keys() | recounted.keys())
        if stored.get(cell) != recounted.get(cell)
    ]


def _year(day) -> int:
    return day.year if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day)[:10]).year


@receiver(pre_save, sender=Meeting, dispatch_uid="cells.meeting_years.before_save")
def _remember_where_counted(sender, instance: Meeting, **kwargs):
    """A stored meeting not read with its cell and date (deferred fields): read where it is counted."""
    if instance.pk is not None and None in getattr(instance, "counted_in", (None, None)):
        instance.counted_in = Meeting.objects.filter(pk=instance.pk).values_list("organization_id", "date").first() or (
            None,
            None,
        )


@receiver(post_save, sender=Meeting, dispatch_uid="cells.meeting_years.after_save")
def _recount_saved(sender, instance: Meeting, **kwargs):
    cells, years = {instance.organization_id}, {_year(instance.date)}
    cell, day = getattr(instance, "counted_in", (None, None))
    if cell is not None and day is not None:
        cells.add(cell)
        years.add(_year(day))
    meeting_years_refresh(cells=cells, years=years)
    instance.counted_in = (instance.organization_id, instance.date)


@receiver(post_delete, sender=Meeting, dispatch_uid="cells.meeting_years.after_delete")
def _recount_deleted(sender, instance: Meeting, **kwargs):
    cell, day = getattr(instance, "counted_in", (None, None))
    if cell is None or day is None:
        cell, day = instance.organization_id, instance.date
    meeting_years_refresh(cells=[cell], years=[_year(day)])
