"""The organization tree of the Văn Lãng story, and one demo user per role.

Codes are readable so that later parts of the story (classifications, plans, meetings) and
their tests can name units: the district is "VL", Gia Miễn "VL-GIAMIEN", its cell Nặm Bao
"VL-GIAMIEN-NAMBAO". The 2019 merger (Nghị quyết 818/NQ-UBTVQH14, in force 01/01/2020) and
the 2025 reform are shown as life spans: dissolved units keep their years. Which communes
formed Bắc Hùng and Bắc Việt is simplified for the demo.
"""

import datetime

from cells.models import Organization
from cells.services import user_role_grant
from cells.text import fold

Kind = Organization.Kind
Sector = Organization.Sector

DEMO_PASSWORD = "VanLang@2018"
MERGER_2019 = datetime.date(2019, 12, 31)
REFORM_2025 = datetime.date(2025, 6, 30)


def slug(name: str) -> str:
    return "".join(ch for ch in fold(name).upper() if ch.isalnum())


# fmt: off
COMMUNES = [
    # (name, sector) of the 20 commune-level units before the 2019 merger
    ("Thị trấn Na Sầm", Sector.TOWN),
    *[
        (f"xã {name}", Sector.COMMUNE)
        for name in [
            "Trùng Quán",
            "Tân Việt",
            "Thanh Long",
            "Thụy Hùng",
            "Trùng Khánh",
            "Hội Hoan",
            "Nam La",
            "Bắc La",
            "Tân Lang",
            "Gia Miễn",
            "An Hùng",
            "Tân Tác",
            "Hoàng Việt",
            "Tân Mỹ",
            "Thành Hòa",
            "Tân Thanh",
            "Hoàng Văn Thụ",
            "Hồng Thái",
            "Nhạc Kỳ",
        ]
    ],
]
# fmt: on

