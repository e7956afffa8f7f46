"""The consolidation part of the Văn Lãng demo: the story's plans and outcomes, built idempotently."""

import json
from io import StringIO

from django.core.management import call_command

from assessments.models import Classification, Level
from cells import demo as cells_demo
from plans import demo
from plans.models import Plan, ProgressReport, Task


def test_the_story_plans_and_outcomes_and_a_second_run_changes_nothing(db):
    cells_demo.build()
    # A classification builder that ran before may have written the year already, with its label.
    Classification.objects.create(
        organization_id=cells_demo.Organization.objects.get(code="VL-GIAMIEN").pk,
        year=2016,
        level=Level.COMPLETE,
        label="Hoàn thành nhiệm vụ",
        rule_set="27-HD/BTCTW",
        state=Classification.State.FINAL,
    )
    demo.build()
    counts = (Plan.objects.count(), Task.objects.count(), ProgressReport.objects.count())
    demo.build()

    assert (Plan.objects.count(), Task.objects.count(), ProgressReport.objects.count()) == counts
    out = StringIO()
    call_command("consolidation_report", "--org", "VL", "--json", stdout=out)
    assert json.loads(out.getvalue()) == [
        {"code": "VL-GIAMIEN", "year": 2017, "level_before": "complete", "level_after": "good", "outcome": "improved"},
        {"code": "VL-TANMY", "year": 2018, "level_before": "complete", "level_after": "good", "outcome": "improved"},
        {"code": "VL-THUYHUNG", "year": 2019, "level_before": "complete", "level_after": None, "outcome": None},
    ]
    states = dict(Plan.objects.values_list("organization__code", "state"))
    assert states == {"VL-GIAMIEN": "completed", "VL-TANMY": "completed", "VL-THUYHUNG": "in_progress"}
    tan_my = Plan.objects.get(organization__code="VL-TANMY")
    assert tan_my.number == "45-KH/HU" and tan_my.issued_on.isoformat() == "2018-02-20"
    assignees = {(t.assignee.username if t.assignee else t.committee) for t in Task.objects.select_related("assignee")}
    assert {"thuongvu", "thuongvu2", "organization", "propaganda", "inspection", "office"} <= assignees
