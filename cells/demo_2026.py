"""Văn Lãng after the 2025 reform, as it stands on 01/12/2026 (added to the trees of `cells.demo`).

From 01/07/2025 the new communes' committees are the level above the grassroots: the village cells
of the old communes go on as grassroots cells (chi bộ cơ sở) under the new commune, the military
cells of the merged communes become one per new commune, and each commune's police gets its cell.
The district's own agencies end with the district; schools, the health centre, banks and companies
go on under the commune where they sit, the border posts under the province. Every ended unit
points to where its work went (`successor`).

The work of 2026 is recorded for Hội Hoan (Gia Miễn's successor) and Tân Thanh (Tân Mỹ's): monthly
meetings since July 2025, November 2026 not yet recorded by some cells, admissions under way with
their ceremony or full membership due in December, and the 2026 quotas. Running it again adds
nothing.
"""

import datetime

from cells.audit import audit_bulk
from cells.demo import (
    CELLS,
    COMMUNES_2025,
    DEMO_PASSWORD,
    OTHER_UNITS,
    REFORM_2025,
    _upsert,
    demo_login,
    slug,
    unit_code,
)
from cells.models import Admission, AdmissionQuota, Meeting, Organization

D = datetime.date
Kind = Organization.Kind
Sector = Organization.Sector
NEW_DAY = REFORM_2025 + datetime.timedelta(days=1)

# District units that go on after the reform: old name → (new commune, or None for the province; new name).
CONTINUING = {
    "Trung tâm Y tế huyện": ("Na Sầm", "Trung tâm Y tế khu vực Văn Lãng"),
    "Trường THPT Văn Lãng": ("Na Sầm", "Trường THPT Văn Lãng"),
    "Trường THPT Na Sầm": ("Na Sầm", "Trường THPT Na Sầm"),
    "Trường THPT Hoàng Văn Thụ": ("Hoàng Văn Thụ", "Trường THPT Hoàng Văn Thụ"),
    "Trường THCS thị trấn Na Sầm": ("Na Sầm", "Trường THCS Na Sầm"),
    "Trường PTDTNT THCS huyện": ("Na Sầm", "Trường PTDTNT THCS Văn Lãng"),
    "Trường Tiểu học thị trấn Na Sầm": ("Na Sầm", "Trường Tiểu học Na Sầm"),
    "Trường Mầm non thị trấn Na Sầm": ("Na Sầm", "Trường Mầm non Na Sầm"),
    "Chi cục Hải quan cửa khẩu Tân Thanh": ("Tân Thanh", "Hải quan cửa khẩu Tân Thanh"),
    "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Văn Lãng": (
        "Na Sầm",
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Văn Lãng",
    ),
    "Ngân hàng Chính sách xã hội huyện": ("Na Sầm", "Phòng giao dịch Ngân hàng Chính sách xã hội Văn Lãng"),
    "Điện lực Văn Lãng": ("Na Sầm", "Điện lực Văn Lãng"),
    "Bưu điện huyện Văn Lãng": ("Na Sầm", "Bưu điện Văn Lãng"),
    "Công ty TNHH Thương mại Tân Thanh": ("Tân Thanh", "Công ty TNHH Thương mại Tân Thanh"),
    "Đồn Biên phòng cửa khẩu Tân Thanh": (None, "Đồn Biên phòng cửa khẩu Tân Thanh"),
    "Đồn Biên phòng Na Hình": (None, "Đồn Biên phòng Na Hình"),
    "Đồn Biên phòng Bảo Lâm": (None, "Đồn Biên phòng Bảo Lâm"),
}
# The communes whose 2026 work the demo records, with a login each.
RECORDED = ("Hội Hoan", "Tân Thanh")
LOGINS = [
    ("canbo.hoihoan", "staff", "Hội Hoan", "Lăng Thị Huyền"),
    ("thuongvu.hoihoan", "standing", "Hội Hoan", "Hoàng Văn Quyết"),
    ("bithu.hoihoan", "secretary", "Hội Hoan", "Đinh Văn Hải"),
    ("bithu.tanthanh", "secretary", "Tân Thanh", "Lộc Thị Mai"),
]

