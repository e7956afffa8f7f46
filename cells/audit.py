"""One accountable write path: every create, update and delete leaves a change-log entry.

Entries are django-auditlog's `LogEntry`, each with:

- the actor: the user (the request's, or the one given to `acting`), and for a job or a command
  its name in `additional_data` ("job", "job_kind", "started_by");
- the organization the object belongs to: its code in `additional_data` and an `EntryOrganization`
  row beside the entry, so an auditor's subtree is one indexed query (`entries_within`);
- each changed field before and after in the words a user reads: a choice's display value, a
  classification level as its year's rule set writes it (a model's `audit_display`);
- the reason, where the change needed one (`acting(reason=...)`, a reason field of the model, or
  given per object to `audit_bulk`).

Single saves go through django-auditlog's signals, completed here (`_complete`, `_link`). Bulk
writes (`bulk_create`, `bulk_update`, `QuerySet.update`) send no signals: their writers call
`audit_bulk`, which writes the entries in bulk too.
"""

import datetime
import getpass
import io
import itertools
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.signals import pre_log
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.management.base import BaseCommand
from django.db.models.signals import post_save, pre_save
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cells.models import EntryOrganization, Organization, UserRole
from cells.workbooks import text_cell

BATCH_SIZE = 2000
ACTIONS = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE, "delete": LogEntry.Action.DELETE}
ACTION_NAMES = {value: name for name, value in ACTIONS.items()}
# Fields whose new value is the reason of the change that set it.
REASON_FIELDS = ("change_reason", "decision_reason", "withdrawn_reason")


@dataclass(frozen=True)
class Acting:
    user: object = None
    job: str = ""
    job_kind: str = ""  # "command" or "task"
    started_by: str = ""
    reason: str = ""
    remote_addr: str | None = None


_acting: ContextVar[Acting | None] = ContextVar("vanlang_acting", default=None)
_pending: ContextVar[object] = ContextVar("vanlang_audit_pending", default=None)


@contextmanager
def acting(*, user=None, job: str = "", job_kind: str = "", started_by: str = "", reason: str = "", remote_addr=None):
    """Who writes inside the block: a user, or a job or command (by name) and who started it."""
    outer = _acting.get() or Acting()
    user = user if getattr(user, "pk", None) else outer.user
    started_by = started_by or (user.get_username() if user is not None else "") or outer.started_by
    token = _acting.set(
        Acting(
            user=user,
            job=job or outer.job,
            job_kind=job_kind or outer.job_kind,
            started_by=started_by,
            reason=reason or outer.reason,
            remote_addr=remote_addr or outer.remote_addr,
        )
    )
    try:
        yield
    finally:
        _acting.reset(token)


@contextmanager
def acting_as_command(name: str):
    """A management command: its name, and the account of the system that ran it."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = ""
    with acting(job=name, job_kind="command", started_by=account):
        yield


def acting_as_task(name: str, *, user=None):
    """A Celery task: its name, and the user who started it (None: the schedule)."""
    return acting(user=user, job=name, job_kind="task", started_by="" if user else _("schedule"))


def acting_for_run(name: str, *, user=None):
    """A background run: inside a command it stays the command's work; on a worker it is the task's."""
    outer = _acting.get()
    if outer is not None and outer.job:
        return acting(user=user)
    return acting_as_task(name, user=user)


# ---------------------------------------------------------------- organizations of objects


def _way(model) -> str | None:
    """How `model` reaches its organization ("" for Organization itself; None: it does not)."""
    if issubclass(model, Organization):
        return ""
    way = getattr(model, "tree_organization", None)
    if way is not None:
        return way
    try:
        field = model._meta.get_field("organization")
    except FieldDoesNotExist:
        return None
    return "organization" if field.is_relation else None


def _organization_id(obj, way: str) -> int | None:
    if way == "":
        return obj.pk
    hops = way.split("__")
    try:
        for hop in hops[:-1]:
            obj = getattr(obj, hop)
            if obj is None:
                return None
        return getattr(obj, f"{hops[-1]}_id")
    except ObjectDoesNotExist:
        return None


def organizations_of(objects: Sequence) -> list[Organization | None]:
    """The organization each object belongs to, read in one query (users: through their role)."""
    if not objects:
        return []
    model = type(objects[0])
    if issubclass(model, Organization):
        return list(objects)
    if issubclass(model, get_user_model()):
        roles = dict(
            UserRole.objects.filter(user__in=[o.pk for o in objects]).values_list("user_id", "organization_id")
        )
        ids = [roles.get(o.pk) for o in objects]
    else:
        way = _way(model)
        ids = [None if way is None else _organization_id(o, way) for o in objects]
    found = Organization.objects.in_bulk({pk for pk in ids if pk is not None})
    organizations = [found.get(pk) for pk in ids]
    if _way(model) == "organization":
        # str(obj) often names the organization: give each object the one just read.
        field = model._meta.get_field("organization")
        for obj, organization in zip(objects, organizations, strict=True):
            if organization is not None and not field.is_cached(obj):
                field.set_cached_value(obj, organization)
    return organizations


# ---------------------------------------------------------------- the words a user reads


def readable(obj, changes: dict) -> dict:
    """`changes` ({field: [before, after]} as django-auditlog writes them) in the words a user reads.

    A choice becomes its display value in the site's language; a model may show a field its own
    way with `audit_display(field_name, value)` (a classification level as its rule set writes it).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _readable(obj, changes, {})


