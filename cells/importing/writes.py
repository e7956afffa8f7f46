"""Writing a checked organization file: keys, paths, bulk writes, moves and the audit trail."""

import sqlite3
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from cells.audit import audit_bulk, subtree_end_audited
from cells.importing.plan import (
    BATCH_SIZE,
    OPTIONAL_COLUMNS,
    PREVIEW_LIMIT,
    REQUIRED_COLUMNS,
    ROOT,
    ImportResult,
    Outside,
    Plan,
    PlannedChange,
    chunks,
    kind_code,
    sector_code,
)
from cells.models import PATH_SEPARATOR, Organization
from cells.models.tree import subtree_rewrite
from cells.tabular import TabularFileError, read_rows
from cells.text import fold, normalize_spaces

UPDATED_FIELDS = ["name", "name_folded", "kind", "sector", "parent", "path", "depth"]
LIFE_SPAN_FIELDS = {"active_from": "founded", "active_to": "dissolved", "successor_code": "successor"}


def apply(path, plan: Plan, result: ImportResult, *, dry_run: bool, actor, remote_addr) -> None:
    """Stream the file once more and write it in batches (or only count, in a dry run).

    New organizations get their keys before they are written, so each is inserted once with
    its final parent and path; changed ones are updated; each gets one audit entry.
    """
    if not dry_run:
        _allocate_pks(plan)
    audit = {"actor": actor, "remote_addr": remote_addr}
    moves = []
    batch = []
    for item in _rows_again(path, plan):
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            _apply_batch(plan, batch, result, moves, audit, dry_run)
            batch = []
    _apply_batch(plan, batch, result, moves, audit, dry_run)
    # Deepest first: a subtree moved inside a moving subtree is already in place when its
    # ancestor's move runs, and no longer lies under the ancestor's old path.
    for old_path, new_path in sorted(moves, key=lambda move: -move[0].count(PATH_SEPARATOR)):
        subtree_rewrite(Organization, old_path=old_path, new_path=new_path)
    if not dry_run and "active_to" in plan.life_columns:
        _end_subtrees(plan, audit)


def _end_subtrees(plan: Plan, audit) -> None:
    """Cells end with their grassroots organization, unless the file moved them to its successor.

    Runs after the moves, so a moved cell is no longer below its old unit. One query to find
    the ended units, then per ended unit one to list what outlives it and one UPDATE.
    """
    ended = [plan.pks[i] for i in range(len(plan.rows)) if plan.dissolved[i]]
    for chunk in chunks(ended):
        for unit in Organization.objects.filter(pk__any=chunk, kind__in=Organization.SUBTREE_ENDS_WITH_IT).only(
            "pk", "path", "dissolved"
        ):
            subtree_end_audited(organization=unit, **audit)


def _allocate_pks(plan: Plan) -> None:
    """Reserve primary keys for the new rows, so their paths are known before they are written."""
    count = sum(plan.new)
    if not count:
        return
    table = Organization._meta.db_table
    column = Organization._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            keys = array("q", (row[0] for row in cursor))  # row by row: no list of 300,000 tuples
        elif connection.vendor == "sqlite":
            # The import's transaction holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else
            # can take these keys; AUTOINCREMENT never reuses a key, hence sqlite_sequence.
            cursor.execute(f'SELECT MAX("{column}") FROM "{table}"')  # names from the model, not from input
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            first = max(top, row[0] if row else 0) + 1
            keys = array("q", range(first, first + count))
        else:
            raise NotImplementedError(f"importing organizations on {connection.vendor}")
    position = 0
    for i in range(len(plan.rows)):
        if plan.new[i]:
            plan.pks[i] = keys[position]
            position += 1


def _rows_again(path, plan: Plan) -> Iterator[tuple[int, dict]]:
    """The valid rows once more, each with its index; the file must not have changed meanwhile."""
    # Unreadable cells were reported by the first pass, which then wrote nothing.
    for number, values in read_rows(path, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS, errors=[]):
        i = plan.index.get(values["code"])
        if i is None or plan.rows[i] != number:
            raise TabularFileError(_("The file changed while it was being imported. Import it again."))
        yield i, values


