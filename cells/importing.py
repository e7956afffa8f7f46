"""Importing the organization tree from a CSV or XLSX file, all or nothing, at national scale.

The file is streamed three times instead of being held in memory:

1. validate every row and keep, per row, only its code, row number and parent reference;
   then check the rows against each other and against the database (unknown parents,
   duplicates, loops, depth, scope);
2. create the new organizations in batches, to learn their primary keys;
3. give every new organization its parent and materialized path, compare the existing ones
   with the file and update those that differ, and write one audit entry per created or
   changed organization (bulk writes bypass django-auditlog's signals).

Moved organizations carry their subtrees along (`organization_subtree_move`). Nothing is
written when any row is wrong, and a second import of the same file writes nothing.
"""

import copy
import re
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cells.models import PATH_SEPARATOR, Organization
from cells.services import organization_subtree_move
from cells.tabular import RowError, TabularFileError, read_rows
from cells.text import fold, normalize_spaces

Kind = Organization.Kind
Sector = Organization.Sector

REQUIRED_COLUMNS = ("code", "name", "kind", "parent_code")
OPTIONAL_COLUMNS = ("sector",)

# The names the file format accepts, as DOMAIN.md lists them. They are vocabulary of the file,
# not of the user interface, so they are matched here rather than through the catalog.
KIND_NAMES = {
    "Đảng bộ cấp trên cơ sở": Kind.UPPER_COMMITTEE,
    "Đảng bộ cơ sở": Kind.GRASSROOTS_COMMITTEE,
    "Chi bộ cơ sở": Kind.GRASSROOTS_CELL,
    "Đảng bộ bộ phận": Kind.SECTION_COMMITTEE,
    "Chi bộ trực thuộc": Kind.CELL,
}
SECTOR_NAMES = {
    "xã": Sector.COMMUNE,
    "thị trấn": Sector.TOWN,
    "phường": Sector.TOWN,
    "cơ quan": Sector.AGENCY,
    "doanh nghiệp": Sector.ENTERPRISE,
    "đơn vị sự nghiệp": Sector.PUBLIC_SERVICE,
    "quân sự": Sector.MILITARY,
    "công an": Sector.POLICE,
    "khác": Sector.OTHER,
}

CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
CODE_MAX = Organization._meta.get_field("code").max_length
NAME_MAX = Organization._meta.get_field("name").max_length
# A path holds one primary key per level within 512 characters; real trees have about six levels.
MAX_LEVELS = 30
BATCH_SIZE = 1000
PREVIEW_LIMIT = 500

ROOT = -1  # parent reference of a top-level organization; >= 0 is a row index, <= -2 an outside parent


def _vocabulary(names: dict) -> dict[str, str]:
    """Folded spellings → code: each Vietnamese name, each code, and the code with spaces."""
    table = {fold(name): code for name, code in names.items()}
    for code in set(names.values()):
        table[fold(code)] = code
        table[fold(code.replace("_", " "))] = code
    return table


KIND_VOCABULARY = _vocabulary(KIND_NAMES)
SECTOR_VOCABULARY = _vocabulary(SECTOR_NAMES)


@dataclass
class PlannedChange:
    """One line of the preview: what the import does to an organization."""

    row: int
    code: str
    name: str
    created: bool
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)  # the first PREVIEW_LIMIT

    @property
    def ok(self) -> bool:
        return not self.errors


class _Abort(Exception):
    """Raised inside the transaction to roll it back with the result's errors."""


@dataclass
class _Outside:
    """A parent named by the file that is in the database but not in the file."""

    pk: int
    code: str
    path: str
    in_scope: bool
    anchor: int = ROOT  # nearest ancestor that the file re-imports (row index), or ROOT
    anchor_path: str = ""  # that ancestor's path before the import