def _readable(obj, changes: dict, choices_of: dict) -> dict:
    """`readable` inside the site's language; `choices_of` keeps each field's choices for a batch."""
    model = type(obj)
    display = getattr(obj, "audit_display", None)
    shown = {}
    for name, values in changes.items():
        if isinstance(values, dict):  # many-to-many: already objects' names
            shown[name] = values
            continue
        if name not in choices_of:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is None:
                choices_of[name] = None
            else:
                choices_of[name] = {str(key): str(label) for key, label in field.flatchoices} if field.choices else {}
        choices = choices_of[name]
        if choices is None:
            shown[name] = list(values)
            continue
        row = []
        for value in values:
            text = display(name, value) if display is not None and value not in (None, "None") else None
            if text is None:
                text = choices.get(str(value), value)
            row.append(text)
        shown[name] = row
    return shown


def _reason(changes: dict, given: str = "") -> str:
    if given:
        return given
    context = _acting.get()
    if context is not None and context.reason:
        return context.reason
    for name in REASON_FIELDS:
        values = changes.get(name)
        if values and values[1] not in ("", "None", None):
            return values[1]
    return ""


def _additional_data(organization: Organization | None, reason: str) -> dict:
    data = {}
    if organization is not None:
        data["organization"] = organization.code
    context = _acting.get()
    if context is not None and context.job:
        data.update(job=context.job, job_kind=context.job_kind, started_by=context.started_by)
    if reason:
        data["reason"] = reason
    return data


def _actor():
    context = _acting.get()
    return context.user if context is not None else None


# ---------------------------------------------------------------- bulk writes


def audit_bulk(
    *,
    action: str,
    objects: Sequence,
    before: Sequence | None = None,
    reasons: Sequence[str] | str = "",
    actor=None,
    remote_addr: str | None = None,
) -> int:
    """Write the entries of rows written in bulk, in bulk: one per object; returns how many.

    `action` is "create", "update" or "delete"; `objects` are the rows as written (as they were,
    for a delete); for an update, `before` holds each row as it was (a copy taken before the
    change). `reasons` is one reason for all or one per object.
    """
    objects = list(objects)
    if not objects:
        return 0
    kind = ACTIONS[action]
    model = type(objects[0])
    context = _acting.get() or Acting()
    actor = actor if getattr(actor, "pk", None) else _actor()
    remote_addr = remote_addr or context.remote_addr
    content_type = ContentType.objects.get_for_model(model)
    organizations = organizations_of(objects)
    entries, links = [], []
    created_diff = _created_diff(model) if kind == LogEntry.Action.CREATE else None
    choices_of = {}
    language = translation.override(settings.LANGUAGE_CODE)
    language.__enter__()  # once for the batch: the words of every entry in the site's language
    try:
        diffs = []
        for i, obj in enumerate(objects):
            if created_diff is not None:
                diff = created_diff(obj)
            elif kind == LogEntry.Action.CREATE:
                diff = model_instance_diff(None, obj)
            elif kind == LogEntry.Action.UPDATE:
                diff = model_instance_diff(before[i], obj)
            else:
                diff = model_instance_diff(obj, None)
            # auditlog gives None when only untracked fields changed (a stale name_folded): still an entry.
            diffs.append(_readable(obj, {name: list(values) for name, values in (diff or {}).items()}, choices_of))
    finally:
        language.__exit__(None, None, None)
    for i, obj in enumerate(objects):
        changes = diffs[i]
        reason = _reason(changes, reasons if isinstance(reasons, str) else reasons[i])
        entry = LogEntry(
            content_type=content_type,
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=str(obj),
            action=kind,
            changes=changes,
            actor=actor,
            actor_email=getattr(actor, "email", None) or None,
            remote_addr=remote_addr,
            additional_data=_additional_data(organizations[i], reason),
        )
        entries.append(entry)
        links.append(organizations[i])
    LogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    EntryOrganization.objects.bulk_create(
        [
            EntryOrganization(entry_id=entry.pk, organization_id=organization.pk)
            for entry, organization in zip(entries, links, strict=True)
            if organization is not None
        ],
        batch_size=BATCH_SIZE,
    )
    return len(entries)