def _organization(plan: Plan, i: int, values: dict, organization: Organization | None = None) -> Organization:
    """The organization as the row describes it, on top of `organization` when it exists."""
    organization = organization or Organization(path="", depth=0)
    organization.code = values["code"]
    organization.name = normalize_spaces(values["name"])
    organization.name_folded = _fold(organization.name)
    organization.kind = kind_code(values["kind"])
    if plan.has_sector:
        sector = values.get("sector", "")
        organization.sector = sector_code(sector) if sector else ""
    if "active_from" in plan.life_columns:
        organization.founded = plan.founded_on(i)
    if "active_to" in plan.life_columns:
        organization.dissolved = plan.dissolved_on(i)
    if "successor_code" in plan.life_columns:
        organization.successor_id = _successor_pk(plan, i)
    if organization.dissolved is None:
        organization.successor_id = None  # only an ended unit has a successor
    return organization


def _successor_pk(plan: Plan, i: int) -> int | None:
    where, reference = plan.successors.get(i, (None, None))
    if where == "row":
        return plan.pks[reference] or -1  # -1: a new successor in a dry run, which has no key yet
    return reference


def _apply_batch(plan: Plan, batch, result: ImportResult, moves, audit, dry_run: bool) -> None:
    """Compare the batch with the stored rows as plain tuples, then write what changes.

    Model objects are built only for the rows created or changed: at national scale nearly
    every row of a file imported again is unchanged.
    """
    if not batch:
        return
    existing_pks = [plan.pks[i] for i, _values in batch if not plan.new[i]]
    stored = {}
    if existing_pks:
        rows = Organization.objects.filter(pk__any=existing_pks).order_by().values_list("pk", *_COMPARED)
        stored = {pk: tuple(values) for pk, *values in rows}
    created, changing = [], []
    for i, values in batch:
        if plan.new[i]:
            result.created += 1
            _preview(result, plan, i, values, None)
            if not dry_run:
                new = _organization(plan, i, values)
                new.pk, new.parent_id = plan.pks[i], _parent_pk(plan, i)
                new.path = _final_path(plan, i)
                new.depth = new.path.count(PATH_SEPARATOR) - 2
                created.append(new)
        elif _compared(plan, i, values, stored[plan.pks[i]]) == stored[plan.pks[i]]:
            result.unchanged += 1
        else:
            changing.append((i, values))
    changed, olds = _changes(plan, changing, result, moves, dry_run)
    _write(plan, created, changed, olds, audit)


def _write(plan: Plan, created: list, changed: list, olds: list, audit) -> None:
    """The batch's writes in bulk, each with its audit entry."""
    if created:
        Organization.objects.bulk_create(created, batch_size=BATCH_SIZE)
    if changed:
        fields = UPDATED_FIELDS + [LIFE_SPAN_FIELDS[column] for column in sorted(plan.life_columns)]
        Organization.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    audit_bulk(action="create", objects=created, **audit)
    audit_bulk(action="update", objects=changed, before=olds, **audit)


# The columns a row of the file sets, compared with the stored ones without model objects.
_COMPARED = ("name", "name_folded", "kind", "sector", "parent_id", "founded", "dissolved", "successor_id")
# A national file repeats names ("Chi bộ thôn 1") thousands of times: each is folded once.
_fold = lru_cache(maxsize=1 << 15)(fold)


def _compared(plan: Plan, i: int, values: dict, stored: tuple) -> tuple:
    """Row `i` as `_COMPARED` after the import, on top of the stored values: what `_organization` sets."""
    _name, _folded, _kind, sector, _parent, founded, dissolved, successor = stored
    name = normalize_spaces(values["name"])
    if plan.has_sector:
        sector = values.get("sector", "")
        sector = sector_code(sector) if sector else ""
    if "active_from" in plan.life_columns:
        founded = plan.founded_on(i)
    if "active_to" in plan.life_columns:
        dissolved = plan.dissolved_on(i)
    if "successor_code" in plan.life_columns:
        successor = _successor_pk(plan, i)
    if dissolved is None:
        successor = None
    return (name, _fold(name), kind_code(values["kind"]), sector, _parent_pk(plan, i), founded, dissolved, successor)


