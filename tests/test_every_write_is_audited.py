"""One accountable write path: every writer of cells, assessments and plans leaves one change-log entry
per row it creates, changes or deletes, bulk writers included.

`SCENARIOS` lists the writers (views, services, commands, tasks, the demo loader) and runs each on a
small tree; the rows it changed are counted by comparing every row of the three apps before and after,
and must equal the entries it left. `SOURCE_WRITERS` names every function of the three apps that writes
without signals (`bulk_create`, `bulk_update`, `QuerySet.update`, `.delete`), found by reading the
source: a new one that is not listed here, with the scenario that proves it, fails the suite.
"""

import ast
import datetime
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from cells.models import EntryOrganization, Meeting, Organization, UserRole
from plans.models import Candidate, CommitteeMailbox, JobRun, Plan
from tests.assessments.factories import classify
from tests.cells.factories import make_meeting
from tests.plans.factories import make_candidate, make_plan, make_task

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cells", "assessments", "plans")

# Columns that are not history: derived from others (the path follows the parent), or a run's own
# progress (the run record is the job's log; its creation is audited).
NOT_HISTORY = {
    Organization: {"path", "depth", "name_folded"},
    JobRun: {"progress", "step", "state", "counts", "started_at", "finished_at", "error"},
}
EXEMPT = "exempt"
# The meeting summary (cells.MeetingYear: each cell's meetings of a year, counted) is not history:
# every row is recomputed from the meetings by the write that changed them, and those meetings'
# creations, changes and deletions are each in the change log. Logging the counts again would
# double every meeting's entry and record nothing a person did. It is kept out of django-auditlog
# (AUDITLOG_EXCLUDE_TRACKING_MODELS) and so out of the census's rows.
DERIVED = "the meeting summary, recounted from the meetings, whose every write is in the change log"
RUN_RECORD = "a background run's own record (cells.Run is the job's log, not tracked by the change log)"
SOURCE_WRITERS = {
    "cells.audit:audit_bulk": (EXEMPT, "the change log's own writes"),
    "cells.demo_meetings:build": ("load_demo",),
    "cells.demo_2026:build": ("load_demo",),
    "cells.importing.writes:_write": ("import_organizations",),
    "cells.meeting_import:_write_chunk": ("import_meetings",),
    "cells.meeting_services:meeting_reminders_send.record": ("meeting_reminders_task",),
    "cells.meeting_years:meeting_years_refresh": (EXEMPT, DERIVED),
    "cells.meeting_years:meeting_years_rebuild": (EXEMPT, DERIVED),
    "cells.models.tree:subtree_rewrite": (EXEMPT, "paths and depths follow the parent, whose change is audited"),
    "cells.models.tree:placed": (EXEMPT, "a new unit's path, derived from its key and parent"),
    "cells.models.tree:subtree_end": ("organization_dissolved", "import_organizations_ending_a_unit"),
    "cells.import_uploads:_keep_changes": (EXEMPT, RUN_RECORD),
    "cells.runs:_heartbeat.beat": (EXEMPT, RUN_RECORD),
    "cells.runs:_kind_lock": (EXEMPT, "an advisory lock, no row"),
    "cells.runs:run_claim": (EXEMPT, RUN_RECORD),
    "cells.runs:run_fail": (EXEMPT, RUN_RECORD),
    "cells.runs:run_finish": (EXEMPT, RUN_RECORD),
    "cells.runs:run_progress": (EXEMPT, RUN_RECORD),
    "cells.runs:run_send": (EXEMPT, RUN_RECORD),
    "cells.once:SubmitOnceMixin.dispatch": (EXEMPT, "one-time tokens of create forms, like sessions"),
    "cells.report_runs:report_files_forget": ("report_files",),
    "cells.notifications:notifications_send": (EXEMPT, "in-app copies of reminders and decisions, not tracked"),
    "cells.security.lockout:LockoutHandler.reset_user_attempts": (EXEMPT, "sign-in counters (django-axes)"),
    "cells.security.sessions:user_sessions_end": (EXEMPT, "sessions"),
    "cells.security.two_factor:authenticator_confirm": (EXEMPT, "authenticator secrets, never logged"),
    "cells.security.two_factor:recovery_codes_issue": (EXEMPT, "recovery codes, never logged"),
    "cells.security.two_factor:two_factor_reset": (EXEMPT, "authenticator secrets, never logged"),
    "cells.views.admissions:QuotaEditView.post": ("quota_page",),
    "assessments.services:classifications_write": ("year_entry_page", "import_classifications"),
    "plans.services.candidates:_flag": ("flag_candidates_command", "candidate_job_task"),
    "cells.versions:versioned_update": ("plan_and_task_edits",),
    "plans.services.plans:_save_targets": ("plan_and_task_edits",),
    "plans.services.plans:progress_report_add": ("progress_report",),
    "plans.services.home:home_snapshot_request": (EXEMPT, "a large scope's stored home figures: derived, like a cache"),
    "plans.services.home:staff_home_snapshot": (EXEMPT, "when a large scope's stored home figures were last viewed"),
}
QUERYSET_METHODS = {"filter", "exclude", "all", "within", "select_for_update", "order_by", "only", "defer", "using"}