@dataclass
class _Plan:
    """The compact per-row data kept between the passes, indexed by row order in the file."""

    has_sector: bool = False
    index: dict = field(default_factory=dict)  # code → row index
    rows: array = field(default_factory=lambda: array("I"))  # row index → row number
    parents: array = field(default_factory=lambda: array("q"))  # row index → parent reference
    pks: array = field(default_factory=lambda: array("q"))  # row index → pk (0: to be created)
    outside: list = field(default_factory=list)  # _Outside, referenced as -2 - position
    paths: dict = field(default_factory=dict)  # row index → final path, for rows with children
    codes: list = field(default_factory=list)  # row index → code (the index's own strings)
    parent_codes: list = field(default_factory=list)  # pass 1 only: row index → parent code or None
    new: bytearray = field(default_factory=bytearray)  # row index → 1 when the import creates it
    has_children: bytearray = field(default_factory=bytearray)  # row index → 1 when rows hang below it


def organizations_import(
    *, path: str | Path, dry_run: bool = False, scope: Organization | None = None, actor=None, remote_addr=None
) -> ImportResult:
    """Import organizations from `path`; see the module docstring.

    With `scope`, every row must end up inside that organization's subtree and nothing outside
    it is changed or shown. Returns the counts, or the errors when nothing was written.
    """
    result = ImportResult(dry_run=dry_run)
    plan = _Plan()
    try:
        # Reading the file takes long at national scale; the transaction starts after it.
        _read_and_check_rows(path, plan, result)
        with transaction.atomic(), _sqlite_real_parameter_limit():
            if plan.rows:
                # Checked even when some rows are wrong, so one run lists every problem.
                _check_against_database(plan, result, scope)
                _check_tree(plan, result)
            if not result.ok:
                raise _Abort
            if not dry_run:
                _create_new(path, plan)
                _compute_paths(plan)
            _apply(path, plan, result, dry_run=dry_run, actor=actor, remote_addr=remote_addr)
            if dry_run:
                raise _Abort
    except _Abort:
        pass
    except TabularFileError as exc:
        result.errors = [RowError(0, "", str(exc))]
    except IntegrityError:
        result.errors = [
            RowError(0, "", _("The organizations changed while the file was being imported. Import the file again."))
        ]
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    result.errors.sort(key=lambda error: (error.row, columns.index(error.column) if error.column in columns else 0))
    if result.errors:
        result.created = result.updated = result.unchanged = result.moved = 0
        result.changes = []
    return result


# Pass 1: each row on its own, and what the rows need to be checked against each other.


def _read_and_check_rows(path, plan: _Plan, result: ImportResult) -> None:
    errors = result.errors
    parent_codes = plan.parent_codes
    for number, values in read_rows(path, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS):
        plan.has_sector = "sector" in values
        code, name, parent_code = values["code"], normalize_spaces(values["name"]), values["parent_code"]
        errors.extend(_row_errors(number, code, name, values))
        if not code:
            continue
        if code in plan.index:
            first = plan.rows[plan.index[code]]
            errors.append(
                RowError(
                    number,
                    "code",
                    _(
                        "The code “%(code)s” is already used on row %(first)s. Each organization must appear "
                        "once: remove or merge one of the rows."
                    )
                    % {"code": code, "first": first},
                )
            )
            continue
        if parent_code and parent_code == code:
            errors.append(
                RowError(
                    number,
                    "parent_code",
                    _("An organization cannot be its own parent. Write the code of the organization above it."),
                )
            )
        # Interned, so the thousands of rows naming one parent share one string.
        plan.index[sys.intern(code)] = len(plan.rows)
        plan.rows.append(number)
        parent_codes.append(sys.intern(parent_code) if parent_code else None)
    if not plan.rows and not errors:
        errors.append(
            RowError(0, "", _("The file has a header row but no organizations. Add one row per organization."))
        )