def _changes(plan: Plan, changing: list, result: ImportResult, moves, dry_run: bool) -> tuple[list, list]:
    """The changed rows as model objects, after and before, for the bulk update and its audit entries."""
    if not changing:
        return [], []
    queryset = Organization.objects.filter(pk__any=[plan.pks[i] for i, _values in changing]).annotate(
        parent_code_before=F("parent__code"), successor_code_before=F("successor__code")
    )
    before = {organization.pk: organization for organization in queryset.order_by()}
    changed, olds = [], []
    for i, values in changing:
        old = before[plan.pks[i]]
        new = _organization(plan, i, values, Organization(**{f.attname: getattr(old, f.attname) for f in _COLUMNS}))
        new.parent_id = _parent_pk(plan, i)
        if new.parent_id != old.parent_id:
            result.moved += 1
            if not dry_run:
                new.path = _final_path(plan, i)
                new.depth = new.path.count(PATH_SEPARATOR) - 2
                moves.append((old.path, new.path))
        if not _diff(old, new):
            result.unchanged += 1
            continue
        result.updated += 1
        _preview(result, plan, i, values, old)
        if not dry_run:
            changed.append(new)
            olds.append(old)
    return changed, olds


# Final paths, from the keys: kept only for rows that have rows below them.


def _final_path(plan: Plan, i: int) -> str:
    """Row `i`'s materialized path after the import."""
    chain = []
    while i not in plan.paths:
        chain.append(i)
        reference = plan.parents[i]
        if reference >= 0:
            i = reference
            continue
        prefix = PATH_SEPARATOR if reference == ROOT else _outside_path(plan, plan.outside[-2 - reference])
        break
    else:
        prefix = plan.paths[i]
    for j in reversed(chain):
        prefix = f"{prefix}{plan.pks[j]}{PATH_SEPARATOR}"
        if plan.has_children[j]:
            plan.paths[j] = prefix
    return prefix


def _outside_path(plan: Plan, outside: Outside) -> str:
    if outside.anchor == ROOT:
        return outside.path
    return _final_path(plan, outside.anchor) + outside.path[len(outside.anchor_path) :]


def _parent_pk(plan: Plan, i: int) -> int | None:
    reference = plan.parents[i]
    if reference == ROOT:
        return None
    if reference >= 0:
        return plan.pks[reference] or -1  # -1: a new parent in a dry run, which has no key yet
    return plan.outside[-2 - reference].pk


# The preview and the audit trail.


def _preview(result: ImportResult, plan: Plan, i: int, values: dict, old: Organization | None) -> None:
    if len(result.changes) >= PREVIEW_LIMIT:
        return
    new = _organization(plan, i, values)
    change = PlannedChange(row=plan.rows[i], code=new.code, name=new.name, created=old is None)
    if old is not None:
        if old.name != new.name:
            change.fields.append(("name", old.name, new.name))
        if old.kind != new.kind:
            change.fields.append(("kind", old.get_kind_display(), new.get_kind_display()))
        if plan.has_sector and old.sector != new.sector:
            change.fields.append(("sector", old.get_sector_display(), new.get_sector_display()))
        parent_code = values["parent_code"]
        if (old.parent_code_before or "") != parent_code:
            change.fields.append(("parent_code", old.parent_code_before or "", parent_code))
        for column, name in (("active_from", "founded"), ("active_to", "dissolved")):
            before, after = getattr(old, name), getattr(new, name)
            if column in plan.life_columns and before != after:
                change.fields.append((column, _day(before), _day(after)))
        if "successor_code" in plan.life_columns and (old.successor_code_before or "") != values.get(
            "successor_code", ""
        ):
            change.fields.append(("successor_code", old.successor_code_before or "", values.get("successor_code", "")))
    result.changes.append(change)


_COLUMNS = Organization._meta.concrete_fields


def _diff(old: Organization | None, new: Organization) -> dict:
    """Changed columns as `{name: [before, after]}` in text, as django-auditlog records them."""
    changes = {}
    for column in _COLUMNS:
        after = _text(getattr(new, column.attname))
        before = _text(getattr(old, column.attname)) if old is not None else "None"
        if before != after:
            changes[column.name] = [before, after]
    return changes


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _text(value) -> str:
    return "None" if value is None else str(value)


@contextmanager
def sqlite_real_parameter_limit():
    """Let bulk writes on SQLite use the library's real parameter limit.

    Django 5.2 assumes SQLite's historical 999 parameters per statement and cuts a bulk insert
    into batches of about 80 rows; SQLite 3.32 and later allow 32,766. With the real limit a
    batch of BATCH_SIZE rows is one statement on SQLite as on PostgreSQL, so the number of
    queries grows with the file only by a few per batch.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    features = connection.features
    shadowed = "max_query_params" in vars(features)
    previous = features.max_query_params
    features.max_query_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    try:
        yield
    finally:
        if shadowed:
            features.max_query_params = previous
        else:
            del features.max_query_params
