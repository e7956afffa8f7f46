"""Benchmark: meeting compliance for a large scope (not run by CI).

    DATABASE_URL=postgres://... .venv/bin/python bench/meeting_compliance.py --grassroots 1000 --cells 8

Builds a province-sized tree under a throw-away root (grassroots × cells, 12 regular and 4 themed
meetings per cell and year) inside a transaction that is rolled back at the end, then times
`grassroots_compliance`, `meeting_counts` and `meeting_signals` and counts their queries. The
point is that the query count stays fixed as the scope grows; the time shows the database's share.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanlang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cells.compliance import grassroots_compliance, meeting_counts  # noqa: E402
from cells.models import Meeting, Organization  # noqa: E402
from cells.signals import meeting_signals  # noqa: E402

Kind = Organization.Kind


class Rollback(Exception):
    pass


def build(grassroots: int, cells: int, year: int) -> Organization:
    root = Organization.objects.create(code="BENCH", name="Bench root", kind=Kind.UPPER_COMMITTEE)
    units = Organization.objects.bulk_create(
        [Organization(code=f"BENCH-{g}", name=f"Đảng bộ {g}", kind=Kind.GRASSROOTS_COMMITTEE, parent=root)
         for g in range(grassroots)]
    )  # fmt: skip
    for unit in units:  # bulk_create skips save(): set the paths here
        unit.path, unit.depth = f"{root.path}{unit.pk}/", root.depth + 1
    Organization.objects.bulk_update(units, ["path", "depth"], batch_size=2000)
    leaves = Organization.objects.bulk_create(
        [Organization(code=f"BENCH-{u.pk}-{c}", name=f"Chi bộ {c}", kind=Kind.CELL, parent=u)
         for u in units for c in range(cells)],
        batch_size=2000,
    )  # fmt: skip
    by_id = {u.pk: u for u in units}
    for leaf in leaves:
        leaf.path, leaf.depth = f"{by_id[leaf.parent_id].path}{leaf.pk}/", root.depth + 2
    Organization.objects.bulk_update(leaves, ["path", "depth"], batch_size=2000)
    meetings = []
    for n, leaf in enumerate(leaves):
        held = 12 - n % 5
        meetings += [Meeting(organization=leaf, date=datetime.date(year, m, 5), members_total=20, members_present=18)
                     for m in range(1, held + 1)]  # fmt: skip
        meetings += [Meeting(organization=leaf, date=datetime.date(year, m, 20), kind=Meeting.Kind.THEMED,
                             members_total=20, members_present=17) for m in (2, 5, 8, 11)]  # fmt: skip
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    return Organization.objects.get(pk=root.pk), len(leaves), len(meetings), [u.pk for u in units]


def timed(label, function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    print(f"{label:<24} {elapsed * 1000:>9.1f} ms  {len(queries):>2} queries")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grassroots", type=int, default=200)
    parser.add_argument("--cells", type=int, default=8)
    parser.add_argument("--year", type=int, default=2018)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            root, cell_count, meeting_count, unit_ids = build(args.grassroots, args.cells, args.year)
            print(f"built {args.grassroots} units, {cell_count} cells, {meeting_count} meetings "
                  f"in {time.perf_counter() - start:.1f} s ({connection.vendor})")  # fmt: skip
            timed("grassroots_compliance", lambda: grassroots_compliance(organization=root, year=args.year))
            timed("meeting_counts", lambda: meeting_counts(organization=root, year=args.year))
            timed("meeting_signals", lambda: meeting_signals(year=args.year, organization_ids=unit_ids))
            raise Rollback
    except Rollback:
        print("rolled back: nothing stays in the database")


if __name__ == "__main__":
    main()
