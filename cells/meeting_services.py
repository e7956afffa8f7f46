"""Writes and rules for cell meetings: saving a record, soft-rule warnings, the monthly reminder."""

import datetime
import logging
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from cells.audit import audit_bulk
from cells.models import Meeting, MeetingReminder, Notification, Organization, UserRole
from cells.notifications import Delivery, Note, notifications_send, reminder_deliver
from cells.versions import ConflictError, version_check

logger = logging.getLogger(__name__)

# Chỉ thị 50-CT/TW and Hướng dẫn 42-HD/BTCTW (2025): meetings last at least 90 minutes, 120 combined.
MIN_DURATION_FROM = datetime.date(2025, 1, 1)
MIN_DURATION = {Meeting.Kind.REGULAR: 90, Meeting.Kind.THEMED: 90, Meeting.Kind.COMBINED: 120}


def meeting_warnings(
    *,
    organization: Organization,
    date: datetime.date,
    kind: str,
    duration_minutes: int | None,
    members_total: int,
    members_present: int,
    absentee_count: int,
    exclude_pk: int | None = None,
) -> list[str]:
    """Where a record breaks a soft rule: shown to the user, who may confirm and save anyway."""
    warnings = []
    if kind in Meeting.REGULAR_KINDS:
        same_month = (
            Meeting.objects.filter(
                organization=organization, date__year=date.year, date__month=date.month, kind__in=Meeting.REGULAR_KINDS
            )
            .exclude(pk=exclude_pk)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        if same_month:
            warnings.append(
                _(
                    "%(cell)s already has a regular meeting this month, on %(date)s. A cell holds one regular "
                    "meeting a month: check the date and the kind before saving."
                )
                % {"cell": organization.name, "date": same_month.strftime("%d/%m/%Y")}
            )
    minimum = MIN_DURATION.get(kind)
    if date >= MIN_DURATION_FROM and duration_minutes is not None and minimum and duration_minutes < minimum:
        warnings.append(
            _("The meeting lasted %(duration)s minutes; since 2025 a meeting of this kind lasts at least %(min)s.")
            % {"duration": duration_minutes, "min": minimum}
        )
    absent = members_total - members_present
    if absent > 0 and absentee_count != absent:
        warnings.append(
            _("%(absent)s members were absent but %(listed)s are listed: add each absent member with the reason.")
            % {"absent": absent, "listed": absentee_count}
        )
    return warnings


VERSIONED_FIELDS = (
    "organization", "date", "kind", "duration_minutes", "members_total", "members_present", "guest", "chair",
    "minutes_secretary", "topic", "content", "resolution",
)  # fmt: skip


def _absentee_lines(rows) -> str:
    return "\n".join(f"{name} ({reason})" if reason else name for name, reason in rows)


@transaction.atomic
def meeting_save(*, form, absentees, user, version: int | None = None) -> Meeting:
    """Save a meeting form with its absentee formset, in one transaction.

    A correction is saved only if the record is still at the `version` its editor opened;
    otherwise ConflictError lists what the other save changed (cells.versions).
    """
    meeting = form.save(commit=False)
    if meeting.pk is None:
        meeting.created_by = user
    else:
        mine = {name: form.cleaned_data[name] for name in VERSIONED_FIELDS if name in form.cleaned_data}
        try:
            current = version_check(Meeting, meeting.pk, version, mine)
        except ConflictError as conflict:
            theirs = _absentee_lines(conflict.current.absentees.values_list("name", "reason"))
            listed = [
                f.cleaned_data
                for f in absentees.forms
                if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
            ]
            ours = _absentee_lines((row["name"], row.get("reason", "")) for row in listed)
            if theirs != ours:
                conflict.changes.append((str(_("absent members")), theirs or "—", ours or "—"))
            raise
        meeting.version = current.version + 1
    meeting.updated_by = user
    meeting.save()
    absentees.instance = meeting
    absentees.save()
    return meeting


def previous_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def cells_without_regular_meeting(month: datetime.date):
    """Cells that existed in `month` and have no regular (or combined) meeting recorded in it."""
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    last = next_month - datetime.timedelta(days=1)
    met = Meeting.objects.filter(date__gte=month, date__lte=last, kind__in=Meeting.REGULAR_KINDS).values(
        "organization_id"
    )
    return (
        Organization.objects.cells()
        .active_between(month, last)
        .exclude(pk__in=met)
        .exclude(pk__in=MeetingReminder.objects.filter(month=month, user=None).values("organization_id"))
    )


@dataclass
class RemindersSent:
    emails: int = 0
    secretaries: int = 0
    failed: list[str] = field(default_factory=list)


def meeting_reminders_send(*, month: datetime.date) -> RemindersSent:
    """Remind each cell's secretaries once about a month without a regular meeting.

    A cell's secretaries are the users with the secretary role over the cell itself or a unit
    above it up to its grassroots organization (the commune secretary); each gets one e-mail (if
    they have an address) and one in-app note listing their cells. Each secretary is one
    delivery (`reminder_deliver`): the log rows (cell, month, secretary; unique) are committed
    only after their e-mail went out. A failed send records nothing for that secretary and undoes
    nobody else's, so the next run (the task retries the month) reminds only them; a second
    run, even a concurrent one, reminds nobody twice.
    """
    month = month.replace(day=1)
    cells = list(cells_without_regular_meeting(month).order_by("path").only("id", "code", "name", "path"))
    result = RemindersSent()
    if not cells:
        return result
    ancestor_ids = {pk for cell in cells for pk in [*cell.ancestor_ids(), cell.pk]}
    roles = (
        UserRole.objects.filter(role=UserRole.Role.SECRETARY, organization_id__in=ancestor_ids)
        .exclude(organization__kind=Organization.Kind.UPPER_COMMITTEE)
        .filter(user__is_active=True)
        .select_related("user")
    )
    users_by_org, users = {}, {}
    for role in roles:
        users_by_org.setdefault(role.organization_id, set()).add(role.user_id)
        users[role.user_id] = role.user
    done = set(
        MeetingReminder.objects.filter(month=month, organization__in=cells).values_list("organization_id", "user_id")
    )
    cells_by_user = {}
    for cell in cells:
        for pk in [*cell.ancestor_ids(), cell.pk]:
            for user_id in users_by_org.get(pk, ()):
                if (cell.pk, user_id) not in done and cell not in cells_by_user.get(user_id, []):
                    cells_by_user.setdefault(user_id, []).append(cell)
    for user_id, own_cells in sorted(cells_by_user.items()):
        user = users[user_id]
        rows = [MeetingReminder(organization=cell, month=month, user=user, recipients=user.email) for cell in own_cells]

        def record(rows=rows):
            MeetingReminder.objects.bulk_create(rows)
            audit_bulk(action="create", objects=rows)

        def send(user=user, own_cells=own_cells):
            notifications_send(notes=[_missing_meeting_note(user.pk, own_cells, month)])
            if user.email:
                _missing_meeting_mail(user.email, own_cells, month)

        outcome = reminder_deliver(recipient=user.email or user.get_username(), record=record, send=send)
        if outcome is Delivery.SENT:
            result.secretaries += 1
            result.emails += bool(user.email)
        elif outcome is Delivery.FAILED:
            result.failed.append(user.email)
    return result


def _missing_meeting_mail(email: str, cells: list[Organization], month: datetime.date) -> None:
    with override(settings.LANGUAGE_CODE):
        values = {"month": month.strftime("%m/%Y"), "cells": ", ".join(cell.name for cell in cells)}
        subject = _("No regular cell meeting recorded for %(month)s") % values
        body = (
            _(
                "No regular meeting was recorded in %(month)s for: %(cells)s.\n\n"
                "If the meeting was held, enter its record; if not, arrange it this month."
            )
            % values
        )
    send_mail(subject, body, None, [email])


def _missing_meeting_note(user_id: int, cells: list[Organization], month: datetime.date) -> Note:
    """The in-app copy of the reminder, leading to the meeting form."""
    with override(settings.LANGUAGE_CODE):
        text = _("No regular meeting was recorded in %(month)s for: %(cells)s.") % {
            "month": month.strftime("%m/%Y"),
            "cells": ", ".join(cell.name for cell in cells),
        }
    link = reverse("cells:meeting_create")
    if len(cells) == 1:
        link += f"?to-chuc={quote(cells[0].code)}"
    return Note(user_id, Notification.Kind.MEETING_MISSING, text[:500], link)
