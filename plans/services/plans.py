"""Writes of the consolidation work: decisions, plans, tasks, progress reports, reminders."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.models import Classification
from cells.audit import audit_bulk
from cells.models import Notification, Organization, UserRole
from cells.notifications import Delivery, Note, notifications_send, reminder_deliver, users_with_role_over
from cells.text import document_number
from cells.versions import ConflictError, versioned_update
from plans.models import Candidate, CommitteeMailbox, Plan, ProgressReport, ReminderLog, Target, Task

logger = logging.getLogger(__name__)

REMINDER_WINDOW_DAYS = 7


class TransitionError(Exception):
    pass


class PlanClosedError(TransitionError):
    """A completed or cancelled plan refuses every change to itself, its targets and its tasks."""


def refuse_if_closed(plan: Plan) -> None:
    if not plan.is_open:
        raise PlanClosedError(
            _("This plan is “%(state)s”: it, its targets and its tasks can no longer be changed.")
            % {"state": plan.get_state_display()}
        )


def refuse_if_not_active(organization: Organization, year: int) -> None:
    """A unit outside its life span in the support year cannot be selected nor get a plan for it."""
    if organization.active_in(year):
        return
    if organization.dissolved and organization.dissolved.year < year:
        message = _("%(unit)s was dissolved on %(date)s: it cannot be supported in %(year)s.")
        day = organization.dissolved
    else:
        message = _("%(unit)s was founded on %(date)s: it cannot be supported in %(year)s.")
        day = organization.founded
    successor = organization.successor if organization.successor_id else None
    text = message % {"unit": organization.name, "date": day.strftime("%d/%m/%Y"), "year": year}
    if successor is not None:
        text = f"{text} " + _("Its work went to %(successor)s.") % {"successor": successor.name}
    raise TransitionError(text)


# ---------------------------------------------------------------- decisions


@transaction.atomic
def candidate_decide(
    *,
    candidate: Candidate,
    decision: str,
    reason: str,
    number: str,
    date: datetime.date,
    decided_by,
) -> Candidate:
    """Record the standing committee's decision on a candidate. A selected unit with a plan stays selected.

    The same decision posted again (a double click, two posts that crossed: the second waits on
    the row lock) changes nothing and notifies nobody a second time.
    """
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if decision not in (Candidate.Decision.SELECTED, Candidate.Decision.NOT_SELECTED):
        raise ValueError(decision)
    if decision == Candidate.Decision.SELECTED:
        refuse_if_not_active(candidate.organization, candidate.year)
    if decision != Candidate.Decision.SELECTED and Plan.objects.filter(candidate=candidate).exists():
        raise TransitionError(_("This unit already has a plan. Cancel the plan first if the decision really changes."))
    values = {
        "decision": decision,
        "decision_reason": reason,
        "decision_number": document_number(number),
        "decision_date": date,
        "decided_by_id": getattr(decided_by, "pk", None),
    }
    if all(getattr(candidate, name) == value for name, value in values.items()):
        return candidate
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.save()
    _notify_decision(candidate)
    return candidate


def _notify_decision(candidate: Candidate) -> None:
    """The staff over the unit learn the decision: a selected unit needs its plan written."""
    staff = users_with_role_over(candidate.organization, UserRole.Role.STAFF).exclude(user=candidate.decided_by)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "unit": candidate.organization.name,
            "year": candidate.year,
            "decision": candidate.get_decision_display(),
            "number": candidate.decision_number,
        }
        text = _("Decision on %(unit)s for %(year)s: %(decision)s (decision no. %(number)s).") % values
    link = reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})
    recipients = staff.values_list("user_id", flat=True)
    notifications_send(notes=[Note(user_id, Notification.Kind.DECISION, text, link) for user_id in recipients])


@transaction.atomic
def candidate_select_manually(
    *,
    organization: Organization,
    year: int,
    reason: str,
    number: str,
    date: datetime.date,
    decided_by,
) -> Candidate:
    """Select a unit the job did not flag: a manual candidate, decided selected at once."""
    refuse_if_not_active(organization, year)
    already = TransitionError(
        _("This unit is already a candidate for that year: record the decision on its candidate page.")
    )
    if Candidate.objects.filter(organization=organization, year=year).exists():
        raise already
    previous = Classification.objects.filter(
        organization=organization, year=year - 1, state=Classification.State.FINAL
    ).first()
    try:
        with transaction.atomic():  # two posts that crossed: the second meets the unique rule here
            return Candidate.objects.create(
                organization=organization,
                year=year,
                classification=previous,
                level=previous.level if previous else "",
                reasons=[reason],
                source=Candidate.Source.MANUAL,
                decision=Candidate.Decision.SELECTED,
                decision_reason=reason,
                decision_number=document_number(number),
                decision_date=date,
                decided_by=decided_by,
            )
    except IntegrityError:
        raise already from None


# ---------------------------------------------------------------- plans


PLAN_FIELDS = ("number", "issued_on", "place", "weaknesses", "causes", "lead", "signer_title", "recipients")


def _save_targets(plan: Plan, targets: list[dict]) -> None:
    plan.targets.all().delete()  # one delete signal, hence one audit entry, per target
    created = Target.objects.bulk_create(Target(plan=plan, position=i, **target) for i, target in enumerate(targets))
    audit_bulk(action="create", objects=created)


@transaction.atomic
def plan_create(*, candidate: Candidate, values: dict, targets: list[dict], user) -> Plan:
    """The candidate's plan, created once: a second post of the form (a double click) gets the first plan."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if existing := Plan.objects.filter(candidate=candidate).first():
        return existing
    if candidate.decision != Candidate.Decision.SELECTED:
        raise TransitionError(_("Only a unit selected by the standing committee gets a plan."))
    refuse_if_not_active(candidate.organization, candidate.year)
    values = {**values, "number": document_number(values.get("number", ""))}
    plan = Plan.objects.create(
        candidate=candidate, organization=candidate.organization, year=candidate.year, updated_by=user, **values
    )
    _save_targets(plan, targets)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, version: int, values: dict, targets: list[dict] | None, user) -> Plan:
    """Save the plan's text and targets if nobody saved it since the editor opened `version`."""
    values = {**values, "number": document_number(values.get("number", ""))}
    refuse_if_closed(Plan.objects.get(pk=plan.pk))
    try:
        versioned_update(Plan, plan.pk, version, values, user)
    except ConflictError as conflict:
        if targets is not None:
            theirs = "\n".join(str(t) for t in conflict.current.targets.all())
            mine = "\n".join(str(Target(**t)) for t in targets)
            if theirs != mine:
                conflict.changes.append((str(_("targets")), theirs or "—", mine or "—"))
        raise
    plan.refresh_from_db()
    if targets is not None:
        _save_targets(plan, targets)
    return plan


