"""Refusing the second of two concurrent edits, with a table of what differs.

A record that two people may edit at once (`cells.models.edits.EditTracked`) carries a
version; the editor's form sends back the version it opened. A save whose version is no
longer the stored one raises `ConflictError` with, for every field that differs, the saved
value and the editor's own, which `templates/_conflict.html` shows above the kept input.
"""

import datetime

from django.utils import timezone

from cells.audit import audit_bulk, snapshot
from cells.people import person_name


class ConflictError(Exception):
    """Someone else saved the object after the editor opened it.

    `changes` lists (field label, their saved value, your value) for every field that differs,
    so the editor sees what changed and can keep or merge their own input.
    """

    def __init__(self, current, changes):
        super().__init__("conflict")
        self.current = current
        self.changes = changes
        self.who = person_name(getattr(current, "updated_by", None))


def describe(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if hasattr(value, "get_full_name"):
        return person_name(value)
    return str(value)


def changes_between(model, current, values: dict) -> list[tuple[str, str, str]]:
    """(label, theirs, mine) for each field of `values` whose stored value differs."""
    changes = []
    for name, mine in values.items():
        field = model._meta.get_field(name)
        theirs = getattr(current, name)
        if field.choices and not field.is_relation:
            theirs_shown = dict(field.flatchoices).get(theirs, theirs)
            mine_shown = dict(field.flatchoices).get(mine, mine)
        else:
            theirs_shown, mine_shown = theirs, mine
        if describe(theirs) != describe(mine):
            changes.append((str(field.verbose_name), describe(theirs_shown), describe(mine_shown)))
    return changes


def versioned_update(model, obj_pk: int, version: int, values: dict, user) -> None:
    """Update the row only if nobody saved it since `version`; otherwise raise ConflictError."""
    before = model.objects.filter(pk=obj_pk, version=version).first()
    stamp = {"version": version + 1, "updated_by": user, "updated_at": timezone.now()}
    updated = model.objects.filter(pk=obj_pk, version=version).update(**values, **stamp)
    if not updated:
        current = model.objects.get(pk=obj_pk)
        raise ConflictError(current, changes_between(model, current, values))
    # An UPDATE passes auditlog's signals by: its entry is written here, with before and after.
    after = snapshot(before)
    for name, value in {**values, **stamp}.items():
        setattr(after, name, value)
    audit_bulk(action="update", objects=[after], before=[before], actor=user)


def version_check(model, obj_pk: int, version: int | None, values: dict):
    """Lock the row and return it when it is still at `version`; otherwise raise ConflictError.

    For saves that are more than one UPDATE (a file, related rows): call inside the
    transaction, then save with `version + 1`.
    """
    current = model.objects.select_for_update().get(pk=obj_pk)
    if version is not None and current.version != version:
        raise ConflictError(current, changes_between(model, current, values))
    return current