def _row_errors(number: int, code: str, name: str, values: dict) -> Iterator[RowError]:
    if not code:
        yield RowError(number, "code", _("The code is empty. Give every organization a unique code, e.g. VL-TANMY."))
    elif len(code) > CODE_MAX:
        yield RowError(number, "code", _too_long(len(code), CODE_MAX))
    elif not CODE_PATTERN.fullmatch(code):
        yield RowError(
            number,
            "code",
            _(
                "The code “%(code)s” may hold only letters A–Z without diacritics, digits and the signs . - _ "
                "(no spaces). Change it, e.g. VL-TANMY."
            )
            % {"code": code},
        )
    if not name:
        yield RowError(number, "name", _("The name is empty. Write the organization's full name."))
    elif len(name) > NAME_MAX:
        yield RowError(number, "name", _too_long(len(name), NAME_MAX))
    kind = values["kind"]
    if not kind:
        yield RowError(number, "kind", _("The kind is empty. Write one of: %(choices)s.") % _choices(KIND_NAMES))
    elif fold(kind) not in KIND_VOCABULARY:
        yield RowError(
            number,
            "kind",
            _("“%(value)s” is not a kind of organization. Write one of: %(choices)s.")
            % {"value": kind, **_choices(KIND_NAMES)},
        )
    sector = values.get("sector", "")
    if sector and fold(sector) not in SECTOR_VOCABULARY:
        yield RowError(
            number,
            "sector",
            _("“%(value)s” is not a sector. Write one of: %(choices)s, or leave the cell empty.")
            % {"value": sector, **_choices(SECTOR_NAMES)},
        )
    parent_code = values["parent_code"]
    if len(parent_code) > CODE_MAX:
        yield RowError(number, "parent_code", _too_long(len(parent_code), CODE_MAX))


def _too_long(length: int, limit: int) -> str:
    return _("This value has %(length)s characters; at most %(limit)s are allowed. Shorten it.") % {
        "length": length,
        "limit": limit,
    }


def _choices(names: dict) -> dict:
    return {"choices": ", ".join(f"“{name}”" for name in names)}


# After pass 1: parents, the database and the scope.


def _check_against_database(plan: _Plan, result: ImportResult, scope: Organization | None) -> None:
    plan.codes = codes = list(plan.index)
    errors = result.errors
    plan.pks = array("q", bytes(8 * len(codes)))
    outside_codes = sorted({code for code in plan.parent_codes if code and code not in plan.index})
    found = {}
    for chunk in _chunks(outside_codes):
        for pk, code, path in Organization.objects.filter(code__in=chunk).values_list("pk", "code", "path"):
            in_scope = scope is None or path.startswith(scope.path)
            found[code] = _Outside(pk=pk, code=code, path=path, in_scope=in_scope)
    # Ancestors of outside parents that the file re-imports: the final tree goes through them.
    watched = {pk for outside in found.values() for pk in _path_pks(outside.path)}
    watched_rows = {}
    for chunk in _chunks(codes):
        for pk, code, path in Organization.objects.filter(code__in=chunk).values_list("pk", "code", "path"):
            i = plan.index[code]
            plan.pks[i] = pk
            if pk in watched:
                watched_rows[pk] = (i, path)
            if scope is not None and not path.startswith(scope.path):
                errors.append(
                    RowError(
                        plan.rows[i],
                        "code",
                        _(
                            "The code “%(code)s” belongs to an organization outside your area, which you cannot "
                            "change. Use another code."
                        )
                        % {"code": code},
                    )
                )
    for outside in found.values():
        for pk in reversed(_path_pks(outside.path)):
            if pk in watched_rows:
                outside.anchor, outside.anchor_path = watched_rows[pk]
                break
    outside_position = {}
    for i, parent_code in enumerate(plan.parent_codes):
        if parent_code is None:
            plan.parents.append(ROOT)
            if scope is not None and not (codes[i] == scope.code and scope.parent_id is None):
                errors.append(
                    RowError(
                        plan.rows[i],
                        "parent_code",
                        _(
                            "parent_code is empty, which would put this organization at the top of the tree, "
                            "outside your area. Write the code of an organization under “%(scope)s”."
                        )
                        % {"scope": scope.name},
                    )
                )
        elif parent_code in plan.index:
            plan.parents.append(plan.index[parent_code])
        else:
            outside = found.get(parent_code)
            # Only the scope itself may name the organization above the scope, and only to stay there.
            allowed = outside is not None and (
                outside.in_scope or (outside.pk == scope.parent_id and codes[i] == scope.code)
            )
            if not allowed:
                errors.append(_unknown_parent(plan.rows[i], parent_code, scope))
                plan.parents.append(ROOT)
                continue
            if parent_code not in outside_position:
                outside_position[parent_code] = len(plan.outside)
                plan.outside.append(outside)
            plan.parents.append(-2 - outside_position[parent_code])
        if scope is not None and codes[i] == scope.code and plan.parents[i] != ROOT:
            reference = plan.parents[i]
            if reference >= 0 or plan.outside[-2 - reference].pk != scope.parent_id:
                errors.append(
                    RowError(
                        plan.rows[i],
                        "parent_code",
                        _("“%(code)s” is the organization you work in: its parent cannot be changed here.")
                        % {"code": codes[i]},
                    )
                )
                plan.parents[i] = ROOT  # reported once, not again as a loop
    plan.new = bytearray(0 if pk else 1 for pk in plan.pks)
    plan.parent_codes = []


