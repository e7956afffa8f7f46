"""Classifications of 2016–2018 in the Văn Lãng story (see /work/shared/DOMAIN.md).

2016: Gia Miễn only "Hoàn thành nhiệm vụ"; 2017: Gia Miễn rises, Tân Mỹ is the weak one;
2018: Tân Mỹ rises, Thụy Hùng falls, and 49 of the 53 TCCSĐ are good or above (92,45%).
2016 and 2017 carry the labels of Hướng dẫn 27-HD/BTCTW. A few cells of Gia Miễn and Tân Mỹ
are classified by their commune committee (Nặm Bao weak in 2016, Pò Cại and Nà Mò in 2017).
"""

import datetime

from assessments.models import Classification, Level
from assessments.rules import rule_set_for
from cells.demo import CELLS, COMMUNES, OTHER_UNITS, slug, unit_code
from cells.models import Organization

E, G, C, NO = Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.INCOMPLETE

DECISIONS = {
    2016: ("1015-QĐ/HU", datetime.date(2016, 12, 28)),
    2017: ("1208-QĐ/HU", datetime.date(2017, 12, 27)),
    2018: ("1367-QĐ/HU", datetime.date(2018, 12, 26)),
}

# Units rated excellent each year (by their name in cells.demo); every unit not listed here
# or in WEAK is rated good.
EXCELLENT = {
    2016: [
        "Công an huyện",
        "Ban Chỉ huy Quân sự huyện",
        "Cơ quan Huyện ủy",
        "Kho bạc Nhà nước Văn Lãng",
        "Đồn Biên phòng cửa khẩu Tân Thanh",
        "Thị trấn Na Sầm",
        "Trường THPT Văn Lãng",
        "Điện lực Văn Lãng",
        "xã Hoàng Văn Thụ",
    ],
    2017: [
        "Công an huyện",
        "Ban Chỉ huy Quân sự huyện",
        "Cơ quan Huyện ủy",
        "Kho bạc Nhà nước Văn Lãng",
        "Đồn Biên phòng cửa khẩu Tân Thanh",
        "Thị trấn Na Sầm",
        "Trung tâm Y tế huyện",
        "Điện lực Văn Lãng",
        "xã Hoàng Văn Thụ",
        "Chi cục Thuế khu vực Văn Lãng",
    ],
    2018: [
        "Công an huyện",
        "Ban Chỉ huy Quân sự huyện",
        "Cơ quan Huyện ủy",
        "Đồn Biên phòng cửa khẩu Tân Thanh",
        "Thị trấn Na Sầm",
        "Trung tâm Y tế huyện",
        "xã Hoàng Văn Thụ",
        "Chi cục Thuế khu vực Văn Lãng",
    ],
}
WEAK = {
    2016: {"xã Gia Miễn": C},
    2017: {"xã Tân Mỹ": C},
    2018: {"xã Thụy Hùng": C, "xã Trùng Quán": C, "xã Nhạc Kỳ": C, "Công ty TNHH Thương mại Tân Thanh": NO},
}
NOTES = {
    (2016, "xã Gia Miễn"): "Sinh hoạt chi bộ chưa đều: nhiều chi bộ sinh hoạt dưới 10 lần/năm.",
    (2017, "xã Tân Mỹ"): "Nhiều năm liền một số chi bộ không kết nạp được đảng viên mới.",
    (2018, "xã Thụy Hùng"): "Chất lượng sinh hoạt chi bộ còn hạn chế.",
}
CELL_LEVELS = {
    # commune: {cell: {year: level}}; other cells of these communes are rated good
    "xã Gia Miễn": {"Nặm Bao": {2016: C, 2017: G, 2018: G}, "Bản Làn": {2016: C, 2017: G, 2018: E}},
    "xã Tân Mỹ": {"Pò Cại": {2016: G, 2017: C, 2018: G}, "Nà Mò": {2016: G, 2017: C, 2018: G}},
}


def _unit_codes() -> dict[str, str]:
    codes = {name: unit_code(name) for name, _sector in COMMUNES}
    codes.update({name: f"VL-{slug(name)[:40]}" for name, _kind, _sector in OTHER_UNITS})
    return codes


def _write(organization, year, level, deciding_body, note=""):
    number, date = DECISIONS[year]
    rule_set = rule_set_for(year)
    values = {
        "level": level,
        "label": rule_set.label(level),
        "rule_set": rule_set.code,
        "deciding_body": deciding_body,
        "decision_number": number,
        "decision_date": date,
        "note": note,
        "state": Classification.State.FINAL,
    }
    current = Classification.objects.filter(organization=organization, year=year).first()
    if current is None:
        Classification.objects.create(organization=organization, year=year, **values)
    elif any(getattr(current, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(current, name, value)
        current.save()


def build():
    district = Organization.objects.get(code="VL")
    codes = _unit_codes()
    units = {o.code: o for o in Organization.objects.filter(code__in=codes.values())}
    for year in DECISIONS:
        for name, code in codes.items():
            level = WEAK[year].get(name) or (E if name in EXCELLENT[year] else G)
            _write(units[code], year, level, district, NOTES.get((year, name), ""))
    for commune, special in CELL_LEVELS.items():
        committee = units[unit_code(commune)]
        cells = {o.code: o for o in Organization.objects.filter(parent=committee, kind=Organization.Kind.CELL)}
        for cell_name in CELLS[commune]:
            cell = cells.get(f"{committee.code}-{slug(cell_name)}")
            if cell is None:
                continue
            for year in DECISIONS:
                _write(cell, year, special.get(cell_name, {}).get(year, G), committee)
    return []
