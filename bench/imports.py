"""Import measurements: each import run in a child process of its own, for its rows per second
and its peak memory (the child's peak resident set, VmHWM).

The files are written from what the database holds, so importing them again is the "nothing
changed" path: every row read, checked and compared with the stored row, nothing written.
The benchmark's data set is left as it was.
"""

import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.setup import ROOT

KIND_LABELS = {
    "upper_committee": "Đảng bộ cấp trên cơ sở",
    "grassroots_committee": "Đảng bộ cơ sở",
    "grassroots_cell": "Chi bộ cơ sở",
    "section_committee": "Đảng bộ bộ phận",
    "cell": "Chi bộ trực thuộc",
}


def write_files(directory: Path, *, year: int, meeting_year: int, limit: int = 0) -> dict[str, Path]:
    """One file per import, the whole scope: organizations, a year of results, a year of meetings."""
    from django.db import connection

    from cells.importing import SECTOR_NAMES

    sector_label = {value: label for label, value in reversed(list(SECTOR_NAMES.items()))}
    queries = {
        "organizations": (
            ["code", "name", "kind", "parent_code", "sector"],
            "SELECT o.code, o.name, o.kind, p.code, o.sector FROM cells_organization o "
            "LEFT JOIN cells_organization p ON p.id = o.parent_id ORDER BY o.id",
            lambda row: [row[0], row[1], KIND_LABELS[row[2]], row[3] or "", sector_label.get(row[4], "")],
        ),
        "classifications": (
            ["code", "year", "level", "score"],
            f"SELECT o.code, c.year, c.level, c.score FROM assessments_classification c "
            f"JOIN cells_organization o ON o.id = c.organization_id WHERE c.year = {int(year)} ORDER BY c.id",
            lambda row: [row[0], row[1], row[2], "" if row[3] is None else f"{row[3]:f}"],
        ),
        "meetings": (
            ["cell_code", "date", "kind", "members_total", "members_present", "duration_minutes", "topic"],
            f"SELECT o.code, m.date, m.kind, m.members_total, m.members_present, m.duration_minutes, m.topic "
            f"FROM cells_meeting m JOIN cells_organization o ON o.id = m.organization_id "
            f"WHERE m.date BETWEEN '{int(meeting_year)}-01-01' AND '{int(meeting_year)}-12-31' ORDER BY m.id",
            lambda row: [row[0], row[1].strftime("%d/%m/%Y"), row[2], row[3], row[4], row[5] or "", row[6]],
        ),
    }
    paths = {}
    for kind, (header, sql, shape) in queries.items():
        whole, tenth = directory / f"{kind}.csv", directory / f"{kind}-tenth.csv"
        # A server-side cursor: the national meetings are not held in this process's memory.
        with connection.chunked_cursor() as cursor, open(whole, "w", encoding="utf-8", newline="") as handle:
            cursor.execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
            writer = csv.writer(handle)
            writer.writerow(header)
            count = 0
            while rows := cursor.fetchmany(10_000):
                writer.writerows(shape(row) for row in rows)
                count += len(rows)
        with open(whole, encoding="utf-8") as source, open(tenth, "w", encoding="utf-8") as target:
            for number, line in enumerate(source):
                if number > count // 10:
                    break
                target.write(line)
        paths[kind], paths[f"{kind}-tenth"] = whole, tenth
    return paths


def measure(url: str, kind: str, path: Path) -> dict:
    """Run one import in a child process; its rows, seconds and peak memory."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "import-child", "--database-url", url, "--kind", kind, "--path", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode or not lines:
        return {"error": (completed.stderr or completed.stdout)[-2000:]}
    return json.loads(lines[-1])


def peak_rss_kib() -> int:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux keeps that
    across execve, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_main(args) -> None:
    from bench.setup import django_for

    django_for(args.database_url)
    from assessments.imports import classifications_import
    from assessments.signals import results_finalized
    from cells.importing import organizations_import
    from cells.meeting_import import meetings_import

    results_finalized.disconnect(dispatch_uid="plans.services.candidates.results_finalized")
    baseline = peak_rss_kib()
    start, cpu_start = time.perf_counter(), time.process_time()
    if args.kind == "organizations":
        result = organizations_import(path=args.path)
        rows, errors = result.created + result.updated + result.unchanged, result.errors
    elif args.kind == "classifications":
        result = classifications_import(path=args.path)
        rows, errors = result.rows, result.errors
    else:
        result = meetings_import(path=args.path)
        rows, errors = result.created + result.updated + result.unchanged, result.errors
    seconds = time.perf_counter() - start
    # On a shared machine the wall time depends on the others' load; the import's own CPU time
    # (this process, not the database server's) much less.
    cpu_seconds = time.process_time() - cpu_start
    peak = peak_rss_kib()
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": round(seconds, 2),
                "rows_per_second": round(rows / seconds) if seconds else None,
                "cpu_seconds": round(cpu_seconds, 2),
                "load": round(os.getloadavg()[0], 1),
                "peak_rss_mb": round(peak / 1024, 1),
                "django_baseline_rss_mb": round(baseline / 1024, 1),
                "errors": [str(error) for error in errors[:3]],
            }
        )
    )