def _unknown_parent(row: int, parent_code: str, scope: Organization | None) -> RowError:
    if scope is None:
        message = _(
            "No organization has the code “%(code)s”, neither in this file nor in the database. Correct "
            "parent_code, add a row for the parent, or leave it empty for a top-level organization."
        ) % {"code": parent_code}
    else:
        message = _(
            "No organization with the code “%(code)s” is in this file or under “%(scope)s”. Correct parent_code "
            "or add a row for the parent."
        ) % {"code": parent_code, "scope": scope.name}
    return RowError(row, "parent_code", message)


def _path_pks(path: str) -> list[int]:
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def _next_in_file(plan: _Plan, i: int) -> tuple[int, int]:
    """The next row up the final tree from row `i`, and how many levels lie between them.

    Returns (ROOT, levels of i) when the chain leaves the file for good.
    """
    reference = plan.parents[i]
    if reference >= 0:
        return reference, 1
    if reference == ROOT:
        return ROOT, 0
    outside = plan.outside[-2 - reference]
    if outside.anchor == ROOT:
        return ROOT, len(_path_pks(outside.path))
    return outside.anchor, len(_path_pks(outside.path)) - len(_path_pks(outside.anchor_path)) + 1


def _check_tree(plan: _Plan, result: ImportResult) -> None:
    """Find loops and over-deep rows, walking each chain of parents once (no recursion)."""
    n = len(plan.rows)
    levels = array("i", [-1]) * n  # -1: not reached yet; -2: on the chain being walked
    reported_deep = False
    for start in range(n):
        if levels[start] != -1:
            continue
        chain, i, base = [], start, 0
        while True:
            if levels[i] >= 0:
                base = levels[i]
                break
            if levels[i] == -2:
                loop = chain[chain.index(i) :]
                if loop == [i] and plan.parents[i] == i:
                    break  # its own parent: reported with the row
                first = min(loop, key=lambda j: plan.rows[j])
                names = [plan.codes[j] for j in loop] + [plan.codes[loop[0]]]
                result.errors.append(
                    RowError(
                        plan.rows[first],
                        "parent_code",
                        _(
                            "The parent codes form a loop: %(loop)s (rows %(rows)s). Correct parent_code so that "
                            "the chain of parents ends at a top-level organization."
                        )
                        % {
                            "loop": " → ".join(names),
                            "rows": ", ".join(str(plan.rows[j]) for j in sorted(loop, key=lambda j: plan.rows[j])),
                        },
                    )
                )
                base = 0
                break
            levels[i] = -2
            chain.append(i)
            parent, steps = _next_in_file(plan, i)
            if parent == ROOT:
                levels[i] = steps
                chain.pop()
                base = steps
                break
            i = parent
        # Unwind: each row lies one level (or an outside stretch) below the one above it.
        for j in reversed(chain):
            steps = _next_in_file(plan, j)[1]
            base = base + steps
            levels[j] = base
            if base >= MAX_LEVELS and not reported_deep:
                reported_deep = True
                result.errors.append(
                    RowError(
                        plan.rows[j],
                        "parent_code",
                        _(
                            "This organization would lie %(levels)s levels deep; at most %(limit)s levels are "
                            "allowed. Check parent_code for a mistake."
                        )
                        % {"levels": base + 1, "limit": MAX_LEVELS},
                    )
                )
    # Which rows have children in the file: only their final paths are kept.
    plan.has_children = bytearray(n)
    for reference in plan.parents:
        if reference >= 0:
            plan.has_children[reference] = 1
    for outside in plan.outside:
        if outside.anchor != ROOT:
            plan.has_children[outside.anchor] = 1


