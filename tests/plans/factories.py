"""Rows the consolidation tests need, made directly with the ORM inside district D."""

import datetime

from assessments.models import Classification, Level
from plans.models import Candidate, Plan, ProgressReport, Target, Task


def classify(organization, year, level):
    classification, _ = Classification.objects.update_or_create(
        organization=organization, year=year, defaults={"level": level, "state": Classification.State.FINAL}
    )
    return classification


def make_candidate(organization, year=2018, level=Level.COMPLETE, decision=Candidate.Decision.PENDING, **extra):
    classification = classify(organization, year - 1, level)
    return Candidate.objects.create(
        organization=organization,
        year=year,
        classification=classification,
        level=level,
        reasons=[f"Xếp loại năm {year - 1}: Hoàn thành nhiệm vụ"],
        decision=decision,
        **extra,
    )


def make_plan(organization, year=2018, lead=None, state=Plan.State.DRAFT, **extra):
    candidate = make_candidate(organization, year, decision=Candidate.Decision.SELECTED, decision_number="12-QĐ/HU")
    plan = Plan.objects.create(
        candidate=candidate,
        organization=organization,
        year=year,
        number="45-KH/HU",
        issued_on=datetime.date(year, 2, 20),
        place="Đông",
        weaknesses="Nhiều chi bộ không sinh hoạt định kỳ đủ 12 lần.",
        causes="Cấp ủy chưa sâu sát.",
        lead=lead,
        state=state,
        **extra,
    )
    Target.objects.create(plan=plan, kind=Target.Kind.REGULAR_MEETINGS, number=12)
    return plan


def make_task(plan, assignee=None, committee="", due=None, **extra):
    return Task.objects.create(
        plan=plan,
        title=extra.pop("title", "Dự sinh hoạt chi bộ Nặm Bao"),
        assignee=assignee,
        committee=committee,
        due=due or datetime.date(plan.year, 6, 30),
        **extra,
    )


def make_report(task, author, **extra):
    return ProgressReport.objects.create(
        task=task, reported_on=datetime.date(task.plan.year, 3, 1), text="Đã dự sinh hoạt.", author=author, **extra
    )