def writes_without_signals():
    """`module:function` of every call that writes rows without model signals, read from the source."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            module = ".".join(relative.with_suffix("").parts)
            yield from _calls(ast.parse(path.read_text(encoding="utf-8")), module, [])


def _calls(node, module, names):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _calls(child, module, [*names, child.name])
            continue
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
            method, receiver = child.func.attr, child.func.value
            chained = isinstance(receiver, ast.Call) or (
                isinstance(receiver, ast.Attribute) and receiver.attr in ("objects", "_base_manager")
            )
            if method in ("bulk_create", "bulk_update", "delete") or (method == "update" and chained):
                yield f"{module}:{'.'.join(names)}"
        yield from _calls(child, module, names)


def test_every_writer_without_signals_is_known_and_proved():
    found = set(writes_without_signals())
    unknown = sorted(found - set(SOURCE_WRITERS))
    assert not unknown, (
        "these functions write in bulk (no model signals, so no change-log entry by themselves): call "
        "cells.audit.audit_bulk for their rows and list them in SOURCE_WRITERS with a scenario:\n" + "\n".join(unknown)
    )
    for writer, proof in SOURCE_WRITERS.items():
        assert proof[0] == EXEMPT or set(proof) <= set(SCENARIOS), writer
    assert not set(SOURCE_WRITERS) - found, "SOURCE_WRITERS names a writer the source no longer has"


def test_the_meeting_summary_is_derived_not_history():
    from cells.models import MeetingYear

    assert not auditlog.contains(MeetingYear)
    assert auditlog.contains(Meeting)


def test_the_search_finds_a_bulk_writer():
    source = "def f():\n    Meeting.objects.filter(pk=1).update(topic='x')\n    rows.update(a=1)\n"
    assert list(_calls(ast.parse(source), "m", [])) == ["m:f"]


# ---------------------------------------------------------------- rows and entries


def _project_models():
    """The models of the three apps whose rows are history (not the logs themselves: the change log's
    organizations, the security log, notifications; see AUDITLOG_EXCLUDE_TRACKING_MODELS)."""
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if auditlog.contains(model):
                yield model


def _rows():
    """Every row of the three apps, as the values that are history."""
    rows = {}
    for model in _project_models():
        skip = NOT_HISTORY.get(model, set())
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        for values in model._base_manager.values_list(*names):
            rows[(model._meta.label_lower, values[names.index(model._meta.pk.attname)])] = values
    return rows


def _changed(before, after) -> int:
    return sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def _entries():
    types = ContentType.objects.get_for_models(*_project_models()).values()
    return LogEntry.objects.filter(content_type__in=types)


# ---------------------------------------------------------------- the writers


def year_entry_page(ctx):
    """The year-entry page: results created final, then one corrected with a reason."""
    url = reverse("assessments:entry", kwargs={"org_code": ctx.tree.d.code, "year": 2018})
    ctx.client.force_login(ctx.alice)
    first = {f"level_{ctx.tree.a.pk}": "complete", f"level_{ctx.tree.b.pk}": "good", "action": "final"}
    again = {**first, f"level_{ctx.tree.a.pk}": "good", f"reason_{ctx.tree.a.pk}": "Phúc tra"}
    return [lambda: ctx.client.post(url, first), lambda: ctx.client.post(url, again)]


def import_classifications(ctx):
    path = ctx.tmp_path / "results.csv"
    path.write_text("code,year,level\nD-A,2019,complete\nD-B,2019,good\n", encoding="utf-8")
    return lambda: call_command("import_classifications", str(path), stdout=ctx.out, stderr=ctx.out)


def import_organizations(ctx):
    path = ctx.tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,parent_code\nD-A,Đảng bộ xã Gia Miễn mới,grassroots_committee,D\n"
        "D-A-9,Chi bộ Khuổi Mò,cell,D-A\n",
        encoding="utf-8",
    )
    return lambda: call_command("import_organizations", str(path), stdout=ctx.out, stderr=ctx.out)


def import_meetings(ctx):
    make_meeting(ctx.tree.a1, date=datetime.date(2018, 1, 5), total=10, present=8)
    path = ctx.tmp_path / "meetings.csv"
    path.write_text(
        "cell_code,date,kind,members_total,members_present\n"
        "D-A-1,05/01/2018,regular,10,9\nD-A-2,05/01/2018,regular,12,12\n",
        encoding="utf-8",
    )
    return lambda: call_command("import_meetings", str(path), stdout=ctx.out, stderr=ctx.out)


def meeting_reminders_task(ctx):
    from cells.tasks import meeting_reminders_send_task

    return lambda: meeting_reminders_send_task(month="2018-02-01")


def quota_page(ctx):
    from cells.models import AdmissionQuota

    AdmissionQuota.objects.create(organization=ctx.tree.a2, year=2018, quota=2)

    def act():
        ctx.client.force_login(ctx.alice)
        url = reverse("cells:admission_quotas", kwargs={"org_code": ctx.tree.a.code, "year": 2018})
        data = {f"quota_{ctx.tree.a1.pk}": "3", f"quota_{ctx.tree.a2.pk}": ""}
        assert ctx.client.post(url, data).status_code == 302

    return act


def flag_candidates_command(ctx):
    classify(ctx.tree.a, 2018, "complete")
    weak = classify(ctx.tree.b, 2018, "incomplete")

    def correct():  # a single save: django-auditlog's signal
        weak.level = "good"
        weak.save()

    run = lambda: call_command("flag_candidates", "2018", stdout=ctx.out)  # noqa: E731
    return [run, correct, run]  # the second run withdraws D-B


def candidate_job_task(ctx):
    from plans.tasks import candidates_run

    classify(ctx.tree.a, 2018, "incomplete")
    run = JobRun.objects.create(year=2018, scope=ctx.tree.d, requested_by=ctx.alice)
    return lambda: candidates_run(run_id=run.pk)


def plan_and_task_edits(ctx):
    from plans.services.plans import plan_create, plan_update, task_create, task_update

    candidate = make_candidate(ctx.tree.a, decision=Candidate.Decision.SELECTED)

    target = {"kind": "regular_meetings", "number": 12}
    made = {}

    def create():
        made["plan"] = plan_create(candidate=candidate, values={"number": "45-KH/HU"}, targets=[target], user=ctx.alice)

    def update():
        plan = made["plan"]
        plan_update(
            plan=plan, version=plan.version, values={"number": "46-KH/HU"}, targets=[target] * 2, user=ctx.alice
        )

    def add_task():
        values = {"title": "Dự sinh hoạt", "committee": "organization", "due": datetime.date(2018, 5, 1)}
        made["task"] = task_create(plan=made["plan"], values=values, user=ctx.alice)

    def edit_task():
        task = made["task"]
        task_update(task=task, version=task.version, values={"title": "Dự sinh hoạt chi bộ"}, user=ctx.alice)

    return [create, update, add_task, edit_task]


def progress_report(ctx):
    from plans.services.plans import progress_report_add

    task = make_task(make_plan(ctx.tree.a, state=Plan.State.ADOPTED), assignee=ctx.alice)
    role = UserRole.objects.get(user=ctx.alice)
    return lambda: progress_report_add(
        task=task, user=ctx.alice, role=role, reported_on=datetime.date(2018, 4, 1), text="Đã dự"
    )


def task_reminders_task(ctx):
    from plans.tasks import send_task_reminders

    plan = make_plan(ctx.tree.a, state=Plan.State.ADOPTED)
    make_task(plan, committee="organization", due=datetime.date.today())
    CommitteeMailbox.objects.create(organization=ctx.tree.d, committee="organization", email="btc@example.org")
    return send_task_reminders


def organization_dissolved(ctx):
    """A commune ends (a save): its cells end with it, in one UPDATE with their entries."""

    def dissolve():
        ctx.tree.a.dissolved = datetime.date(2019, 12, 31)
        ctx.tree.a.save()

    return dissolve


def import_organizations_ending_a_unit(ctx):
    path = ctx.tmp_path / "ended.csv"
    path.write_text(
        "code,name,kind,parent_code,active_to\nD-B,Đảng bộ xã Tân Mỹ,grassroots_committee,D,31/12/2019\n",
        encoding="utf-8",
    )
    return lambda: call_command("import_organizations", str(path), stdout=ctx.out, stderr=ctx.out)


def meeting_form_page(ctx):
    """The meeting form: a meeting and its absentee, then a correction."""
    from tests.cells.test_meeting_form import CREATE, form_data

    ctx.client.force_login(ctx.bob)

    def correct():
        meeting = Meeting.objects.get()
        url = reverse("cells:meeting_update", kwargs={"meeting_id": meeting.pk})
        ctx.client.post(url, form_data(ctx.tree.a1, members_present="18", confirm_warnings="1"))

    return [lambda: ctx.client.post(CREATE, form_data(ctx.tree.a1)), correct]


def admission_form_page(ctx):
    from tests.cells.test_admission_form import CREATE, data

    ctx.client.force_login(ctx.bob)
    return lambda: ctx.client.post(CREATE, data(ctx.tree.a1))


def candidate_decision(ctx):
    from plans.services.plans import candidate_decide, plan_transition

    candidate = make_candidate(ctx.tree.a)
    plan = make_plan(ctx.tree.b)

    def decide():
        candidate_decide(
            candidate=candidate, decision=Candidate.Decision.SELECTED, reason="Yếu kém nhiều năm",
            number="35-QĐ/HU", date=datetime.date(2018, 1, 20), decided_by=ctx.alice,
        )  # fmt: skip

    def adopt():
        plan_transition(plan=plan, to=Plan.State.ADOPTED, version=plan.version, user=ctx.alice)

    return [decide, adopt]


def scheduled_candidate_job(ctx):
    from plans.tasks import flag_candidates_scheduled

    classify(ctx.tree.a, 2018, "complete")
    return lambda: flag_candidates_scheduled(scope_id=ctx.tree.d.pk)


def grant_role(ctx):
    return lambda: call_command("grant_role", "thu", "secretary", ctx.tree.b.code, stdout=ctx.out)


def load_demo(ctx):
    return lambda: call_command("load_demo", stdout=ctx.out)


def report_files(ctx):
    """A report run writes its file (one row); the daily task deletes the files past their days."""
    from django.test import override_settings

    from cells.report_runs import report_run_start
    from cells.tasks import report_files_forget_task, report_run

    run = report_run_start(report="compliance", scope=ctx.tree.a, year=2018, user=ctx.alice, title="", back_url="")

    def write():
        with override_settings(MEDIA_ROOT=ctx.tmp_path):
            report_run(run_id=run.pk)

    def forget():
        with override_settings(MEDIA_ROOT=ctx.tmp_path, VANLANG_REPORT_FILES_KEEP_DAYS=-1):
            assert report_files_forget_task() == 1

    return [write, forget]


SCENARIOS = {
    scenario.__name__: scenario
    for scenario in (
        year_entry_page,
        import_classifications,
        import_organizations,
        import_meetings,
        meeting_reminders_task,
        quota_page,
        flag_candidates_command,
        candidate_job_task,
        plan_and_task_edits,
        progress_report,
        task_reminders_task,
        organization_dissolved,
        import_organizations_ending_a_unit,
        meeting_form_page,
        admission_form_page,
        candidate_decision,
        scheduled_candidate_job,
        grant_role,
        load_demo,
        report_files,
    )
}


# The demo creates rows and completes some of them in the same run (a successor, a decision): there
# each created row must have its creation entry (and changes have theirs besides).
CREATES_ONLY = {"load_demo"}


class Context:
    def __init__(self, **values):
        self.__dict__.update(values)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_writer_leaves_one_entry_per_row_it_changed(name, tree, alice, bob, client, tmp_path):

    ctx = Context(tree=tree, alice=alice, bob=bob, client=client, tmp_path=tmp_path, out=io.StringIO())
    acts = SCENARIOS[name](ctx)  # the scenario's own setup, then the writes it proves, one by one
    acts = acts if isinstance(acts, list) else [acts]
    first_entry = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows = entries = 0
    for act in acts:
        before_rows, before_entries = _rows(), _entries().count()
        act()
        if name in CREATES_ONLY:
            rows += len(_rows().keys() - before_rows.keys())
            entries += _entries().filter(action=LogEntry.Action.CREATE).count() - before_entries
            continue
        rows += _changed(before_rows, _rows())
        entries += _entries().count() - before_entries
    assert rows > 0, f"{name} changed nothing: the scenario proves nothing"
    assert entries == rows, f"{name}: {rows} rows changed, {entries} change-log entries"
    new = _entries().filter(pk__gt=first_entry)
    # Each entry names the organization its row belongs to (for scoping and export_audit_log --org),
    # but a job run over everything, which belongs to none.
    unplaced = new.exclude(pk__in=EntryOrganization.objects.values("entry_id"))
    assert {(e.content_type.model, e.object_pk) for e in unplaced} <= {
        ("jobrun", str(pk)) for pk in JobRun.objects.filter(scope=None).values_list("pk", flat=True)
    }, name
