"""`python -m bench generate`: fill an empty database with a data set of a profile.

Organizations, classifications and meetings go through the project's own imports (a file per
province and year, as provinces would send them); life spans, admissions, quotas, decisions,
plans and tasks, which have no import, are written in bulk; candidates come from the job.
Everything is drawn from one seeded random generator: the same profile gives the same data.
"""

import csv
import datetime
import random
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.profiles import DISTRICT_USER, NATIONAL_USER, PROFILES, Profile

D = datetime.date
PLACES = [
    "Tân Mỹ", "Gia Miễn", "Hoàng Văn Thụ", "Nà Mò", "Bản Làn", "Pò Cại", "Yên Ngoại", "Đông Kinh", "Hồng Phong",
    "Thụy Hùng", "Chi Lăng", "Bắc Sơn", "Điềm He", "Hội Hoan", "Thành Hòa", "Lộc Bình", "Na Sầm", "Kỳ Lừa",
    "Quảng Lạc", "Mai Pha", "Xuân Long", "Tràng Định", "Văn Quan", "Đồng Đăng", "Cao Lộc", "Hữu Lũng",
]  # fmt: skip
SECTORS = ["xã", "xã", "xã", "phường", "cơ quan", "doanh nghiệp", "đơn vị sự nghiệp", "công an", "quân sự"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Hoàng", "Nông", "Vi", "Lương", "Hà", "Phạm", "Đinh"]
GIVEN = ["Văn Hùng", "Thị Hoa", "Văn Tú", "Thị Mai", "Đức Anh", "Thị Lan", "Văn Bình", "Minh Châu"]
# Levels drawn fresh: ~12% excellent, most good, few complete or incomplete (DOMAIN.md).
LEVEL_WEIGHTS = [("excellent", 12), ("good", 78), ("complete", 8), ("incomplete", 2)]
SCORE_BANDS = {"excellent": (90, 98), "good": (70, 89), "complete": (50, 69), "incomplete": (30, 49)}


@dataclass
class Unit:
    code: str
    kind: str  # cells.Organization.Kind value
    parent: str
    region: int  # which top-level unit (province) it belongs to: one file per region
    founded: datetime.date | None = None
    dissolved: datetime.date | None = None
    successor: str = ""


@dataclass
class Tree:
    units: list[Unit] = field(default_factory=list)
    root: str = ""
    district: str = ""  # the district user's scope

    @property
    def classified(self):
        return [u for u in self.units if u.kind in ("grassroots_committee", "grassroots_cell", "cell")]

    @property
    def cells(self):
        return [u for u in self.units if u.kind in ("grassroots_cell", "cell")]

    @property
    def grassroots(self):
        return [u for u in self.units if u.kind in ("grassroots_committee", "grassroots_cell")]


KIND_LABELS = {
    "upper_committee": "Đảng bộ cấp trên cơ sở",
    "grassroots_committee": "Đảng bộ cơ sở",
    "grassroots_cell": "Chi bộ cơ sở",
    "section_committee": "Đảng bộ bộ phận",
    "cell": "Chi bộ trực thuộc",
}


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def build_tree(profile: Profile, rng: random.Random) -> tuple[Tree, list[list]]:
    """The units and the rows of the organization file (children before parents, as a province might send)."""
    tree, rows = Tree(), []
    root_name = {"national": "Đảng bộ toàn quốc", "province": "Đảng bộ tỉnh Lạng Sơn"}.get(
        profile.name, "Đảng bộ huyện Văn Lãng"
    )
    tree.root = "VN" if profile.name == "national" else "T00" if profile.name == "province" else "H00"
    tree.units.append(Unit(tree.root, "upper_committee", "", 0))
    rows.append([tree.root, root_name, KIND_LABELS["upper_committee"], "", ""])

    def uppers(parent: str, level: int, region: int):
        if level == len(profile.uppers):
            yield parent, region
            return
        for n in range(profile.uppers[level]):
            code = f"{parent}-{'TH'[min(level, 1)]}{n:02d}"
            kind_name = "Đảng bộ tỉnh" if level == 0 and len(profile.uppers) == 2 else "Đảng bộ huyện"
            name = f"{kind_name} {PLACES[(n + level) % len(PLACES)]} {n + 1}"
            child_region = n if level == 0 else region
            tree.units.append(Unit(code, "upper_committee", parent, child_region))
            rows.append([code, name, KIND_LABELS["upper_committee"], parent, ""])
            yield from uppers(code, level + 1, child_region)

    for upper, region in list(uppers(tree.root, 0, 0)):
        tree.district = tree.district or upper
        for g in range(profile.grassroots_per_upper):
            code = f"{upper}-X{g:02d}"
            sector = rng.choice(SECTORS)
            place = f"{rng.choice(PLACES)} {g + 1}"
            if rng.random() < 0.15:  # a grassroots cell: classified and meeting as a cell itself
                tree.units.append(Unit(code, "grassroots_cell", upper, region))
                rows.append([code, f"Chi bộ {sector} {place}", KIND_LABELS["grassroots_cell"], upper, sector])
                continue
            tree.units.append(Unit(code, "grassroots_committee", upper, region))
            rows.append([code, f"Đảng bộ {sector} {place}", KIND_LABELS["grassroots_committee"], upper, sector])
            cells = max(1, round(rng.gauss(profile.cells_per_grassroots * 1.18, 1.5)))
            parent = code
            for c in range(cells):
                if c == 3 and rng.random() < 0.05:  # a section committee holds the rest of the cells
                    parent = f"{code}-B"
                    tree.units.append(Unit(parent, "section_committee", code, region))
                    rows.append([parent, f"Đảng bộ bộ phận {place}", KIND_LABELS["section_committee"], code, ""])
                cell = f"{code}-C{c:02d}"
                tree.units.append(Unit(cell, "cell", parent, region))
                rows.append([cell, f"Chi bộ thôn {rng.choice(PLACES)} {c + 1}", KIND_LABELS["cell"], parent, ""])
    rows.reverse()  # children first: the import must not rely on the order
    return tree, rows


def life_spans(tree: Tree, rng: random.Random) -> None:
    """Some units founded during the ten years, some dissolved, mergers with a successor."""
    by_parent: dict[str, list[Unit]] = {}
    for unit in tree.units:
        by_parent.setdefault(unit.parent, []).append(unit)
    for children in list(by_parent.values()):
        grassroots = [u for u in children if u.kind in ("grassroots_committee", "grassroots_cell")]
        for index, unit in enumerate(grassroots):
            draw = rng.random()
            if draw < 0.02 and index > 0:
                # Merged into its neighbour (the 2025 reorganization of communes, or earlier).
                unit.dissolved = rng.choice([D(2020, 1, 1), D(2025, 7, 1)])
                unit.successor = grassroots[index - 1].code
            elif draw < 0.05:
                unit.founded = D(rng.randint(2017, 2023), rng.randint(1, 12), 1)
            else:
                continue
            for below in by_parent.get(unit.code, []):
                below.founded, below.dissolved = unit.founded, unit.dissolved
                for cell in by_parent.get(below.code, []):
                    cell.founded, cell.dissolved = unit.founded, unit.dissolved
    # A predecessor's successor must itself live on: drop chains that would point at a dissolved unit.
    dissolved = {u.code for u in tree.units if u.dissolved}
    for unit in tree.units:
        if unit.successor in dissolved:
            unit.successor = ""


def active_in(unit: Unit, year: int) -> bool:
    founded, dissolved = unit.founded, unit.dissolved
    return (founded is None or founded.year <= year) and (dissolved is None or dissolved.year >= year)


def write_csv(path: Path, header: list[str], rows) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def classification_rows(units: list[Unit], year: int, levels: dict[str, str], rng: random.Random):
    names, weights = zip(*LEVEL_WEIGHTS, strict=True)
    for unit in units:
        if not active_in(unit, year):
            continue
        previous = levels.get(unit.code)
        # Results persist: a weak unit tends to stay weak a year or two.
        level = previous if previous and rng.random() < 0.55 else rng.choices(names, weights)[0]
        levels[unit.code] = level
        score = ""
        if year >= 2025:
            low, high = SCORE_BANDS[level]
            score = str(rng.randint(low, high))
        yield [unit.code, year, level, score]


def meeting_rows(cells: list[Unit], year: int, rng: random.Random):
    """About 12 regular and 4 themed meetings a year per cell (half of the themed ones combined),
    fewer for some cells, none recorded for a few."""
    for cell in cells:
        if not active_in(cell, year) or rng.random() < 0.04:
            continue
        first = cell.founded if cell.founded and cell.founded.year == year else D(year, 1, 1)
        last = cell.dissolved if cell.dissolved and cell.dissolved.year == year else D(year, 12, 31)
        months = list(range(first.month, last.month + 1))
        if rng.random() < 0.1:  # a cell that met irregularly
            months = sorted(rng.sample(months, max(1, len(months) - rng.randint(2, 6))))
        total = rng.randint(6, 45)
        for month in months:
            day = rng.randint(3, 25)
            present = total - rng.choice([0, 0, 1, 1, 2, 3])
            themed = month % 3 == 0
            kind = "combined" if themed and rng.random() < 0.5 else "regular"
            date = D(year, month, day)
            if first <= date <= last:
                duration = rng.choice([90, 120, 150])
                yield [cell.code, date.strftime("%d/%m/%Y"), kind, total, max(present, 1), duration, ""]
            if themed and kind == "regular":
                themed_date = D(year, month, min(day + 2, 28))
                if first <= themed_date <= last:
                    yield [cell.code, themed_date.strftime("%d/%m/%Y"), "themed", total, max(present - 1, 1), 120,
                           "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"]  # fmt: skip


def by_region(units: list[Unit]) -> dict[int, list[Unit]]:
    regions: dict[int, list[Unit]] = {}
    for unit in units:
        regions.setdefault(unit.region, []).append(unit)
    return regions


def generate(profile_name: str, url: str, workdir: str | None = None, *, direct: bool = False, resume=False) -> dict:
    from bench.setup import create_database, django_for

    profile = PROFILES[profile_name]
    create_database(url)
    django_for(url)
    from django.core.management import call_command

    from assessments.models import Classification
    from cells.models import Admission, Meeting, Organization
    from plans.models import Candidate

    call_command("migrate", verbosity=0)
    if Organization.objects.exists() and not resume:
        raise SystemExit(f"{url} already holds organizations: generate fills an empty database only.")
    rng = random.Random(2018)
    timings = {}
    started = time.perf_counter()
    # With --resume, a step whose rows are already there is skipped (a run stopped half way).
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmp = Path(tmp)
        tree, rows = build_tree(profile, rng)
        life_spans(tree, rng)
        if not Organization.objects.exists():
            timings["organizations"] = _import_organizations(tmp, rows)
            _store_life_spans(tree)
        if not Classification.objects.exists():
            copy_or_import = _copy_classifications if direct else partial(_import_classifications, tmp)
            timings["classifications"] = copy_or_import(tree, profile, rng)
        if not Meeting.objects.exists():
            copy_or_import = _copy_meetings if direct else partial(_import_meetings, tmp)
            timings["meetings"] = copy_or_import(tree, profile, rng)
    if not Admission.objects.exists():
        timings["admissions"] = _admissions(tree, profile, rng)
    _users(tree)
    if not Candidate.objects.exists():
        timings["candidates"] = _candidates_and_plans(tree, profile, rng)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["total"] = round(time.perf_counter() - started, 1)
    log(f"done in {timings['total']} s: {timings}")
    return timings


def _timed(label: str, function):
    start = time.perf_counter()
    value = function()
    seconds = round(time.perf_counter() - start, 1)
    log(f"{label}: {seconds} s")
    return value, seconds


def _import_organizations(tmp: Path, rows: list[list]) -> float:
    from cells.importing import organizations_import

    path = tmp / "organizations.csv"
    count = write_csv(path, ["code", "name", "kind", "parent_code", "sector"], rows)
    result, seconds = _timed(f"import_organizations ({count} rows)", lambda: organizations_import(path=path))
    if result.errors:
        raise SystemExit(f"organization import failed: {result.errors[:5]}")
    return seconds


def _store_life_spans(tree: Tree) -> None:
    from cells.models import Organization

    ids = dict(Organization.objects.values_list("code", "pk"))
    changed = [
        Organization(
            pk=ids[u.code],
            founded=u.founded,
            dissolved=u.dissolved,
            successor_id=ids[u.successor] if u.successor else None,
        )
        for u in tree.units
        if u.founded or u.dissolved
    ]
    Organization.objects.bulk_update(changed, ["founded", "dissolved", "successor"], batch_size=2000)
    log(f"life spans: {len(changed)} units founded or dissolved during the years")


def _import_classifications(tmp: Path, tree: Tree, profile: Profile, rng: random.Random) -> float:
    from assessments.imports import classifications_import
    from assessments.signals import results_finalized

    # Each finalized file would queue a national run of the candidate job (plans.receivers): the
    # generator runs the job once per year at the end instead.
    results_finalized.disconnect(dispatch_uid="plans.services.candidates.results_finalized")
    regions = by_region(tree.classified)
    levels: dict[str, str] = {}
    start, rows = time.perf_counter(), 0
    for year in profile.years:
        for region, units in regions.items():
            path = tmp / f"classifications-{region:02d}-{year}.csv"
            rows += write_csv(path, ["code", "year", "level", "score"], classification_rows(units, year, levels, rng))
            report = classifications_import(path=path)
            if report.errors:
                raise SystemExit(f"classification import failed ({path.name}): {report.errors[:5]}")
            path.unlink()
        log(f"classifications {year}: {rows} rows so far")
    seconds = round(time.perf_counter() - start, 1)
    log(f"import_classifications ({rows} rows in {len(profile.years) * len(regions)} files): {seconds} s")
    return seconds


def _import_meetings(tmp: Path, tree: Tree, profile: Profile, rng: random.Random) -> float:
    from cells.meeting_import import meetings_import

    start, rows = time.perf_counter(), 0
    for region, cells in by_region(tree.cells).items():
        path = tmp / f"meetings-{region:02d}-{profile.meeting_year}.csv"
        header = ["cell_code", "date", "kind", "members_total", "members_present", "duration_minutes", "topic"]
        rows += write_csv(path, header, meeting_rows(cells, profile.meeting_year, rng))
        result = meetings_import(path=path)
        if result.errors:
            raise SystemExit(f"meeting import failed ({path.name}): {result.errors[:5]}")
        path.unlink()
    seconds = round(time.perf_counter() - start, 1)
    log(f"import_meetings ({rows} rows): {seconds} s")
    return seconds


def _admissions(tree: Tree, profile: Profile, rng: random.Random) -> float:
    """Admissions have no import (personal data entered by hand): written in bulk, with quotas."""
    from cells.models import Admission, AdmissionQuota, Organization

    start = time.perf_counter()
    ids = dict(Organization.objects.values_list("code", "pk"))
    batch, quotas = [], []
    for year in profile.admission_years:
        for cell in tree.cells:
            if not active_in(cell, year) or rng.random() < 0.55:
                continue
            for _n in range(rng.choice([1, 1, 1, 2])):
                decided = D(year, rng.randint(1, 12), rng.randint(1, 28))
                batch.append(
                    Admission(
                        organization_id=ids[cell.code],
                        full_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                        birth_date=D(rng.randint(1985, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                        decision_date=decided,
                        decision_number=f"{rng.randint(1, 999)}-QĐ/ĐU",
                        ceremony_date=decided + datetime.timedelta(days=20),
                    )
                )
            if len(batch) >= 20_000:
                Admission.objects.bulk_create(batch, batch_size=5000)
                batch = []
        for unit in tree.grassroots:
            if active_in(unit, year):
                quotas.append(AdmissionQuota(organization_id=ids[unit.code], year=year, quota=rng.randint(2, 12)))
    Admission.objects.bulk_create(batch, batch_size=5000)
    AdmissionQuota.objects.bulk_create(quotas, batch_size=5000, ignore_conflicts=True)
    seconds = round(time.perf_counter() - start, 1)
    log(f"admissions ({Admission.objects.count()}) and quotas ({len(quotas)}): {seconds} s")
    return seconds


def _users(tree: Tree) -> None:
    from cells.models import Organization
    from cells.services import user_role_grant

    user_role_grant(username=NATIONAL_USER, role="staff", organization=Organization.objects.get(code=tree.root))
    user_role_grant(username=DISTRICT_USER, role="staff", organization=Organization.objects.get(code=tree.district))


def _candidates_and_plans(tree: Tree, profile: Profile, rng: random.Random) -> float:
    """The job proposes candidates from each year's results; the committees decide; plans and tasks follow."""
    from django.contrib.auth import get_user_model

    from plans.models import Candidate, Plan, Task
    from plans.services.candidates import candidates_flag

    start = time.perf_counter()
    years = profile.years[-4:]
    for year in years:
        candidates_flag(year=year)
    lead = get_user_model().objects.get(username=NATIONAL_USER)
    decided_years = {year + 1 for year in years[:-1]}  # the latest year's candidates are still pending
    candidates = list(Candidate.objects.filter(year__in=decided_years))
    plans = []
    for candidate in candidates:
        selected = rng.random() < 0.75
        candidate.status = Candidate.Status.PROPOSED
        candidate.decision = Candidate.Decision.SELECTED if selected else Candidate.Decision.NOT_SELECTED
        candidate.decision_reason = "" if selected else "Đã khắc phục trong năm."
        candidate.decision_number = f"{rng.randint(1, 400)}-NQ/HU"
        candidate.decision_date = D(candidate.year, 2, rng.randint(1, 28))
        candidate.decided_by = lead
        if selected:
            state = Plan.State.COMPLETED if candidate.year < profile.meeting_year else Plan.State.IN_PROGRESS
            plans.append(
                Plan(
                    candidate=candidate,
                    organization_id=candidate.organization_id,
                    year=candidate.year,
                    number=f"{rng.randint(1, 300)}-KH/HU",
                    issued_on=D(candidate.year, 3, rng.randint(1, 28)),
                    weaknesses="Sinh hoạt chưa đều; chất lượng sinh hoạt chưa cao.",
                    state=state,
                    lead=lead,
                )
            )
    Candidate.objects.bulk_update(
        candidates, ["status", "decision", "decision_reason", "decision_number", "decision_date", "decided_by"], 2000
    )
    Plan.objects.bulk_create(plans, batch_size=2000)
    tasks = [
        Task(
            plan=plan,
            title=title,
            due=D(plan.year, month, 28),
            state=Task.State.DONE if plan.state == Plan.State.COMPLETED else rng.choice(list(Task.OPEN_STATES)),
            assignee=lead,
        )
        for plan in plans
        for title, month in (("Dự sinh hoạt chi bộ hằng tháng", 12), ("Kiện toàn cấp ủy", 6), ("Sơ kết 6 tháng", 7))
    ]
    Task.objects.bulk_create(tasks, batch_size=5000)
    seconds = round(time.perf_counter() - start, 1)
    log(f"candidates ({Candidate.objects.count()}), plans ({len(plans)}), tasks ({len(tasks)}): {seconds} s")
    return seconds


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows into a table: for `--direct`, when the data set matters and not the import's speed."""
    from django.db import connection, transaction

    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _copy_classifications(tree: Tree, profile: Profile, rng: random.Random) -> float:
    """The same rows as the import files, final, with the deciding body the import would compute."""
    import datetime as dt

    from assessments.rules import rule_set_for
    from cells.models import Organization

    start = time.perf_counter()
    ids = dict(Organization.objects.values_list("code", "pk"))
    units = {unit.code: unit for unit in tree.units}

    def deciding_body(unit: Unit) -> int | None:
        wanted = ("grassroots_committee", "grassroots_cell") if unit.kind == "cell" else ("upper_committee",)
        parent = units.get(unit.parent)
        while parent is not None and parent.kind not in wanted:
            parent = units.get(parent.parent)
        return ids[parent.code] if parent else None

    now = dt.datetime.now(dt.UTC)
    levels: dict[str, str] = {}
    columns = ["organization_id", "year", "level", "label", "rule_set", "score", "deciding_body_id",
               "decision_number", "note", "state", "change_reason", "updated_at"]  # fmt: skip

    def rows():
        for year in profile.years:
            rules = rule_set_for(year)
            for region_units in by_region(tree.classified).values():
                for code, _year, level, score in classification_rows(region_units, year, levels, rng):
                    unit = units[code]
                    yield [ids[code], year, level, rules.label(level), rules.code, score or None,
                           deciding_body(unit), "", "", "final", "", now]  # fmt: skip

    count = _copy("assessments_classification", columns, rows())
    seconds = round(time.perf_counter() - start, 1)
    log(f"classifications written directly ({count} rows, --direct): {seconds} s")
    return seconds


def _copy_meetings(tree: Tree, profile: Profile, rng: random.Random) -> float:
    import datetime as dt

    from cells.models import Organization

    start = time.perf_counter()
    ids = dict(Organization.objects.values_list("code", "pk"))
    now = dt.datetime.now(dt.UTC)
    columns = ["organization_id", "date", "kind", "members_total", "members_present", "duration_minutes", "topic",
               "guest", "chair", "minutes_secretary", "content", "resolution", "minutes_scan", "created_at",
               "updated_at", "version"]  # fmt: skip

    def rows():
        for cells in by_region(tree.cells).values():
            for code, date, kind, total, present, duration, topic in meeting_rows(cells, profile.meeting_year, rng):
                day, month, year = (int(part) for part in date.split("/"))
                guest = "Nông Văn Tú, đảng ủy viên" if rng.random() < 0.2 else ""
                yield [ids[code], D(year, month, day), kind, total, present, duration, topic, guest, "", "", "", "",
                       "", now, now, 1]  # fmt: skip

    count = _copy("cells_meeting", columns, rows())
    from cells.meeting_years import meeting_years_rebuild

    meeting_years_rebuild(year=profile.meeting_year)  # COPY skips the summary's refresh: the year recounted
    seconds = round(time.perf_counter() - start, 1)
    log(f"meetings written directly ({count} rows, --direct): {seconds} s")
    return seconds