TRANSITIONS = {
    Plan.State.DRAFT: (Plan.State.ADOPTED, Plan.State.CANCELLED),
    Plan.State.ADOPTED: (Plan.State.IN_PROGRESS, Plan.State.CANCELLED),
    Plan.State.IN_PROGRESS: (Plan.State.COMPLETED, Plan.State.CANCELLED),
    Plan.State.COMPLETED: (),
    Plan.State.CANCELLED: (),
}


@transaction.atomic
def plan_transition(*, plan: Plan, to: str, version: int, user) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.version != version:
        raise ConflictError(plan, [(str(_("state")), plan.get_state_display(), dict(Plan.State.choices).get(to, to))])
    if to not in TRANSITIONS[plan.state]:
        raise TransitionError(
            _("A plan in state “%(state)s” cannot move to “%(to)s”.")
            % {"state": plan.get_state_display(), "to": dict(Plan.State.choices).get(to, to)}
        )
    if to in (Plan.State.ADOPTED, Plan.State.IN_PROGRESS):
        refuse_if_not_active(plan.organization, plan.year)
    if to == Plan.State.ADOPTED and not plan.targets.exists():
        raise TransitionError(_("Add at least one measurable target before adopting the plan."))
    plan.state = to
    if to == Plan.State.ADOPTED:
        plan.adopted_by, plan.adopted_at = user, timezone.now()
    plan.version += 1
    plan.updated_by = user
    plan.save()
    return plan