def _created_diff(model):
    """`model_instance_diff(None, obj)` for many new objects of `model`, with the fields found once.

    For a new object django-auditlog compares each tracked field's value with "None" (what it
    reads of no object); the set of fields is the same for every object of a batch. Masked
    fields keep auditlog's own path (None: use `model_instance_diff`).
    """
    from auditlog.diff import get_field_value, get_fields_in_model
    from auditlog.registry import auditlog
    from django.utils.encoding import smart_str

    model_fields = auditlog.get_model_fields(model)
    fields = set(get_fields_in_model(model()))
    if model_fields and (model_fields["include_fields"] or model_fields["exclude_fields"]) and fields:
        if model_fields["include_fields"]:
            fields = [field for field in fields if field.name in model_fields["include_fields"]]
        if model_fields["exclude_fields"]:
            fields = [field for field in fields if field.name not in model_fields["exclude_fields"]]
    if model_fields and any(field.name in model_fields["mask_fields"] for field in fields):
        return None
    absent = get_field_value(None, next(iter(fields))) if fields else "None"
    if absent != "None":
        return None

    def diff(obj) -> dict:
        changes = {}
        for field in fields:
            value = get_field_value(obj, field)
            if value != "None":
                changes[field.name] = ("None", smart_str(value))
        return changes or None

    return diff


def snapshot(obj):
    """A copy of a row before it changes in memory, for `audit_bulk(before=...)`."""
    copy = type(obj)(**{field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields})
    copy._state.adding = False
    return copy


# ---------------------------------------------------------------- single saves (auditlog's signals)


def _remember(sender, instance, **kwargs):
    _pending.set(instance)


def _complete(sender, instance: LogEntry, **kwargs):
    """Before django-auditlog stores an entry of a single save: readable values, organization, job, reason."""
    obj = _pending.get()
    if obj is None or instance.pk is not None:
        return
    _pending.set(None)
    if str(instance.object_pk) != str(obj.pk) or instance.content_type_id != ContentType.objects.get_for_model(obj).pk:
        return  # an entry of another object (many-to-many changes send no pre_log)
    if isinstance(instance.changes, dict):
        instance.changes = readable(
            obj, {n: v if isinstance(v, dict) else list(v) for n, v in instance.changes.items()}
        )
    organization = organizations_of([obj])[0] if instance.action != LogEntry.Action.ACCESS else None
    data = dict(instance.additional_data or {})
    data.update(_additional_data(organization, _reason(instance.changes or {})))
    instance.additional_data = data or None
    if instance.actor_id is None:
        actor = _actor()
        if actor is not None:
            instance.actor, instance.actor_email = actor, getattr(actor, "email", None) or None
    instance._vanlang_organization = organization


def _link(sender, instance: LogEntry, created, **kwargs):
    organization = getattr(instance, "_vanlang_organization", None)
    if created and organization is not None:
        EntryOrganization.objects.create(entry=instance, organization_id=organization.pk)


def connect():
    """Called from `CellsConfig.ready()`."""
    pre_log.connect(_remember, dispatch_uid="cells.audit.remember")
    pre_save.connect(_complete, sender=LogEntry, dispatch_uid="cells.audit.complete")
    post_save.connect(_link, sender=LogEntry, dispatch_uid="cells.audit.link")


# ---------------------------------------------------------------- reading


def entries_within(queryset, scope: Organization):
    """The entries of objects in `scope`'s subtree."""
    return queryset.filter(pk__in=EntryOrganization.objects.within(scope).values("entry_id"))


