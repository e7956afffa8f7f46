"""The meetings and admissions of the Văn Lãng story, added to the demo tree of `cells.demo`.

Gia Miễn, 2016: only a few cells held their 12 regular meetings, several fewer than 10, Nặm
Bao 6. 2017, after support: all 16 cells met every month, with a themed meeting each quarter
and a commune committee member at each meeting. Tân Mỹ: Pò Cại admitted one member in 2018
after none since 2014, Nà Mò one after two years. Names are invented. Running it again adds
nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from cells.audit import audit_bulk
from cells.demo import CELLS, slug, unit_code
from cells.meeting_years import meeting_years_refresh
from cells.models import Admission, AdmissionQuota, Meeting, Organization

GIA_MIEN = unit_code("xã Gia Miễn")
TAN_MY = unit_code("xã Tân Mỹ")

# Regular meetings held in 2016, by cell; cells not listed held 10 or 11.
REGULAR_2016 = {
    "Nặm Bao": 6,
    "Khòn Nà": 7,
    "Bản Làn": 8,
    "Nà Lẹng": 9,
    "Kéo Nàng": 9,
    "Quân sự": 12,
    "Nà Pàn": 12,
    "Cốc Khuyết": 12,
}
THEMED_MONTHS = (2, 5, 8, 11)
GUEST = "Ủy viên Ban Chấp hành Đảng bộ xã Gia Miễn"

# Tân Mỹ: (cell, name, birth, awareness class, cell resolution, grassroots resolution, decision,
# ceremony, full membership); None where the step has not happened.
D = datetime.date
ADMISSIONS = [
    ("Pò Cại", "Hoàng Văn Sơn", D(1990, 3, 2), D(2013, 10, 5), D(2014, 3, 10), D(2014, 4, 21), D(2014, 6, 16),
     D(2014, 7, 10), D(2015, 7, 20)),
    ("Pò Cại", "Lương Thị Hoa", D(1996, 8, 14), D(2017, 11, 20), D(2018, 5, 7), D(2018, 6, 25), D(2018, 8, 20),
     D(2018, 9, 14), D(2019, 9, 25)),
    ("Nà Mò", "Vi Văn Hùng", D(1988, 1, 9), D(2015, 9, 12), D(2016, 2, 29), D(2016, 3, 28), D(2016, 5, 10),
     D(2016, 6, 3), D(2017, 6, 15)),
    ("Nà Mò", "Nông Thị Lan", D(1995, 12, 1), D(2018, 4, 2), D(2018, 7, 9), D(2018, 8, 27), D(2018, 10, 15),
     D(2018, 11, 9), D(2019, 11, 20)),
    ("Quân sự", "Lộc Văn Tài", D(1993, 6, 30), D(2016, 10, 3), D(2017, 3, 6), D(2017, 4, 17), D(2017, 6, 5),
     D(2017, 6, 30), D(2018, 7, 12)),
    # The ceremony was held late, after Tết 2018 (due 12/03/2018: 30 working days, Tết skipped).
    ("Nà Chuông", "Triệu Văn Minh", D(1991, 4, 18), D(2017, 6, 12), D(2017, 10, 9), D(2017, 11, 27), D(2018, 1, 22),
     D(2018, 3, 20), D(2019, 4, 2)),
    # Still under way: the ceremony is overdue.
    ("Lục Bạo", "Hà Thị Mai", D(1999, 2, 11), D(2019, 4, 8), D(2019, 8, 5), D(2019, 9, 23), D(2019, 11, 4),
     None, None),
]  # fmt: skip
QUOTAS = {2017: {TAN_MY: 3, "Pò Cại": 1, "Nà Mò": 1}, 2018: {TAN_MY: 4, "Pò Cại": 1, "Nà Mò": 1, "Nà Chuông": 1}}
SECRETARY_EMAILS = {"bithu.giamien": "bithu.giamien@vanlang.example", "bithu.tanmy": "bithu.tanmy@vanlang.example"}


def cell_code(commune_code: str, cell: str) -> str:
    return f"{commune_code}-{slug(cell)}"


def _gia_mien_meetings(cells: dict[str, Organization]) -> list[Meeting]:
    meetings = []
    for index, name in enumerate(CELLS["xã Gia Miễn"]):
        cell = cells[cell_code(GIA_MIEN, name)]
        total = 12 + (index * 7) % 19
        held_2016 = REGULAR_2016.get(name, 10 + index % 2)
        # The months skipped in 2016 are the last ones of the year.
        for year, months in ((2016, range(1, held_2016 + 1)), (2017, range(1, 13))):
            for month in months:
                absent = (index + month) % 3 + (2 if year == 2016 else 0)
                meetings.append(
                    Meeting(
                        organization=cell,
                        date=D(year, month, 5 + index % 5),
                        kind=Meeting.Kind.REGULAR,
                        duration_minutes=90 if year == 2017 else 60,
                        members_total=total,
                        members_present=total - absent,
                        guest=GUEST if year == 2017 or month % 4 == 0 else "",
                        chair=f"Bí thư {cell.name}",
                        minutes_secretary=f"Phó Bí thư {cell.name}",
                        content="Đánh giá kết quả tháng, triển khai nhiệm vụ tháng tới.",
                        resolution="Thống nhất các nhiệm vụ trọng tâm của tháng.",
                    )
                )
            themed_months = THEMED_MONTHS if year == 2017 else THEMED_MONTHS[: 1 + index % 3]
            for month in themed_months:
                meetings.append(
                    Meeting(
                        organization=cell,
                        date=D(year, month, 20),
                        kind=Meeting.Kind.THEMED,
                        duration_minutes=120,
                        members_total=total,
                        members_present=total - 1,
                        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                        guest=GUEST if year == 2017 else "",
                    )
                )
    return meetings


def build():
    codes = [cell_code(GIA_MIEN, name) for name in CELLS["xã Gia Miễn"]]
    codes += [cell_code(TAN_MY, name) for name in CELLS["xã Tân Mỹ"]] + [GIA_MIEN, TAN_MY]
    units = {o.code: o for o in Organization.objects.filter(code__in=codes)}

    stored = set(Meeting.objects.filter(organization__code__in=codes).values_list("organization_id", "date", "kind"))
    meetings = Meeting.objects.bulk_create(
        [m for m in _gia_mien_meetings(units) if (m.organization.pk, m.date, m.kind) not in stored]
    )
    audit_bulk(action="create", objects=meetings)
    meeting_years_refresh(cells={m.organization_id for m in meetings}, years={m.date.year for m in meetings})

    known = set(Admission.objects.filter(organization__code__in=codes).values_list("organization_id", "full_name"))
    new = []
    for cell, name, birth, awareness, cell_res, gr_res, decision, ceremony, full in ADMISSIONS:
        organization = units[cell_code(TAN_MY, cell)]
        if (organization.pk, name) in known:
            continue
        new.append(
            Admission(
                organization=organization,
                full_name=name,
                birth_date=birth,
                awareness_class_date=awareness,
                cell_resolution_date=cell_res,
                grassroots_resolution_date=gr_res,
                decision_date=decision,
                decision_number=f"{10 + len(new)}-QĐ/ĐU",
                ceremony_date=ceremony,
                full_membership_date=full,
            )
        )
    audit_bulk(action="create", objects=Admission.objects.bulk_create(new))

    for year, quotas in QUOTAS.items():
        for code, quota in quotas.items():
            organization = units[code if code == TAN_MY else cell_code(TAN_MY, code)]
            AdmissionQuota.objects.update_or_create(organization=organization, year=year, defaults={"quota": quota})

    for user in get_user_model().objects.filter(username__in=SECRETARY_EMAILS, email=""):
        user.email = SECRETARY_EMAILS[user.username]
        user.save(update_fields=["email"])
    return []
