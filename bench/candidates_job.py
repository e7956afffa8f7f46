"""Benchmark of the candidate job at national scale (not run by CI).

Builds ~3,300 upper committees and ~55,000 grassroots organizations with three years of final
results (about 10% weak each year) in the configured database, then times `candidates_flag`
for a first run, a second run (nothing to change) and a run after 1% of results are corrected,
counting the queries of each.

    createdb -h 127.0.0.1 -U postgres vl_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vl_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vl_bench .venv/bin/python bench/candidates_job.py

Measured on the project's 2-core shared machine, PostgreSQL 15 (see the end of this file).
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanlang.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessments.models import Classification  # noqa: E402
from assessments.rules import rule_set_for  # noqa: E402
from cells.models import Organization  # noqa: E402
from plans.models import Candidate, JobRun  # noqa: E402
from plans.services.candidates import candidates_flag  # noqa: E402

UPPER = 3_300
PER_UPPER = 17  # 3,300 × 17 ≈ 56,000 grassroots organizations
YEARS = (2016, 2017, 2018)
LEVELS = ["excellent"] * 15 + ["good"] * 75 + ["complete"] * 9 + ["incomplete"]
Kind = Organization.Kind


def build():
    if Organization.objects.filter(code="BENCH").exists():
        return
    random.seed(2018)
    with transaction.atomic():
        root = Organization.objects.create(code="BENCH", name="Toàn quốc (thử tải)", kind=Kind.UPPER_COMMITTEE)
        uppers = Organization.objects.bulk_create(
            Organization(code=f"B-{n}", name=f"Đảng bộ huyện {n}", kind=Kind.UPPER_COMMITTEE, parent=root)
            for n in range(UPPER)
        )
        for upper in uppers:
            upper.path, upper.depth = f"{root.path}{upper.pk}/", 1
        Organization.objects.bulk_update(uppers, ["path", "depth"], batch_size=5000)
        units = Organization.objects.bulk_create(
            (
                Organization(
                    code=f"B-{upper.pk}-{n}",
                    name=f"Đảng bộ xã {upper.pk}-{n}",
                    name_folded=f"dang bo xa {upper.pk}-{n}",
                    kind=Kind.GRASSROOTS_COMMITTEE,
                    sector="commune",
                    parent=upper,
                )
                for upper in uppers
                for n in range(PER_UPPER)
            ),
            batch_size=5000,
        )
        parents = {upper.pk: upper for upper in uppers}
        for unit in units:
            unit.path, unit.depth = f"{parents[unit.parent_id].path}{unit.pk}/", 2
        Organization.objects.bulk_update(units, ["path", "depth"], batch_size=5000)
        for year in YEARS:
            rule_set = rule_set_for(year)
            Classification.objects.bulk_create(
                (
                    Classification(
                        organization=unit,
                        year=year,
                        level=(level := random.choice(LEVELS)),
                        label=rule_set.label(level),
                        rule_set=rule_set.code,
                        state=Classification.State.FINAL,
                        deciding_body_id=unit.parent_id,
                    )
                    for unit in units
                ),
                batch_size=5000,
            )


def timed(label):
    run = JobRun.objects.create(year=2018, trigger=JobRun.Trigger.COMMAND)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = candidates_flag(year=2018, run=run)
        seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:6.2f} s  {len(queries.captured_queries):3} queries  {result}")


def main():
    started = time.perf_counter()
    build()
    grassroots = Organization.objects.filter(kind__in=Organization.GRASSROOTS_KINDS).count()
    print(
        f"data: {grassroots} grassroots organizations, {Classification.objects.count()} results "
        f"({time.perf_counter() - started:.0f} s to build or find)"
    )
    Candidate.objects.filter(year=2019).delete()
    timed("first run")
    timed("second run (no change)")
    weak = list(Classification.objects.filter(year=2018, level__in=["complete", "incomplete"])[: grassroots // 100])
    Classification.objects.filter(pk__in=[c.pk for c in weak]).update(level="good", label="Hoàn thành tốt nhiệm vụ")
    timed("after 1% corrected")
    Classification.objects.filter(pk__in=[c.pk for c in weak]).update(level="complete", label="Hoàn thành nhiệm vụ")
    timed("corrected back")


if __name__ == "__main__":
    main()

# Measured 26/11/2026 on the shared 2-core machine, PostgreSQL, 56,100 grassroots organizations,
# 168,300 results, ~5,600 weak in 2018 (see the report for the numbers of this run):
#
#   data: 56100 grassroots organizations, 168300 results (152 s to build)
#   first run                  1.80 s   13 queries  flagged=5782, created=5782
#   second run (no change)     1.00 s   10 queries  unchanged=5782
#   after 1% corrected         3.20 s   11 queries  withdrawn=561, unchanged=5221
#   corrected back             3.05 s   11 queries  reproposed=561, unchanged=5221
#
# The query count does not grow with the number of units except for the bulk writes, which
# take one statement per 2,000 rows (BATCH in plans/candidates.py); most of a correction run's
# time is the CASE expression of bulk_update.