def actor_text(entry: LogEntry) -> str:
    """Who made the change, as a person reads it: the user, or the job or command and who started it."""
    data = entry.additional_data or {}
    user = entry.actor.get_username() if entry.actor_id and entry.actor else data.get("started_by", "")
    job = data.get("job")
    if job:
        if data.get("job_kind") == "command":
            name = _("command %(name)s") % {"name": job}
        else:
            name = _("job %(name)s") % {"name": job}
        return f"{name} ({user})" if user else name
    return user or _("system")


def action_name(entry: LogEntry) -> str:
    return ACTION_NAMES.get(entry.action, "access")


class AuditedCommand(BaseCommand):
    """A management command whose writes name it (and the system account that ran it) in the change log."""

    def execute(self, *args, **options):
        with acting_as_command(self.__module__.rsplit(".", 1)[-1]):
            return super().execute(*args, **options)


# ---------------------------------------------------------------- entries as people read them


def entry_organization(entry: LogEntry) -> str:
    return (entry.additional_data or {}).get("organization") or ""


def entry_reason(entry: LogEntry) -> str:
    return (entry.additional_data or {}).get("reason") or ""


def entry_object(entry: LogEntry) -> str:
    """The object's code (an organization's) or its key."""
    if entry.content_type.model == "organization" and entry_organization(entry):
        return entry_organization(entry)
    return entry.object_pk


def _value_text(field, value) -> str:
    """A stored value as a person reads it: dates dd/mm/yyyy, times in the site's zone, "—" for nothing."""
    if value in (None, "None", ""):
        return "—"
    if not isinstance(value, str) or field is None:
        return str(value)
    kind = field.get_internal_type()
    try:
        if kind == "DateTimeField":
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_naive(moment):  # django-auditlog stores UTC without its offset
                moment = moment.replace(tzinfo=datetime.UTC)
            return date_format(timezone.localtime(moment), "d/m/Y H:i:s")
        if kind == "DateField":
            return date_format(datetime.date.fromisoformat(value[:10]), "d/m/Y")
    except ValueError:
        return value
    if kind == "BooleanField" and value in ("True", "False"):
        return str(_("yes") if value == "True" else _("no"))
    return value


def _field(model, name):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _is_reference(field) -> bool:
    """A foreign key (or one-to-one) whose stored value is the key of another row."""
    return field is not None and bool(field.many_to_one or field.one_to_one) and field.concrete and not field.choices


class RelatedNames:
    """The readable names of the rows that a batch of entries' references point at, read in bulk.

    The log stores a reference as the other row's key ("123"); a person reads "Chi bộ Thôn Nà Lầu (CB-0123)
    [#123]". One query per kind of row referenced, whatever the number of entries; a row deleted since
    stays its key ("#123").
    """

    def __init__(self, entries: Sequence[LogEntry]):
        wanted: dict = {}
        for entry in entries:
            model = entry.content_type.model_class()
            for name, values in (entry.changes_dict or {}).items():
                field = _field(model, name)
                if isinstance(values, dict) or not _is_reference(field):
                    continue
                keys = wanted.setdefault(field.related_model, set())
                keys.update(int(value) for value in list(values)[:2] if str(value).isdigit())
        self._names = {}
        for model, keys in wanted.items():
            # select_related(): the names of plans, results and reports include their organization's.
            for obj in model._base_manager.filter(pk__in=keys).select_related().order_by():
                self._names[(model, obj.pk)] = self.name_of(obj)

    @staticmethod
    def name_of(obj) -> str:
        code = getattr(obj, "code", "")
        return f"{obj} ({code})" if code and code != str(obj) else str(obj)

    def text(self, field, value) -> str:
        if value in (None, "None", ""):
            return "—"
        name = self._names.get((field.related_model, int(value))) if str(value).isdigit() else None
        return f"{name} [#{value}]" if name is not None else f"#{value}"


def with_related_names(entries, size: int = 2000):
    """(entry, RelatedNames) for each entry of a long iteration, the names read once per `size` entries."""
    iterator = iter(entries)
    while batch := list(itertools.islice(iterator, size)):
        names = RelatedNames(batch)
        for entry in batch:
            yield entry, names