# Pass 2: create the new organizations, to learn their keys.


def _create_new(path, plan: _Plan) -> None:
    batch = []
    for i, values in _rows_again(path, plan):
        if plan.new[i]:
            batch.append((i, _organization(plan, values)))
        if len(batch) >= BATCH_SIZE:
            _create_batch(plan, batch)
            batch = []
    _create_batch(plan, batch)


def _create_batch(plan: _Plan, batch) -> None:
    if not batch:
        return
    created = Organization.objects.bulk_create([organization for _i, organization in batch], batch_size=BATCH_SIZE)
    for (i, _organization_before), organization in zip(batch, created, strict=True):
        plan.pks[i] = organization.pk


def _organization(plan: _Plan, values: dict, organization: Organization | None = None) -> Organization:
    """The organization as the row describes it; parent and path come later."""
    organization = organization or Organization(path="", depth=0)
    organization.code = values["code"]
    organization.name = normalize_spaces(values["name"])
    organization.name_folded = fold(organization.name)
    organization.kind = KIND_VOCABULARY[fold(values["kind"])]
    if plan.has_sector:
        sector = values.get("sector", "")
        organization.sector = SECTOR_VOCABULARY[fold(sector)] if sector else ""
    return organization


def _rows_again(path, plan: _Plan) -> Iterator[tuple[int, dict]]:
    """The valid rows once more, each with its index; the file must not have changed meanwhile."""
    for number, values in read_rows(path, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS):
        i = plan.index.get(values["code"])
        if i is None or plan.rows[i] != number:
            raise TabularFileError(_("The file changed while it was being imported. Import it again."))
        yield i, values


# Between the passes: final paths.


def _compute_paths(plan: _Plan) -> None:
    for i in range(len(plan.rows)):
        if plan.has_children[i]:
            _final_path(plan, i)


def _final_path(plan: _Plan, i: int) -> str:
    """Row `i`'s materialized path after the import; kept for rows with children."""
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


def _outside_path(plan: _Plan, outside: _Outside) -> str:
    if outside.anchor == ROOT:
        return outside.path
    return _final_path(plan, outside.anchor) + outside.path[len(outside.anchor_path) :]


def _parent_pk(plan: _Plan, i: int) -> int | None:
    reference = plan.parents[i]
    if reference == ROOT:
        return None
    if reference >= 0:
        return plan.pks[reference] or -1  # -1: a new parent in a dry run, which has no key yet
    return plan.outside[-2 - reference].pk


# Pass 3: parents and paths of the new rows, changes to the existing ones, the audit trail.


def _apply(path, plan: _Plan, result: ImportResult, *, dry_run: bool, actor, remote_addr) -> None:
    context = _AuditContext(actor=actor, remote_addr=remote_addr)
    moves = []
    batch = []
    for item in _rows_again(path, plan):
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            _apply_batch(plan, batch, result, moves, context, dry_run)
            batch = []
    _apply_batch(plan, batch, result, moves, context, dry_run)
    # Deepest first: a subtree moved inside a moving subtree is already in place when its
    # ancestor's move runs, and no longer lies under the ancestor's old path.
    for old_path, new_path in sorted(moves, key=lambda move: -move[0].count(PATH_SEPARATOR)):
        organization_subtree_move(old_path=old_path, new_path=new_path)