# ---------------------------------------------------------------- tasks

TASK_FIELDS = ("title", "description", "assignee", "committee", "due", "state")


def standing_members_for(organization: Organization, scope: Organization):
    """Users with the standing role over `organization`, within `scope`: who may lead or own tasks."""
    ancestors = [*organization.ancestor_ids(), organization.pk]
    roles = UserRole.objects.within(scope).filter(role=UserRole.Role.STANDING, organization_id__in=ancestors)
    return get_user_model().objects.filter(vanlang_role__in=roles).order_by("last_name", "first_name", "username")


@transaction.atomic
def task_create(*, plan: Plan, values: dict, user) -> Task:
    refuse_if_closed(Plan.objects.get(pk=plan.pk))
    task = Task.objects.create(plan=plan, updated_by=user, **values)
    _notify_assigned(task, user)
    return task


def _notify_assigned(task: Task, user) -> None:
    """The standing member a task is given to hears of it (a committee's tasks reach it by e-mail reminders)."""
    if not task.assignee_id or task.assignee_id == getattr(user, "pk", None):
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = _("You are assigned a task for %(unit)s: %(title)s (due %(due)s).") % {
            "unit": task.plan.organization.name,
            "title": task.title,
            "due": task.due.strftime("%d/%m/%Y"),
        }
    link = reverse("plans:task_detail", kwargs={"task_id": task.pk})
    notifications_send(notes=[Note(task.assignee_id, Notification.Kind.TASK_ASSIGNED, text, link)])


@transaction.atomic
def task_update(*, task: Task, version: int, values: dict, user) -> Task:
    refuse_if_closed(Plan.objects.get(pk=task.plan_id))
    previous_assignee = task.assignee_id
    versioned_update(Task, task.pk, version, values, user)
    task.refresh_from_db()
    if task.assignee_id != previous_assignee:
        _notify_assigned(task, user)
    return task


def may_report(*, user, role: UserRole, task: Task) -> bool:
    """Staff report on any task in their scope; a standing member only on their own."""
    if role.role == UserRole.Role.STAFF:
        return True
    return role.role == UserRole.Role.STANDING and task.assignee_id == user.pk