# Admissions under way on 01/12/2026: (commune, cell, name, birth, awareness class, cell resolution, decision,
# ceremony); the ceremony due in December, or the probation ending and full membership to consider.
ADMISSIONS = [
    ("Hội Hoan", "Nặm Bao", "Nông Thị Thảo", D(2001, 5, 12), D(2025, 9, 15), D(2026, 8, 10), D(2026, 11, 16), None),
    ("Hội Hoan", "Bản Làn", "Lương Văn Đức", D(1994, 2, 3), D(2024, 10, 7), D(2025, 8, 11), D(2025, 10, 20),
     D(2025, 11, 14)),
    ("Hội Hoan", "Khòn Nà", "Hoàng Thị Nhung", D(1998, 9, 25), D(2025, 3, 17), D(2026, 3, 9), D(2026, 5, 4),
     D(2026, 5, 29)),
    ("Tân Thanh", "Pò Cại", "Vi Văn Quân", D(1997, 7, 19), D(2024, 11, 4), D(2025, 7, 21), D(2025, 9, 29),
     D(2025, 10, 30)),
    ("Tân Thanh", "Nà Mò", "Triệu Thị Hà", D(2000, 1, 8), D(2025, 10, 13), D(2026, 9, 7), D(2026, 11, 9), None),
]  # fmt: skip
QUOTAS_2026 = {
    "Hội Hoan": {"Nặm Bao": 1, "Bản Làn": 1, "Khòn Nà": 1, "Nà Lẹng": 1},
    "Tân Thanh": {"Pò Cại": 1, "Nà Mò": 1},
}


def commune_code(name: str) -> str:
    return f"LS-{slug(name)}"


def village_code(commune: str, cell: str) -> str:
    """The code of a village's grassroots cell: ("Hội Hoan", "Nặm Bao") → "LS-HOIHOAN-THONNAMBAO"."""
    return f"{commune_code(commune)}-{slug('thôn ' + cell)}"


def village_cells(new_name: str) -> list[tuple[Organization, str]]:
    """(old cell, new grassroots cell's name) for the village cells of the communes `new_name` took over."""
    pairs = []
    for old_name in COMMUNES_2025[new_name]:
        old = Organization.objects.get(code=unit_code(old_name))
        if old.dissolved != REFORM_2025:
            continue  # merged in 2019: its cells ended then
        named = old_name in CELLS
        for cell in old.children.filter(kind=Kind.CELL).order_by("code"):
            village = cell.name.removeprefix("Chi bộ ").removeprefix("Thôn ")
            if village == "Quân sự":
                continue
            old_commune = f"{old_name[0].lower()}{old_name[1:]}"
            pairs.append((cell, f"Chi bộ thôn {village}" if named else f"Chi bộ thôn {village} ({old_commune} cũ)"))
    return pairs


def _grassroots_cell(commune: Organization, name: str, sector: str = "", kind=Kind.GRASSROOTS_CELL) -> Organization:
    short = slug(name.removeprefix("Chi bộ ").removeprefix("Đảng bộ "))[:40]
    return _upsert(f"{commune.code}-{short}", name=name, kind=kind, sector=sector, parent=commune, founded=NEW_DAY)


def _end(old: Organization, successor: Organization | None) -> None:
    _upsert(
        old.code,
        name=old.name,
        kind=old.kind,
        sector=old.sector,
        parent=old.parent,
        dissolved=REFORM_2025,
        successor=successor,
    )


