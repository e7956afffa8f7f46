"""The support year 2026 in Hội Hoan, after the 2025 reform (the units of `cells.demo_2026`).

The commune committee classified its grassroots cells for 2025 (Quy định 366-QĐ/TW, with scores)
and has begun entering 2026's, as drafts, for a few cells.
In 2025 Chi bộ thôn Khòn Nà, the cell that met least in Gia Miễn's worst year, only "Hoàn thành nhiệm vụ".
Its standing committee selected it for support in 2026; the plan is under way on 01/12/2026: the
member in charge reports on the cell's meetings by 15/12, the organization committee's guidance on
recruiting members is overdue, the inspection is done. Running it again changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from assessments.models import Classification, Level
from assessments.rules import rule_set_for
from cells.demo_2026 import RECORDED, commune_code, village_code
from cells.models import Organization
from plans.models import Candidate, Committee, Plan, ProgressReport, Target, Task

D = datetime.date
YEAR = 2025
DECISION = ("118-QĐ/ĐU", D(2025, 12, 26))
# Scores of 2025 (Quy định 366, Điều 11): 90 and above may be excellent, 70 to 89 good, 50 to 69 complete.
SCORES = {"Khòn Nà": (Level.COMPLETE, 64), "Nặm Bao": (Level.GOOD, 78), "Bản Làn": (Level.EXCELLENT, 92)}
WEAK_CELL = "Khòn Nà"
DRAFTS_2026 = 8  # the cells whose 2026 results the staff have begun to enter, as drafts
TASKS = [
    (
        "Đảng ủy viên phụ trách dự sinh hoạt Chi bộ thôn Khòn Nà hằng tháng, báo cáo kết quả",
        "thuongvu.hoihoan",
        D(2026, 12, 15),
        Task.State.IN_PROGRESS,
        [
            (D(2026, 6, 12), "Đã dự 5 buổi sinh hoạt; chi bộ sinh hoạt đều, nội dung sát hơn với việc của thôn."),
            (D(2026, 9, 14), "Đã dự sinh hoạt tháng 7, 8, 9; sổ biên bản ghi đầy đủ."),
        ],
    ),
    (
        "Hướng dẫn chi bộ lập kế hoạch tạo nguồn, kết nạp đảng viên",
        Committee.ORGANIZATION,
        D(2026, 10, 31),
        Task.State.OPEN,
        [],
    ),
    (
        "Kiểm tra việc thực hiện nghị quyết của Chi bộ thôn Khòn Nà",
        Committee.INSPECTION,
        D(2026, 11, 20),
        Task.State.DONE,
        [(D(2026, 11, 18), "Chi bộ thực hiện đủ các nghị quyết năm 2026; đề nghị tiếp tục tạo nguồn kết nạp.")],
    ),
]


def _classify(cell: Organization, commune: Organization, level: str, score: int, year: int = YEAR) -> Classification:
    """A final result of 2025 with its decision; a draft of 2026 (the year-end assessment under way)."""
    rule_set = rule_set_for(year)
    number, date = DECISION if year == YEAR else ("", None)
    values = {
        "level": level,
        "label": rule_set.label(level),
        "rule_set": rule_set.code,
        "score": score,
        "deciding_body": commune,
        "decision_number": number,
        "decision_date": date,
        "state": Classification.State.FINAL if year == YEAR else Classification.State.DRAFT,
    }
    current = Classification.objects.filter(organization=cell, year=year).first()
    if current is None:
        return Classification.objects.create(organization=cell, year=year, **values)
    if any(getattr(current, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
    return current


def build():
    users = get_user_model().objects.in_bulk(["canbo.hoihoan", "thuongvu.hoihoan"], field_name="username")
    results = {}
    for commune in RECORDED:
        committee = Organization.objects.get(code=commune_code(commune))
        cells = Organization.objects.within(committee).grassroots().active_in(YEAR).order_by("code")
        for index, cell in enumerate(cells):
            village = cell.name.removeprefix("Chi bộ thôn ")
            level, score = SCORES.get(village, (Level.GOOD, 75 + index % 12))
            results[cell.code] = _classify(cell, committee, level, score)
            if commune == "Hội Hoan" and index < DRAFTS_2026 and village != WEAK_CELL:
                _classify(cell, committee, Level.GOOD, 80 + index % 9, year=YEAR + 1)

    weak = Organization.objects.get(code=village_code("Hội Hoan", WEAK_CELL))
    previous = results[weak.code]
    candidate, _ = Candidate.objects.get_or_create(
        organization=weak,
        year=YEAR + 1,
        defaults={
            "classification": previous,
            "level": previous.level,
            "reasons": [f"Xếp loại năm {YEAR}: {previous.label}"],
        },
    )
    decision = {
        "decision": Candidate.Decision.SELECTED,
        "decision_reason": "Xếp loại năm 2025 chỉ đạt Hoàn thành nhiệm vụ (64 điểm); chưa kết nạp được đảng viên mới.",
        "decision_number": "05-QĐ/ĐU",
        "decision_date": D(2026, 1, 20),
        "decided_by": users["thuongvu.hoihoan"],
    }
    if any(getattr(candidate, name) != value for name, value in decision.items()):
        for name, value in decision.items():
            setattr(candidate, name, value)
        candidate.save()
    plan, created = Plan.objects.get_or_create(
        candidate=candidate,
        defaults={
            "organization": weak,
            "year": YEAR + 1,
            "number": "12-KH/ĐU",
            "issued_on": D(2026, 2, 10),
            "place": "Hội Hoan",
            "weaknesses": (
                "Sinh hoạt chi bộ chưa đều, nội dung chưa sát với việc của thôn.\n"
                "Hai năm liền chưa kết nạp được đảng viên mới."
            ),
            "causes": "Chi ủy chưa chủ động chuẩn bị nội dung sinh hoạt; chưa quan tâm tạo nguồn kết nạp đảng.",
            "lead": users["thuongvu.hoihoan"],
            "signer_title": "Phó Bí thư Thường trực",
            "recipients": "Ban Thường vụ Tỉnh ủy (b/c)\nChi bộ thôn Khòn Nà\nLưu Văn phòng Đảng ủy",
            "state": Plan.State.IN_PROGRESS,
            "adopted_by": users["thuongvu.hoihoan"],
            "updated_by": users["canbo.hoihoan"],
        },
    )
    if created:
        targets = [(Target.Kind.REGULAR_MEETINGS, 12), (Target.Kind.ADMISSIONS, 1), (Target.Kind.LEVEL, Level.GOOD)]
        for position, (kind, value) in enumerate(targets):
            extra = {"level": value} if kind == Target.Kind.LEVEL else {"number": value}
            Target.objects.create(plan=plan, kind=kind, position=position, **extra)
    for title, who, due, state, reports in TASKS:
        assignee = users.get(who)
        task, _ = Task.objects.get_or_create(
            plan=plan,
            title=title,
            defaults={"assignee": assignee, "committee": "" if assignee else who, "due": due, "state": state},
        )
        for day, text in reports:
            author = assignee or users["canbo.hoihoan"]
            ProgressReport.objects.get_or_create(task=task, reported_on=day, text=text, defaults={"author": author})
    return []