# 33 more grassroots organizations make the 53 of 2018: (name, kind, sector)
OTHER_UNITS = [
    ("Cơ quan Huyện ủy", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Cơ quan Ủy ban nhân dân huyện", Kind.GRASSROOTS_COMMITTEE, Sector.AGENCY),
    ("Cơ quan Mặt trận Tổ quốc và các đoàn thể huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Viện Kiểm sát nhân dân huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Tòa án nhân dân huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Chi cục Thi hành án dân sự huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Chi cục Thuế khu vực Văn Lãng", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Kho bạc Nhà nước Văn Lãng", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Bảo hiểm xã hội huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Chi cục Hải quan cửa khẩu Tân Thanh", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Ban Quản lý các khu du lịch huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Trung tâm Y tế huyện", Kind.GRASSROOTS_COMMITTEE, Sector.PUBLIC_SERVICE),
    ("Trường THPT Văn Lãng", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trường THPT Na Sầm", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trường THPT Hoàng Văn Thụ", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trường THCS thị trấn Na Sầm", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trường PTDTNT THCS huyện", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trường Tiểu học thị trấn Na Sầm", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trường Mầm non thị trấn Na Sầm", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Trung tâm Văn hóa, Thể thao và Truyền thông huyện", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Ban Quản lý dự án đầu tư xây dựng huyện", Kind.GRASSROOTS_CELL, Sector.PUBLIC_SERVICE),
    ("Phòng Giáo dục và Đào tạo huyện", Kind.GRASSROOTS_CELL, Sector.AGENCY),
    ("Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh Văn Lãng", Kind.GRASSROOTS_CELL, Sector.ENTERPRISE),
    ("Ngân hàng Chính sách xã hội huyện", Kind.GRASSROOTS_CELL, Sector.ENTERPRISE),
    ("Điện lực Văn Lãng", Kind.GRASSROOTS_CELL, Sector.ENTERPRISE),
    ("Bưu điện huyện Văn Lãng", Kind.GRASSROOTS_CELL, Sector.ENTERPRISE),
    ("Công ty TNHH Thương mại Tân Thanh", Kind.GRASSROOTS_CELL, Sector.ENTERPRISE),
    ("Công an huyện", Kind.GRASSROOTS_COMMITTEE, Sector.POLICE),
    ("Ban Chỉ huy Quân sự huyện", Kind.GRASSROOTS_CELL, Sector.MILITARY),
    ("Đồn Biên phòng cửa khẩu Tân Thanh", Kind.GRASSROOTS_CELL, Sector.MILITARY),
    ("Đồn Biên phòng Na Hình", Kind.GRASSROOTS_CELL, Sector.MILITARY),
    ("Đồn Biên phòng Bảo Lâm", Kind.GRASSROOTS_CELL, Sector.MILITARY),
]

# Village cells of the communes in the story; the other communes get a few of their own.
# fmt: off
CELLS = {
    "xã Gia Miễn": [
        "Nặm Bao",
        "Bản Làn",
        "Nà Lẹng",
        "Khòn Nà",
        "Kéo Nàng",
        "Cốc Khuyết",
        "Nà Pàn",
        "Pác Cáy",
        "Khun Khẩu",
        "Nà Slẻn",
        "Còn Quân",
        "Bó Mạ",
        "Nà Hin",
        "Khau Ma",
        "Pác Là",
        "Quân sự",
    ],
    "xã Tân Mỹ": ["Pò Cại", "Nà Mò", "Quân sự", "Nà Chuông", "Bản Nầng", "Nà Súng", "Lục Bạo", "Khòn Pổ", "Tân Hội"],
    "xã Thụy Hùng": ["Nà Pàn", "Bản Đon", "Khòn Khuông", "Nà Tồng", "Lũng Cùng", "Quân sự"],
}
# fmt: on
DEFAULT_CELLS = ["Thôn 1", "Thôn 2", "Thôn 3", "Quân sự"]

MERGERS_2019 = {
    # new unit: the units merged into it (dissolved at the end of 2019)
    "xã Bắc Hùng": ["xã Bắc La", "xã Trùng Quán"],
    "xã Bắc Việt": ["xã Tân Việt", "xã Hoàng Việt"],
    "Thị trấn Na Sầm": ["xã Tân Lang"],
}

COMMUNES_2025 = {
    # new commune committee (from 01/07/2025): the district's communes it took over
    "Na Sầm": ["Thị trấn Na Sầm", "xã Hoàng Việt", "xã Bắc Hùng"],
    "Hoàng Văn Thụ": ["xã Hoàng Văn Thụ", "xã Nhạc Kỳ"],
    "Thụy Hùng": ["xã Thụy Hùng", "xã Trùng Khánh", "xã Bắc Việt"],
    "Văn Lãng": ["xã An Hùng", "xã Hồng Thái", "xã Thanh Long", "xã Tân Tác"],
    "Hội Hoan": ["xã Hội Hoan", "xã Gia Miễn", "xã Thành Hòa", "xã Nam La"],
    "Tân Thanh": ["xã Tân Thanh", "xã Tân Mỹ"],
}


def _upsert(code, **fields) -> Organization:
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        return Organization.objects.create(code=code, **fields)
    changed = [name for name, value in fields.items() if getattr(organization, name) != value]
    if changed:
        for name in changed:
            setattr(organization, name, fields[name])
        organization.save()
    return organization


def unit_code(name: str) -> str:
    """The demo code of a grassroots organization: "xã Gia Miễn" → "VL-GIAMIEN"."""
    for prefix in ("Thị trấn ", "xã "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return f"VL-{slug(name)}"


def build():
    province = _upsert("LS", name="Đảng bộ tỉnh Lạng Sơn", kind=Kind.UPPER_COMMITTEE, sector="", parent=None)
    district = _upsert(
        "VL",
        name="Đảng bộ huyện Văn Lãng",
        kind=Kind.UPPER_COMMITTEE,
        sector="",
        parent=province,
        dissolved=REFORM_2025,
    )
    units = {}
    for name, sector in COMMUNES:
        units[name] = _upsert(
            unit_code(name),
            name=f"Đảng bộ {name}",
            kind=Kind.GRASSROOTS_COMMITTEE,
            sector=sector,
            parent=district,
        )
    for name, kind, sector in OTHER_UNITS:
        prefix = "Chi bộ" if kind == Kind.GRASSROOTS_CELL else "Đảng bộ"
        units[name] = _upsert(
            f"VL-{slug(name)[:40]}", name=f"{prefix} {name}", kind=kind, sector=sector, parent=district
        )
    for commune, _sector in COMMUNES:
        for cell in CELLS.get(commune, DEFAULT_CELLS):
            cell_name = f"Chi bộ {cell}" if cell != "Quân sự" else "Chi bộ Quân sự"
            _upsert(
                f"{units[commune].code}-{slug(cell)}", name=cell_name, kind=Kind.CELL, sector="", parent=units[commune]
            )

    # The 2019 merger: new communes from 01/01/2020; merged ones dissolved, their years kept.
    for new_name, old_names in MERGERS_2019.items():
        if new_name not in units:
            units[new_name] = _upsert(
                unit_code(new_name),
                name=f"Đảng bộ {new_name}",
                kind=Kind.GRASSROOTS_COMMITTEE,
                sector=Organization.Sector.COMMUNE,
                parent=district,
                founded=MERGER_2019 + datetime.timedelta(days=1),
            )
        for old_name in old_names:
            old = units[old_name]
            # Keep the saved copy: the 2025 step below must see that this unit is already gone.
            units[old_name] = _upsert(
                old.code,
                name=old.name,
                kind=old.kind,
                sector=old.sector,
                parent=district,
                dissolved=MERGER_2019,
                successor=units[new_name],
            )

    # The 2025 reform: the district is abolished, new communes become the upper committees.
    for new_name, old_names in COMMUNES_2025.items():
        new = _upsert(
            f"LS-{slug(new_name)}",
            name=f"Đảng bộ xã {new_name}",
            kind=Kind.UPPER_COMMITTEE,
            sector="",
            parent=province,
            founded=REFORM_2025 + datetime.timedelta(days=1),
        )
        for old_name in old_names:
            old = units[old_name]
            if old.dissolved is None:
                _upsert(
                    old.code,
                    name=old.name,
                    kind=old.kind,
                    sector=old.sector,
                    parent=district,
                    dissolved=REFORM_2025,
                    successor=new,
                )

    gia_mien, tan_my = units["xã Gia Miễn"], units["xã Tân Mỹ"]
    logins = [
        ("canbo", "staff", district, "Lý Thị Hạnh"),
        ("thuongvu", "standing", district, "Bế Thị Vẫn"),
        ("thuongvu2", "standing", district, "Hoàng Văn Lâm"),
        ("bithu.giamien", "secretary", gia_mien, "Nông Văn Tú"),
        ("bithu.tanmy", "secretary", tan_my, "Hoàng Văn Ngọc"),
        ("kiemtra", "auditor", district, "Vi Thị Thu"),
    ]
    for username, role, scope, full_name in logins:
        demo_login(username=username, role=role, scope=scope, full_name=full_name)
    return [(username, DEMO_PASSWORD, role, scope.name) for username, role, scope, _name in logins]


def demo_login(*, username: str, role: str, scope: Organization, full_name: str):
    """A demo user with its role, name and the printed password (a password changed since is kept)."""
    user = user_role_grant(username=username, role=role, organization=scope, password=None)
    # Django's fields: first_name the given name, last_name the family and middle names; pages
    # show them in the Vietnamese order, family name first.
    last, _, first = full_name.rpartition(" ")
    if not user.has_usable_password() or (user.first_name, user.last_name) != (first, last):
        user.first_name, user.last_name = first, last
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.save()
    return user