def build_tree() -> dict[str, Organization]:
    communes = {name: Organization.objects.get(code=commune_code(name)) for name in COMMUNES_2025}
    for new_name, commune in communes.items():
        military = _grassroots_cell(commune, f"Chi bộ Quân sự xã {new_name}", Sector.MILITARY)
        _grassroots_cell(commune, f"Chi bộ Công an xã {new_name}", Sector.POLICE)
        for old_cell, village in village_cells(new_name):
            _end(old_cell, _grassroots_cell(commune, village))
        for old_name in COMMUNES_2025[new_name]:
            old = Organization.objects.get(code=unit_code(old_name))
            if old.dissolved == REFORM_2025:
                for cell in Organization.objects.filter(parent=old, code=f"{old.code}-{slug('Quân sự')}"):
                    _end(cell, military)

    province = Organization.objects.get(code="LS")
    for name, kind, sector in OTHER_UNITS:
        old = Organization.objects.get(code=f"VL-{slug(name)[:40]}")
        successor = None
        if name in CONTINUING:
            where, new_name = CONTINUING[name]
            parent = communes[where] if where else province
            prefix = "Chi bộ" if kind == Kind.GRASSROOTS_CELL else "Đảng bộ"
            successor = _grassroots_cell(parent, f"{prefix} {new_name}", sector, kind)
        _end(old, successor)  # the district's agencies end with it
    return communes


def _meetings(cells: list[Organization]) -> list[Meeting]:
    """Monthly since July 2025 (a combined meeting at each quarter's end); a few November 2026 ones not yet
    recorded, which is what the secretaries have to do on 01/12/2026."""
    meetings = []
    months = [D(2025, month, 1) for month in range(7, 13)] + [D(2026, month, 1) for month in range(1, 12)]
    for index, cell in enumerate(cells):
        total = 9 + (index * 5) % 23
        for month in months:
            if month == D(2026, 11, 1) and index % 4 == 1:
                continue
            combined = month.month in (3, 6, 9, 12)
            meetings.append(
                Meeting(
                    organization=cell,
                    date=month.replace(day=5 + index % 5),
                    kind=Meeting.Kind.COMBINED if combined else Meeting.Kind.REGULAR,
                    duration_minutes=120 if combined else 90,
                    members_total=total,
                    members_present=total - (index + month.month) % 3,
                    topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" if combined else "",
                    chair=f"Bí thư {cell.name}",
                    minutes_secretary=f"Phó Bí thư {cell.name}",
                    content="Đánh giá kết quả tháng, triển khai nhiệm vụ tháng tới.",
                    resolution="Thống nhất các nhiệm vụ trọng tâm của tháng.",
                )
            )
    return meetings


def build():
    communes = build_tree()
    recorded = [communes[name] for name in RECORDED]
    # The new communes' cells, all founded on 01/07/2025.
    cells = list(Organization.objects.filter(parent__in=recorded).cells().order_by("code"))
    stored = set(Meeting.objects.filter(organization__in=cells).values_list("organization_id", "date", "kind"))
    new = [m for m in _meetings(cells) if (m.organization.pk, m.date, m.kind) not in stored]
    audit_bulk(action="create", objects=Meeting.objects.bulk_create(new))

    by_code = {cell.code: cell for cell in cells}
    known = set(Admission.objects.filter(organization__in=cells).values_list("organization_id", "full_name"))
    admissions = []
    for number, (commune, cell, name, birth, awareness, resolution, decision, ceremony) in enumerate(ADMISSIONS, 40):
        organization = by_code[village_code(commune, cell)]
        if (organization.pk, name) in known:
            continue
        admissions.append(
            Admission(
                organization=organization,
                full_name=name,
                birth_date=birth,
                awareness_class_date=awareness,
                cell_resolution_date=resolution,
                grassroots_resolution_date=resolution,  # a grassroots cell: its resolution is the grassroots one
                decision_date=decision,
                decision_number=f"{number}-QĐ/ĐU",
                ceremony_date=ceremony,
            )
        )
    audit_bulk(action="create", objects=Admission.objects.bulk_create(admissions))
    for commune, quotas in QUOTAS_2026.items():
        for cell, quota in quotas.items():
            organization = by_code[village_code(commune, cell)]
            AdmissionQuota.objects.update_or_create(organization=organization, year=2026, defaults={"quota": quota})

    logins = []
    for username, role, commune, full_name in LOGINS:
        demo_login(username=username, role=role, scope=communes[commune], full_name=full_name)
        logins.append((username, DEMO_PASSWORD, role, communes[commune].name))
    return logins
