"""`python -m bench run`: measure a generated data set and print the table (and JSON).

- every main page, as the national (or province) user and as a district user: queries, p50 and
  p95 over repeated requests through Django's test client in this process, against a bare view
  (one SQL statement returning the rows the page shows, on the same server in the same run);
- the candidate job against one SQL statement computing the same set with its signals;
- each import's rows per second and peak memory, for a tenth of the file and the whole;
- each report command's time.
"""

import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from bench.profiles import DISTRICT_USER, NATIONAL_USER, PROFILES

SLOW = 5.0  # seconds
# Pages that answer in minutes at national scope, with the reason (bench/README.md).
NOT_REQUESTED: dict[tuple[str, str, str], str] = {}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def timed(function, repeat: int) -> list[float]:
    times = []
    for _n in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


class QueryCounter:
    """Counts the statements sent on the default connection (DEBUG is off: no query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(function) -> int:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        function()
    return counter.count


def pages(scope, year: int, support_year: int, rare_code: str):
    """(name, url, bare SQL, params) of the main pages for a user whose scope is `scope`."""
    from django.urls import reverse

    prefix = scope.path + "%"
    first, last = f"{year}-01-01", f"{year}-12-31"
    org_in_scope = "o.path LIKE %s"
    return [
        (
            "home",
            reverse("plans:home"),
            # The rows the staff home lists (its counts aside): the first ten of each of its lists.
            "(SELECT c.id, o.name FROM plans_candidate c JOIN cells_organization o ON o.id = c.organization_id "
            f"WHERE c.status = 'proposed' AND c.decision = 'pending' AND {org_in_scope} "
            "ORDER BY c.year DESC, o.name_folded, c.id LIMIT 10) UNION ALL "
            "(SELECT c.id, o.name FROM plans_candidate c JOIN cells_organization o ON o.id = c.organization_id "
            f"WHERE c.status = 'proposed' AND c.decision = 'selected' AND {org_in_scope} "
            "AND NOT EXISTS (SELECT 1 FROM plans_plan p WHERE p.candidate_id = c.id) "
            "ORDER BY c.year DESC, o.name_folded, c.id LIMIT 10) UNION ALL "
            "(SELECT t.id, t.title FROM plans_task t JOIN plans_plan p ON p.id = t.plan_id "
            f"JOIN cells_organization o ON o.id = p.organization_id WHERE t.state IN ('open', 'in_progress') "
            f"AND t.due < CURRENT_DATE AND {org_in_scope} ORDER BY t.due, t.id LIMIT 10) UNION ALL "
            "(SELECT q.organization_id, o.name FROM cells_admissionquota q JOIN cells_organization o "
            f"ON o.id = q.organization_id WHERE q.year = %s AND {org_in_scope} "
            "AND o.kind IN ('grassroots_committee', 'grassroots_cell') ORDER BY q.quota DESC, o.name_folded LIMIT 10)",
            [prefix, prefix, prefix, year, prefix],
        ),
        (
            "tree",
            reverse("cells:tree"),
            "SELECT id, code, name FROM cells_organization WHERE parent_id = %s ORDER BY name_folded LIMIT 100",
            [scope.pk],
        ),
        (
            "organization",
            reverse("cells:detail", kwargs={"org_code": scope.code}),
            "SELECT id, code, name FROM cells_organization WHERE parent_id = %s ORDER BY name_folded LIMIT 100",
            [scope.pk],
        ),
        (
            "search 'tan my'",
            reverse("cells:search") + "?q=tan+my",
            "SELECT id, code, name FROM cells_organization o WHERE name_folded LIKE '%%tan%%' "
            f"AND name_folded LIKE '%%my%%' AND {org_in_scope} ORDER BY name_folded, code LIMIT 50",
            [prefix],
        ),
        (
            "search, a rare code",
            reverse("cells:search") + f"?q={rare_code}",
            f"SELECT id, code, name FROM cells_organization o WHERE UPPER(code) LIKE %s AND {org_in_scope} LIMIT 50",
            [f"%{rare_code.upper()}%", prefix],
        ),
        (
            "meetings list",
            reverse("cells:meeting_list"),
            "SELECT m.id, m.date, o.name FROM cells_meeting m JOIN cells_organization o ON o.id = m.organization_id "
            f"WHERE {org_in_scope} ORDER BY m.date DESC, m.id DESC LIMIT 51",
            [prefix],
        ),
        (
            "meeting compliance",
            reverse("cells:meeting_compliance", kwargs={"org_code": scope.code, "year": year}),
            # The page reads the per-cell yearly summary (cells.MeetingYear); so does its bare view.
            "SELECT COUNT(*), SUM(y.regular) FROM cells_meetingyear y JOIN cells_organization o "
            f"ON o.id = y.organization_id WHERE y.year = %s AND {org_in_scope}",
            [year, prefix],
        ),
        (
            "admissions overview",
            reverse("cells:admission_overview", kwargs={"org_code": scope.code, "year": year}),
            # The page's cells with their admissions of the year.
            "SELECT o.id, o.name, (SELECT COUNT(*) FROM cells_admission a WHERE a.organization_id = o.id "
            "AND a.decision_date BETWEEN %s AND %s) FROM cells_organization o "
            f"WHERE o.kind IN ('cell', 'grassroots_cell') AND {org_in_scope} ORDER BY o.name_folded, o.code LIMIT 51",
            [first, last, prefix],
        ),
        (
            "watch list",
            reverse("cells:watch_list", kwargs={"year": year}),
            # The page's units: rated good or above, by name, with their cells' regular meetings of the
            # year (the signals' reading, without deciding which units carry one).
            "SELECT o.id, o.name, c.label, (SELECT COUNT(*) FROM cells_meeting m JOIN cells_organization cell "
            "ON cell.id = m.organization_id WHERE cell.parent_id = o.id AND m.date BETWEEN %s AND %s "
            "AND m.kind IN ('regular', 'combined')) FROM cells_organization o JOIN assessments_classification c "
            "ON c.organization_id = o.id AND c.year = %s AND c.state = 'final' AND c.level IN ('excellent', 'good') "
            f"WHERE o.kind IN ('grassroots_committee', 'grassroots_cell') AND {org_in_scope} "
            "ORDER BY o.name_folded, o.id LIMIT 51",
            [first, last, year, prefix],
        ),
        (
            "year page",
            reverse("assessments:year", kwargs={"org_code": scope.code, "year": year}),
            "SELECT c.level, COUNT(*) FROM assessments_classification c JOIN cells_organization o "
            f"ON o.id = c.organization_id WHERE c.year = %s AND {org_in_scope} GROUP BY c.level",
            [year, prefix],
        ),
        (
            "candidates",
            reverse("plans:candidates_year", kwargs={"year": support_year}),
            "SELECT c.id, o.name, c.level FROM plans_candidate c JOIN cells_organization o ON o.id = c.organization_id "
            f"WHERE c.year = %s AND {org_in_scope} ORDER BY c.status, o.code LIMIT 100",
            [support_year, prefix],
        ),
        (
            "consolidation",
            reverse("plans:consolidation"),
            "SELECT p.id, o.name, p.state FROM plans_plan p JOIN cells_organization o ON o.id = p.organization_id "
            f"WHERE {org_in_scope} ORDER BY p.year, o.code LIMIT 100",
            [prefix],
        ),
        (
            "my tasks",
            reverse("plans:my_tasks"),
            "SELECT t.id, t.title, t.due FROM plans_task t JOIN plans_plan p ON p.id = t.plan_id "
            f"JOIN cells_organization o ON o.id = p.organization_id WHERE {org_in_scope} ORDER BY t.due LIMIT 100",
            [prefix],
        ),
    ]


ADMIN_PAGES = [
    (
        "admin: classifications",
        "/quan-tri/assessments/classification/",
        "SELECT c.id, o.name, c.year, c.level FROM assessments_classification c JOIN cells_organization o "
        "ON o.id = c.organization_id ORDER BY c.id DESC LIMIT 100",
        [],
    ),
    (
        "admin: classifications ?q=tan my",
        "/quan-tri/assessments/classification/?q=tan+my",
        "SELECT c.id, c.year FROM assessments_classification c WHERE c.organization_id IN (SELECT id FROM "
        "cells_organization WHERE name_folded LIKE '%%tan%%' AND name_folded LIKE '%%my%%') "
        "ORDER BY c.id DESC LIMIT 100",
        [],
    ),
    (
        "admin: meetings",
        "/quan-tri/cells/meeting/",
        "SELECT m.id, o.name, m.date FROM cells_meeting m JOIN cells_organization o ON o.id = m.organization_id "
        "ORDER BY m.date DESC, m.id DESC LIMIT 100",
        [],
    ),
]


def measure_pages(profile, repeat: int, only=()) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.urls import BARE_QUERIES
    from cells.models import Organization
    from cells.services import user_role_grant

    users = get_user_model().objects
    national = users.get(username=NATIONAL_USER)
    district = users.get(username=DISTRICT_USER)
    auditor = user_role_grant(username="bench_auditor", role="auditor", organization=national.vanlang_role.organization)
    rare_code = (
        Organization.objects.filter(kind=Organization.Kind.CELL).order_by("-pk").values_list("code", flat=True)[0]
    )
    results = []
    plan = [("national", national, pages(national.vanlang_role.organization, profile.meeting_year,
                                         profile.meeting_year + 1, rare_code))]  # fmt: skip
    if profile.name != "district":
        plan.append(("district", district, pages(district.vanlang_role.organization, profile.meeting_year,
                                                 profile.meeting_year + 1, rare_code)))  # fmt: skip
    plan.append(("auditor", auditor, ADMIN_PAGES))
    for who, user, page_list in plan:
        client = Client()
        client.force_login(user)
        for name, url, sql, params in page_list:
            if only and not any(part in name for part in only):
                continue
            if (profile.name, who, name) in NOT_REQUESTED:
                results.append({"user": who, "page": name, "url": url, "status": "not requested", "queries": None,
                                "p50_ms": None, "p95_ms": None, "bare_p50_ms": None, "ratio": None})  # fmt: skip
                print(f"  {who:9} {name:34} not requested: {NOT_REQUESTED[(profile.name, who, name)]}", flush=True)
                continue
            warm = timed(lambda client=client, url=url: client.get(url), 1)  # caches, the session, plans
            response = client.get(url) if warm[0] < SLOW else None
            queries = count_queries(lambda client=client, url=url: client.get(url))
            # A page slower than SLOW seconds is timed once more, not `repeat` times.
            times = timed(lambda client=client, url=url: client.get(url), repeat if warm[0] < SLOW else 1)
            number = len(BARE_QUERIES)
            BARE_QUERIES[number] = (sql, params)
            bare_url = f"/__bench__/bare/{number}/"
            client.get(bare_url)
            bare_times = timed(lambda client=client, bare_url=bare_url: client.get(bare_url), repeat)
            row = {
                "user": who,
                "page": name,
                "url": url,
                "status": response.status_code if response is not None else "slow",
                "queries": queries,
                "p50_ms": ms(statistics.median(times)),
                "p95_ms": ms(percentile(times, 0.95)),
                "bare_p50_ms": ms(statistics.median(bare_times)),
            }
            row["ratio"] = round(row["p50_ms"] / row["bare_p50_ms"], 1) if row["bare_p50_ms"] else None
            results.append(row)
            print(
                f"  {who:9} {name:34} {row['status']} q={row['queries']:3} p50={row['p50_ms']:8} "
                f"p95={row['p95_ms']:8} bare={row['bare_p50_ms']:7} ×{row['ratio']}",
                flush=True,
            )
    return results


JOB_SQL = """
WITH weak AS (
    SELECT c.organization_id AS owner, c.label FROM assessments_classification c
    JOIN cells_organization g ON g.id = c.organization_id
    WHERE c.year = %(year)s AND c.state = 'final' AND c.level IN ('complete', 'incomplete')
      AND g.kind IN ('grassroots_committee', 'grassroots_cell')
),
cells AS (
    SELECT w.owner, cell.id, cell.name FROM weak w JOIN cells_organization cell ON cell.id = w.owner
        WHERE cell.kind IN ('cell', 'grassroots_cell')
    UNION ALL
    SELECT w.owner, cell.id, cell.name FROM weak w JOIN cells_organization cell ON cell.parent_id = w.owner
        WHERE cell.kind IN ('cell', 'grassroots_cell')
    UNION ALL
    SELECT w.owner, cell.id, cell.name FROM weak w JOIN cells_organization section ON section.parent_id = w.owner
        JOIN cells_organization cell ON cell.parent_id = section.id WHERE cell.kind IN ('cell', 'grassroots_cell')
),
figures AS (
    SELECT cells.owner, cells.name,
        (SELECT y.regular FROM cells_meetingyear y WHERE y.organization_id = cells.id
            AND y.year = %(year)s) AS regular,
        (SELECT MAX(a.decision_date) FROM cells_admission a WHERE a.organization_id = cells.id
            AND a.decision_date <= %(last)s) AS last_admission
    FROM cells
)
SELECT w.owner, w.label, f.name, f.regular, f.last_admission FROM weak w LEFT JOIN figures f ON f.owner = w.owner
"""


def measure_job(profile, repeat: int) -> dict:
    from django.db import connection

    from plans.services.candidates import candidates_flag

    year = profile.years[-1]
    params = {"year": year, "first": f"{year}-01-01", "last": f"{year}-12-31"}
    candidates_flag(year=year)  # warm; the data set already holds this run's result
    job = timed(lambda: candidates_flag(year=year), repeat)

    def statement():
        with connection.cursor() as cursor:
            cursor.execute(JOB_SQL, params)
            cursor.fetchall()

    sql = timed(statement, repeat)
    result = {"job_p50_ms": ms(statistics.median(job)), "sql_p50_ms": ms(statistics.median(sql))}
    result["ratio"] = round(result["job_p50_ms"] / result["sql_p50_ms"], 2)
    print(f"  candidate job {result['job_p50_ms']} ms, one SQL statement {result['sql_p50_ms']} ms: ×{result['ratio']}")
    return result


def measure_reports(profile, scope_code: str) -> list[dict]:
    from io import StringIO

    from django.core.management import call_command

    year = profile.years[-1]
    reports = [
        ("meeting_compliance", ["meeting_compliance", str(profile.meeting_year), "--org", scope_code, "--json"]),
        ("classification_summary", ["classification_summary", str(year), "--org", scope_code, "--json"]),
        ("consolidation_report", ["consolidation_report", "--org", scope_code, "--json"]),
    ]
    results = []
    for name, arguments in reports:
        start = time.perf_counter()
        call_command(*arguments, stdout=StringIO())
        seconds = time.perf_counter() - start
        results.append({"report": name, "ms": ms(seconds)})
        print(f"  {name}: {ms(seconds)} ms", flush=True)
    return results


def measure_imports(args, profile, results: list) -> list[dict]:
    """Appends to `results` as it goes, so that a run stopped during the long national imports keeps the rest."""
    from bench.imports import measure, write_files

    with tempfile.TemporaryDirectory() as directory:
        files = write_files(
            Path(directory), year=profile.years[-1], meeting_year=profile.meeting_year, limit=args.import_rows
        )
        for kind in args.import_kinds or ("organizations", "classifications", "meetings"):
            for part in (f"{kind}-tenth", kind):
                figures = measure(args.database_url, kind, files[part])
                row = {"import": kind, "file": "tenth" if part.endswith("tenth") else "whole", **figures}
                results.append(row)
                print(f"  import {kind:16} {row['file']:6} {figures}", flush=True)
                if args.json:
                    saved = json.loads(Path(args.json).read_text(encoding="utf-8"))
                    saved["imports"] = results
                    Path(args.json).write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")
    return results


def run(args) -> None:
    from bench.setup import django_for

    django_for(args.database_url)
    from django.conf import settings
    from django.db import connection

    settings.ROOT_URLCONF = "bench.urls"  # the project's URLs and the bare views
    profile = PROFILES[args.profile]
    repeat = args.repeat or (7 if profile.name == "national" else 15)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    figures = {
        "profile": profile.name,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()}, {platform.machine()}, {__import__('os').cpu_count()} cores, "
        f"load {__import__('os').getloadavg()[0]:.1f}",
        "python": platform.python_version(),
        "postgresql": server,
        "repeat": repeat,
    }
    from cells.models import Meeting, Organization

    figures["rows"] = {"organizations": Organization.objects.count(), "meetings": Meeting.objects.count()}
    print(f"{figures}", flush=True)
    root = Organization.objects.filter(parent__isnull=True).order_by("pk").values_list("code", flat=True)[0]
    sections = [
        ("pages", "pages:", lambda: measure_pages(profile, repeat, args.page)),
        ("job", "candidate job:", lambda: measure_job(profile, max(3, repeat // 2))),
        ("reports", "reports:", lambda: measure_reports(profile, root)),
        (
            "imports",
            "imports (re-import of the stored rows, a child process each):",
            lambda: measure_imports(args, profile, figures.setdefault("imports", [])),
        ),
    ]
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, title, measure in sections:
        if name in args.skip:
            continue
        print(title, flush=True)
        figures[name] = measure()
        if args.json:  # written after each section: a long national run keeps what it measured
            Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    print(markdown(figures))


def markdown(figures: dict) -> str:
    """The tables of bench/README.md."""
    lines = [f"{figures['profile']} · {figures['date']} · {figures['machine']} · PostgreSQL {figures['postgresql']}"]
    if figures.get("pages"):
        lines += [
            "",
            "| user | page | queries | p50 ms | p95 ms | bare p50 ms | × bare |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in figures["pages"]:
            lines.append(
                f"| {row['user']} | {row['page']} | {row['queries']} | {row['p50_ms']} | {row['p95_ms']} "
                f"| {row['bare_p50_ms']} | {row['ratio']} |"
            )
    if figures.get("job"):
        job = figures["job"]
        lines += [
            "",
            f"Candidate job: {job['job_p50_ms']} ms; one SQL statement: {job['sql_p50_ms']} ms (×{job['ratio']}).",
        ]
    if figures.get("reports"):
        lines += ["", "| report | ms |", "| --- | ---: |"]
        lines += [f"| {row['report']} | {row['ms']} |" for row in figures["reports"]]
    if figures.get("imports"):
        lines += [
            "",
            "| import | file | rows | s | rows/s | CPU s (the import's process) | load | peak RSS MB |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in figures["imports"]:
            lines.append(
                f"| {row['import']} | {row['file']} | {row.get('rows')} | {row.get('seconds')} "
                f"| {row.get('rows_per_second')} | {row.get('cpu_seconds')} | {row.get('load')} "
                f"| {row.get('peak_rss_mb')} |"
            )
    return "\n".join(lines)