def _apply_batch(plan: _Plan, batch, result: ImportResult, moves, context, dry_run: bool) -> None:
    if not batch:
        return
    existing_pks = [plan.pks[i] for i, _values in batch if not plan.new[i]]
    before = {}
    if existing_pks:
        before = {
            organization.pk: organization
            for organization in Organization.objects.filter(pk__in=existing_pks)
            .annotate(parent_code_before=F("parent__code"))
            .order_by()
        }
    created, changed, entries = [], [], []
    for i, values in batch:
        if plan.new[i]:
            new = _organization(plan, values)
            if not dry_run:
                new.pk = plan.pks[i]
                new.parent_id = _parent_pk(plan, i)
                new.path = _final_path(plan, i)
                new.depth = new.path.count(PATH_SEPARATOR) - 2
                created.append(new)
                entries.append(context.entry(new, LogEntry.Action.CREATE, model_instance_diff(None, new)))
            result.created += 1
            _preview(result, plan, i, values, None)
            continue
        old = before[plan.pks[i]]
        new = _organization(plan, values, copy.copy(old))
        new.parent_id = _parent_pk(plan, i)
        if new.parent_id != old.parent_id:
            if not dry_run:
                new.path = _final_path(plan, i)
                new.depth = new.path.count(PATH_SEPARATOR) - 2
                moves.append((old.path, new.path))
            result.moved += 1
        diff = model_instance_diff(old, new)
        if not diff:
            result.unchanged += 1
            continue
        result.updated += 1
        _preview(result, plan, i, values, old)
        if not dry_run:
            changed.append(new)
            entries.append(context.entry(new, LogEntry.Action.UPDATE, diff))
    if dry_run:
        return
    if created:
        Organization.objects.bulk_update(created, ["parent", "path", "depth"], batch_size=BATCH_SIZE)
    if changed:
        Organization.objects.bulk_update(
            changed, ["name", "name_folded", "kind", "sector", "parent", "path", "depth"], batch_size=BATCH_SIZE
        )
    if entries:
        LogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def _preview(result: ImportResult, plan: _Plan, i: int, values: dict, old: Organization | None) -> None:
    if len(result.changes) >= PREVIEW_LIMIT:
        return
    new = _organization(plan, values)
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
    result.changes.append(change)


class _AuditContext:
    """Builds auditlog entries as its signal receivers would, for rows written in bulk."""

    def __init__(self, *, actor, remote_addr):
        self.content_type = ContentType.objects.get_for_model(Organization)
        self.actor = actor if getattr(actor, "pk", None) else None
        self.remote_addr = remote_addr
        self.cid = get_cid()

    def entry(self, organization: Organization, action: int, changes: dict | None) -> LogEntry:
        return LogEntry(
            content_type=self.content_type,
            object_pk=str(organization.pk),
            object_id=organization.pk,
            object_repr=str(organization),
            action=action,
            changes=_tracked(changes),
            actor=self.actor,
            actor_email=getattr(self.actor, "email", None) if self.actor else None,
            remote_addr=self.remote_addr,
            cid=self.cid,
        )


# auditlog's diff of a new object also lists reverse relations ("children": "None" → "…None");
# the entries keep the columns only.
_COLUMNS = {f.name for f in Organization._meta.concrete_fields}


def _tracked(changes: dict | None) -> dict:
    changes = changes or {}
    return {name: list(values) for name, values in changes.items() if name in _COLUMNS and values[0] != values[1]}


def _chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def _sqlite_real_parameter_limit():
    """Let bulk writes on SQLite use the library's real parameter limit.

    Django 5.2 assumes SQLite's historical 999 parameters per statement and cuts a bulk insert
    into batches of about 80 rows; SQLite 3.32 and later allow 32,766. With the real limit a
    batch of BATCH_SIZE rows is one statement on SQLite as on PostgreSQL, so the number of
    queries grows with the file only by one per batch.
    """
    if connection.vendor != "sqlite":
        yield
        return
    import sqlite3

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