@transaction.atomic
def progress_report_add(
    *, task: Task, user, role: UserRole, reported_on, text: str, attachment=None, final: bool = False
) -> ProgressReport:
    """Add a report; the first sets the task going, a final one marks it done (the assignee's own word)."""
    if not may_report(user=user, role=role, task=task):
        raise PermissionError("not the assignee")
    refuse_if_closed(Plan.objects.get(pk=task.plan_id))
    report = ProgressReport(task=task, reported_on=reported_on, text=text, author=user)
    if attachment is not None:
        report.attachment_name = attachment.name[:255]
        report.attachment_type = getattr(attachment, "checked_type", "") or attachment.content_type
        report.attachment = attachment
    report.save()
    # The first report sets an untouched task going, a final one closes it; its version moves so
    # open editors notice.
    before = Task.objects.filter(pk=task.pk).first()
    if final:
        changed = Task.objects.filter(pk=task.pk, state__in=Task.OPEN_STATES).update(
            state=Task.State.DONE, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
    else:
        changed = Task.objects.filter(pk=task.pk, state=Task.State.OPEN).update(
            state=Task.State.IN_PROGRESS, version=F("version") + 1
        )
    if changed:
        audit_bulk(action="update", objects=[Task.objects.get(pk=task.pk)], before=[before], actor=user)
    return report


# ---------------------------------------------------------------- reminders


@dataclass
class ReminderResult:
    sent_emails: int = 0
    tasks_reminded: int = 0
    failed: list[str] = field(default_factory=list)


def _mailboxes_by_org_committee() -> dict[tuple[int, str], str]:
    return {(m.organization_id, m.committee): m.email for m in CommitteeMailbox.objects.all()}


def reminder_recipient(task: Task, mailboxes: dict[tuple[int, str], str]) -> str:
    if task.assignee_id:
        return task.assignee.email
    organization = task.plan.organization
    for ancestor_id in reversed([*organization.ancestor_ids(), organization.pk]):
        email = mailboxes.get((ancestor_id, task.committee))
        if email:
            return email
    return ""


def due_tasks(today: datetime.date):
    return (
        Task.objects.filter(
            state__in=Task.OPEN_STATES,
            plan__state__in=(Plan.State.ADOPTED, Plan.State.IN_PROGRESS),
            due__lte=today + datetime.timedelta(days=REMINDER_WINDOW_DAYS),
        )
        .exclude(Q(assignee__isnull=False) & Q(assignee__email=""))
        .select_related("plan__organization", "assignee")
        .order_by("due", "pk")
    )


def reminders_send(*, today: datetime.date | None = None) -> ReminderResult:
    """Email each assignee about their tasks due within 7 days or overdue, once per task per day.

    Each recipient is one delivery (`reminder_deliver`): the log rows (task, day; unique) and the
    in-app notes are committed only after the e-mail went out. A failed send records nothing for
    that recipient and undoes nobody else's, so the next run reminds only them; a second run the
    same day, even a concurrent one, reminds nobody twice.
    """
    today = today or timezone.localdate()
    mailboxes = _mailboxes_by_org_committee()
    by_recipient: dict[str, list[Task]] = {}
    for task in due_tasks(today):
        recipient = reminder_recipient(task, mailboxes)
        if recipient:
            by_recipient.setdefault(recipient, []).append(task)
        else:
            logger.warning("No reminder address for task %s (%s)", task.pk, task.committee)
    done = set(ReminderLog.objects.filter(day=today).values_list("task_id", flat=True))
    result = ReminderResult()
    for recipient, tasks in by_recipient.items():
        fresh = [task for task in tasks if task.pk not in done]
        if not fresh:
            continue

        def record(fresh=fresh, recipient=recipient):
            for task in fresh:  # a handful per recipient; each row audited by its signal
                ReminderLog.objects.create(task=task, day=today, recipient=recipient)

        def send(fresh=fresh, recipient=recipient):
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "tasks": [(t, (t.due - today).days, (today - t.due).days) for t in fresh],
                    "today": today,
                }
                subject = ngettext(
                    "Reminder: %(n)d consolidation task due soon or overdue",
                    "Reminder: %(n)d consolidation tasks due soon or overdue",
                    len(fresh),
                ) % {"n": len(fresh)}
                body = render_to_string("plans/email/task_reminder.txt", context)
            notifications_send(notes=_due_notes(fresh, today))
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])

        outcome = reminder_deliver(recipient=recipient, record=record, send=send)
        if outcome is Delivery.SENT:
            result.sent_emails += 1
            result.tasks_reminded += len(fresh)
        elif outcome is Delivery.FAILED:
            result.failed.append(recipient)
    return result


def _due_notes(tasks: list[Task], today: datetime.date) -> list[Note]:
    """The in-app copy of a reminder, for the tasks that have a member as assignee."""
    notes = []
    with translation.override(settings.LANGUAGE_CODE):
        for task in tasks:
            if not task.assignee_id:
                continue
            values = {"title": task.title, "unit": task.plan.organization.name, "due": task.due.strftime("%d/%m/%Y")}
            if task.due < today:
                text = _("Overdue since %(due)s: %(title)s (%(unit)s).") % values
            else:
                text = _("Due on %(due)s: %(title)s (%(unit)s).") % values
            link = reverse("plans:task_detail", kwargs={"task_id": task.pk})
            notes.append(Note(task.assignee_id, Notification.Kind.TASK_DUE, text, link))
    return notes