def change_rows(entry: LogEntry, *, resolve: bool = True, names: RelatedNames | None = None) -> list[tuple]:
    """(field as named on the forms, before, after) for each change of `entry`.

    A reference to another row is shown as that row's name with its key, from `names` (read for a batch
    of entries) or, with `resolve`, read for this entry alone; without either, as its key.
    """
    model = entry.content_type.model_class()
    if names is None and resolve:
        names = RelatedNames([entry])
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        if isinstance(values, dict):  # many-to-many
            objects = ", ".join(str(o) for o in values.get("objects", []))
            rows.append((name, "", objects))
            continue
        field = _field(model, name)
        label = capfirst(str(getattr(field, "verbose_name", name))) if field is not None else name
        before, after = (list(values) + ["None", "None"])[:2]
        if names is not None and _is_reference(field):
            rows.append((label, names.text(field, before), names.text(field, after)))
        else:
            rows.append((label, _value_text(field, before), _value_text(field, after)))
    return rows


def model_label(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return capfirst(str(model._meta.verbose_name)) if model is not None else entry.content_type.model


def action_label(entry: LogEntry) -> str:
    labels = {
        LogEntry.Action.CREATE: _("Created"),
        LogEntry.Action.UPDATE: _("Changed"),
        LogEntry.Action.DELETE: _("Deleted"),
    }
    return str(labels.get(entry.action, _("Read")))


def entry_record(entry: LogEntry, names: RelatedNames | None = None) -> dict:
    """One entry for `export_audit_log --json`: stable keys, stored words, references named from `names`."""
    model = entry.content_type.model_class()
    changes = {}
    for name, values in (entry.changes_dict or {}).items():
        if isinstance(values, dict):
            changes[name] = [None, ", ".join(str(o) for o in values.get("objects", []))]
            continue
        field = _field(model, name) if names is not None else None
        shown = [None if v in (None, "None") else v for v in list(values)[:2]]
        changes[name] = [v if v is None or not _is_reference(field) else names.text(field, v) for v in shown]
    return {
        "time": timezone.localtime(entry.timestamp).isoformat(),
        "actor": actor_text(entry),
        "action": action_name(entry),
        "model": entry.content_type.model,
        "object": entry_object(entry),
        "organization": entry_organization(entry) or None,
        "changes": changes,
        "reason": entry_reason(entry) or None,
    }


def change_log_workbook(entries, *, on_entries=None) -> tuple[bytes, int]:
    """The entries as an Excel sheet, one row per changed field (the entry's columns repeated), and how
    many rows it lists; `on_entries(n)` is told every few hundred entries how many are written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Change log"))
    # Every value through text_cell: a record named "=HYPERLINK(...)" is shown, never run.
    sheet.append(
        [text_cell(sheet, title) for title in (_("Time"), _("Organization"), _("Kind of record"), _("Record"),
         _("Change"), _("Made by"), _("Field"), _("Before"), _("After"), _("Reason"))]
    )  # fmt: skip
    rows = 0
    entries = with_related_names(entries.select_related("content_type", "actor").iterator(chunk_size=2000))
    for done, (entry, names) in enumerate(entries, start=1):
        head = [
            date_format(timezone.localtime(entry.timestamp), "d/m/Y H:i:s"),
            entry_organization(entry),
            model_label(entry),
            entry.object_repr,
            action_label(entry),
            actor_text(entry),
        ]
        for label, before, after in change_rows(entry, names=names) or [("", "", "")]:
            # Names and values are the users' texts: written as text, never as a formula to run.
            sheet.append([text_cell(sheet, value) for value in (*head, str(label), before, after, entry_reason(entry))])
            rows += 1
        if on_entries is not None and done % 500 == 0:
            on_entries(done)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows


def subtree_end_audited(*, organization: Organization, actor=None, remote_addr=None) -> int:
    """End what outlives `organization` below it (cells end with their grassroots organization), in one
    UPDATE, with one change-log entry per unit it ends."""
    from cells.models.tree import subtree_end, subtree_outliving

    afters, befores = [], []
    for below in subtree_outliving(Organization, path=organization.path, dissolved=organization.dissolved):
        befores.append(snapshot(below))
        below.dissolved = organization.dissolved
        afters.append(below)
    ended = subtree_end(Organization, path=organization.path, dissolved=organization.dissolved)
    audit_bulk(action="update", objects=afters, before=befores, actor=actor, remote_addr=remote_addr)
    return ended
