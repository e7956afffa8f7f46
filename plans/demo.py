"""The consolidation part of the Văn Lãng story: decisions, plans, tasks, reports and outcomes.

Runs after the classification builder and tolerates what it made: the levels the story needs
are looked up by organization and year and changed only when they differ. Running it
again changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from assessments.models import Classification, Level
from cells.models import Organization
from plans.models import Candidate, Committee, CommitteeMailbox, Plan, ProgressReport, Target, Task

D = datetime.date
Kind = Target.Kind

LABELS = {Level.GOOD: "Hoàn thành tốt nhiệm vụ", Level.COMPLETE: "Hoàn thành nhiệm vụ"}
# (code, year, level): the results the story rests on (Báo Lạng Sơn, 01/12/2023).
LEVELS = [
    ("VL-GIAMIEN", 2016, Level.COMPLETE),
    ("VL-GIAMIEN", 2017, Level.GOOD),
    ("VL-TANMY", 2017, Level.COMPLETE),
    ("VL-TANMY", 2018, Level.GOOD),
    ("VL-THUYHUNG", 2018, Level.COMPLETE),
]
MAILBOXES = {
    Committee.ORGANIZATION: "bantochuc.vanlang@example.vn",
    Committee.PROPAGANDA: "bantuyengiao.vanlang@example.vn",
    Committee.INSPECTION: "ubkt.vanlang@example.vn",
    Committee.OFFICE: "vanphong.vanlang@example.vn",
}

STORY = [
    {
        "code": "VL-GIAMIEN",
        "year": 2017,
        "decision": (
            "08-QĐ/HU",
            D(2017, 1, 12),
            "Xếp loại năm 2016 chỉ đạt Hoàn thành nhiệm vụ; sinh hoạt chi bộ không đều.",
        ),
        "number": "28-KH/HU",
        "issued_on": D(2017, 2, 15),
        "state": Plan.State.COMPLETED,
        "weaknesses": (
            "Chỉ một số chi bộ duy trì sinh hoạt định kỳ đủ 12 lần trong năm, có chi bộ dưới 10 lần; "
            "Chi bộ Nặm Bao chỉ sinh hoạt 6 lần trong năm 2016.\n"
            "Nội dung sinh hoạt đơn điệu, sổ biên bản ghi chép sơ sài."
        ),
        "causes": (
            "Đảng ủy chưa quan tâm đúng mức đến việc duy trì chế độ sinh hoạt chi bộ.\n"
            "Một số bí thư chi bộ chưa nắm vững quy trình, nội dung sinh hoạt."
        ),
        "lead": "thuongvu",
        "targets": [(Kind.REGULAR_MEETINGS, 12), (Kind.THEMED_MEETINGS, 4), (Kind.LEVEL, Level.GOOD)],
        "tasks": [
            (
                "Phân công mỗi đồng chí đảng ủy viên xã phụ trách một chi bộ, dự sinh hoạt chi bộ hằng tháng",
                "thuongvu",
                D(2017, 3, 31),
                Task.State.DONE,
                [
                    (
                        D(2017, 3, 28),
                        "Đảng ủy xã đã phân công 16 đảng ủy viên phụ trách 16 chi bộ; đã dự sinh hoạt tháng 3.",
                    )
                ],
            ),
            (
                "Hướng dẫn các chi bộ chuẩn bị nội dung sinh hoạt và ghi sổ biên bản",
                Committee.ORGANIZATION,
                D(2017, 6, 30),
                Task.State.DONE,
                [(D(2017, 6, 20), "Đã tập huấn cho bí thư 16 chi bộ; phát mẫu biên bản sinh hoạt chi bộ.")],
            ),
            (
                "Kiểm tra việc duy trì sinh hoạt định kỳ của các chi bộ",
                Committee.INSPECTION,
                D(2017, 11, 30),
                Task.State.DONE,
                [(D(2017, 11, 24), "16/16 chi bộ sinh hoạt định kỳ đủ 12 lần; sổ biên bản ghi đầy đủ hơn.")],
            ),
            (
                "Tổng hợp kết quả củng cố, báo cáo Ban Thường vụ",
                Committee.OFFICE,
                D(2017, 12, 15),
                Task.State.DONE,
                [(D(2017, 12, 12), "Đã có báo cáo kết quả củng cố Đảng bộ xã Gia Miễn năm 2017.")],
            ),
        ],
    },
    {
        "code": "VL-TANMY",
        "year": 2018,
        "decision": (
            "15-QĐ/HU",
            D(2018, 1, 18),
            "Xếp loại năm 2017 chỉ đạt Hoàn thành nhiệm vụ; nhiều năm không kết nạp đảng viên.",
        ),
        "number": "45-KH/HU",
        "issued_on": D(2018, 2, 20),
        "state": Plan.State.COMPLETED,
        "weaknesses": (
            "Công tác phát triển đảng viên còn khó khăn: Chi bộ Pò Cại 4 năm, Chi bộ Nà Mò 2 năm "
            "không kết nạp được đảng viên mới.\n"
            "Năng lực của một số cấp ủy viên, bí thư chi bộ còn hạn chế."
        ),
        "causes": (
            "Công tác tuyên truyền, tạo nguồn kết nạp đảng chưa được chú trọng.\n"
            "Thanh niên trong độ tuổi đi làm ăn xa nhiều."
        ),
        "lead": "thuongvu2",
        "targets": [(Kind.ADMISSIONS, 2), (Kind.REGULAR_MEETINGS, 12), (Kind.LEVEL, Level.GOOD)],
        "tasks": [
            (
                "Tuyên truyền, vận động quần chúng ưu tú phấn đấu vào Đảng",
                Committee.PROPAGANDA,
                D(2018, 6, 30),
                Task.State.DONE,
                [(D(2018, 6, 25), "Đã tuyên truyền tại 9 thôn; lập danh sách 6 quần chúng ưu tú.")],
            ),
            (
                "Thăm, nắm tình hình quần chúng ưu tú ở thôn Pò Cại và Nà Mò",
                "thuongvu2",
                D(2018, 5, 31),
                Task.State.DONE,
                [(D(2018, 5, 22), "Đã đến thăm 4 gia đình quần chúng ưu tú ở Pò Cại và Nà Mò.")],
            ),
            (
                "Mở lớp bồi dưỡng cho đảng ủy viên và bí thư chi bộ",
                Committee.ORGANIZATION,
                D(2018, 4, 30),
                Task.State.DONE,
                [(D(2018, 4, 20), "Đã mở lớp bồi dưỡng 3 ngày cho 13 đảng ủy viên và 9 bí thư chi bộ.")],
            ),
            (
                "Hướng dẫn thủ tục kết nạp đảng viên tại Chi bộ Pò Cại và Chi bộ Nà Mò",
                Committee.ORGANIZATION,
                D(2018, 10, 31),
                Task.State.DONE,
                [(D(2018, 10, 15), "Chi bộ Pò Cại và Chi bộ Nà Mò mỗi chi bộ đã kết nạp 1 đảng viên mới.")],
            ),
        ],
    },
    {
        "code": "VL-THUYHUNG",
        "year": 2019,
        "decision": ("21-QĐ/HU", D(2019, 1, 16), "Xếp loại năm 2018 chỉ đạt Hoàn thành nhiệm vụ."),
        "number": "61-KH/HU",
        "issued_on": D(2019, 2, 22),
        "state": Plan.State.IN_PROGRESS,
        "weaknesses": (
            "Chất lượng sinh hoạt chi bộ chưa cao, nội dung chưa sát với nhiệm vụ chính trị của thôn.\n"
            "Công tác kiểm tra, giám sát của Đảng ủy còn hạn chế."
        ),
        "causes": "Đảng ủy chưa sâu sát cơ sở; một số đảng viên chưa gương mẫu.",
        "lead": "thuongvu",
        "targets": [(Kind.REGULAR_MEETINGS, 12), (Kind.THEMED_MEETINGS, 4), (Kind.LEVEL, Level.GOOD)],
        "tasks": [
            (
                "Dự sinh hoạt chi bộ Bản Đon và Khòn Khuông, góp ý nội dung sinh hoạt",
                "thuongvu",
                D(2019, 4, 30),
                Task.State.IN_PROGRESS,
                [(D(2019, 3, 20), "Đã dự sinh hoạt tháng 3 của Chi bộ Bản Đon; góp ý chuẩn bị nội dung chuyên đề.")],
            ),
            (
                "Hướng dẫn sinh hoạt chuyên đề hằng quý",
                Committee.PROPAGANDA,
                D(2019, 6, 30),
                Task.State.OPEN,
                [],
            ),
            (
                "Kiểm tra, giám sát việc thực hiện nghị quyết của Đảng ủy xã",
                Committee.INSPECTION,
                D(2019, 9, 30),
                Task.State.OPEN,
                [],
            ),
        ],
    },
]


def _level(code: str, year: int, level: str) -> None:
    """Set the level the story needs; an existing row with that level is left untouched (no save)."""
    organization = Organization.objects.get(code=code)
    existing = Classification.objects.filter(organization=organization, year=year).first()
    if existing is None:
        Classification.objects.create(
            organization=organization,
            year=year,
            level=level,
            label=LABELS[level],
            rule_set="27-HD/BTCTW" if year <= 2017 else "132-QĐ/TW",
            state=Classification.State.FINAL,
            deciding_body=organization.parent,
        )
    elif existing.level != level:
        existing.level, existing.label = level, LABELS[level]
        existing.save(update_fields=["level", "label", "updated_at"])


def _assignee(who):
    if who in Committee.values:
        return None, who
    return get_user_model().objects.get(username=who), ""


def build():
    users = get_user_model().objects.in_bulk(["canbo", "thuongvu", "thuongvu2"], field_name="username")
    for username in ("thuongvu", "thuongvu2"):
        if not users[username].email:
            users[username].email = f"{username}@vanlang.example.vn"
            users[username].save(update_fields=["email"])
    district = Organization.objects.get(code="VL")
    for committee, email in MAILBOXES.items():
        CommitteeMailbox.objects.update_or_create(organization=district, committee=committee, defaults={"email": email})
    for code, year, level in LEVELS:
        _level(code, year, level)

    for story in STORY:
        organization = Organization.objects.get(code=story["code"])
        previous = Classification.objects.get(organization=organization, year=story["year"] - 1)
        number, date, reason = story["decision"]
        candidate, _ = Candidate.objects.get_or_create(
            organization=organization,
            year=story["year"],
            defaults={
                "classification": previous,
                "level": previous.level,
                "reasons": [f"Xếp loại năm {story['year'] - 1}: {LABELS[previous.level]}"],
            },
        )
        decision = {
            "decision": Candidate.Decision.SELECTED,
            "decision_reason": reason,
            "decision_number": number,
            "decision_date": date,
            "decided_by": users["thuongvu"],
        }
        if any(getattr(candidate, name) != value for name, value in decision.items()):
            for name, value in decision.items():
                setattr(candidate, name, value)
            candidate.save()
        plan, created = Plan.objects.get_or_create(
            candidate=candidate,
            defaults={
                "organization": organization,
                "year": story["year"],
                "number": story["number"],
                "issued_on": story["issued_on"],
                "place": "Văn Lãng",
                "weaknesses": story["weaknesses"],
                "causes": story["causes"],
                "lead": users[story["lead"]],
                "signer_title": "Phó Bí thư",
                "recipients": "Ban Thường vụ Tỉnh ủy (b/c)\nĐảng ủy xã\nLưu Văn phòng Huyện ủy",
                "state": story["state"],
                "adopted_by": users["thuongvu"],
                "updated_by": users["canbo"],
            },
        )
        if created:
            for position, (kind, value) in enumerate(story["targets"]):
                extra = {"level": value} if kind == Kind.LEVEL else {"number": value}
                Target.objects.create(plan=plan, kind=kind, position=position, **extra)
        for title, who, due, state, reports in story["tasks"]:
            assignee, committee = _assignee(who)
            task, _ = Task.objects.get_or_create(
                plan=plan,
                title=title,
                defaults={"assignee": assignee, "committee": committee, "due": due, "state": state},
            )
            for day, text in reports:
                author = assignee or users["canbo"]
                ProgressReport.objects.get_or_create(task=task, reported_on=day, text=text, defaults={"author": author})
    return []
