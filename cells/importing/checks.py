"""Checking an organization file: each row, then the rows against each other and the database."""

import datetime
import sys
from array import array
from collections.abc import Iterator

from django.utils.translation import gettext as _

from cells.importing.plan import (
    CODE_MAX,
    CODE_PATTERN,
    KIND_NAMES,
    LIFE_SPAN_COLUMNS,
    MAX_LEVELS,
    NAME_MAX,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ROOT,
    SECTOR_NAMES,
    ImportResult,
    Outside,
    Plan,
    chunks,
    kind_code,
    sector_code,
)
from cells.models import Organization
from cells.models.tree import path_ids
from cells.tabular import RowError, parse_date, read_rows
from cells.text import normalize_spaces


def read_and_check_rows(path, plan: Plan, result: ImportResult) -> None:
    errors = result.errors
    parent_codes = plan.parent_codes
    for number, values in read_rows(path, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS, errors=errors):
        plan.has_sector = "sector" in values
        plan.life_columns = frozenset(column for column in LIFE_SPAN_COLUMNS if column in values)
        code, name, parent_code = values["code"], normalize_spaces(values["name"]), values["parent_code"]
        errors.extend(_row_errors(number, code, name, values))
        founded, dissolved, life_errors = _life_span(number, code, values)
        errors.extend(life_errors)
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
        if values.get("successor_code"):
            plan.successor_codes[len(plan.rows)] = values["successor_code"]
        plan.rows.append(number)
        plan.ends_subtree.append(1 if kind_code(values["kind"]) in Organization.SUBTREE_ENDS_WITH_IT else 0)
        plan.founded.append(founded.toordinal() if founded else 0)
        plan.dissolved.append(dissolved.toordinal() if dissolved else 0)
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
    elif kind_code(kind) is None:
        yield RowError(
            number,
            "kind",
            _("“%(value)s” is not a kind of organization. Write one of: %(choices)s.")
            % {"value": kind, **_choices(KIND_NAMES)},
        )
    sector = values.get("sector", "")
    if sector and sector_code(sector) is None:
        yield RowError(
            number,
            "sector",
            _("“%(value)s” is not a sector. Write one of: %(choices)s, or leave the cell empty.")
            % {"value": sector, **_choices(SECTOR_NAMES)},
        )
    parent_code = values["parent_code"]
    if len(parent_code) > CODE_MAX:
        yield RowError(number, "parent_code", _too_long(len(parent_code), CODE_MAX))


def _life_span(number: int, code: str, values: dict):
    """The row's start and end dates, and what is wrong with them and with its successor."""
    errors, dates = [], {}
    for column in ("active_from", "active_to"):
        text = values.get(column, "")
        dates[column] = parse_date(text) if text else None
        if text and dates[column] is None:
            errors.append(
                RowError(
                    number,
                    column,
                    _("“%(value)s” is not a date. Write it as dd/mm/yyyy (31/12/2019) or yyyy-mm-dd (2019-12-31).")
                    % {"value": text},
                )
            )
    founded, dissolved = dates["active_from"], dates["active_to"]
    if founded and dissolved and dissolved < founded:
        errors.append(
            RowError(
                number,
                "active_to",
                _("The end (%(end)s) is before the start (%(start)s): correct one of the two dates.")
                % {"end": f"{dissolved:%d/%m/%Y}", "start": f"{founded:%d/%m/%Y}"},
            )
        )
    successor = values.get("successor_code", "")
    if successor:
        if successor == code:
            errors.append(
                RowError(number, "successor_code", _("An organization cannot succeed itself. Write its successor."))
            )
        elif not values.get("active_to") and "active_to" in values:
            errors.append(
                RowError(
                    number,
                    "successor_code",
                    _("A successor is named but active_to is empty: write the day the organization ended."),
                )
            )
        elif len(successor) > CODE_MAX:
            errors.append(RowError(number, "successor_code", _too_long(len(successor), CODE_MAX)))
    return founded, dissolved, errors


def _too_long(length: int, limit: int) -> str:
    return _("This value has %(length)s characters; at most %(limit)s are allowed. Shorten it.") % {
        "length": length,
        "limit": limit,
    }


def _choices(names: dict) -> dict:
    return {"choices": ", ".join(f"“{name}”" for name in names)}


# The rows against each other, the database and the scope.


def check_against_database(plan: Plan, result: ImportResult, scope: Organization | None) -> None:
    plan.codes = codes = list(plan.index)
    errors = result.errors
    plan.pks = array("q", bytes(8 * len(codes)))
    outside_codes = sorted({code for code in plan.parent_codes if code and code not in plan.index})
    found = {}
    for chunk in chunks(outside_codes):
        for pk, code, path, kind, dissolved in Organization.objects.filter(code__any=chunk).values_list(
            "pk", "code", "path", "kind", "dissolved"
        ):
            in_scope = scope is None or path.startswith(scope.path)
            ends = dissolved.toordinal() if dissolved and kind in Organization.SUBTREE_ENDS_WITH_IT else 0
            found[code] = Outside(pk=pk, code=code, path=path, in_scope=in_scope, dissolved=ends)
    # Ancestors of outside parents that the file re-imports: the final tree goes through them.
    watched = {pk for outside in found.values() for pk in path_ids(outside.path)}
    watched_rows = {}
    stored_life = {}  # row index → (founded, dissolved) as stored, for the columns the file lacks
    for chunk in chunks(codes):
        for pk, code, path, founded, dissolved in Organization.objects.filter(code__any=chunk).values_list(
            "pk", "code", "path", "founded", "dissolved"
        ):
            i = plan.index[code]
            plan.pks[i] = pk
            stored_life[i] = (founded, dissolved)
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
        for pk in reversed(path_ids(outside.path)):
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
    if plan.life_columns:
        _check_life_spans(plan, result, scope, stored_life)


def _check_life_spans(plan: Plan, result: ImportResult, scope: Organization | None, stored_life: dict) -> None:
    """Each end after its start, and each successor known and active the day after the end."""

    def effective(i: int):
        founded, dissolved = stored_life.get(i, (None, None))
        if "active_from" in plan.life_columns:
            founded = plan.founded_on(i)
        if "active_to" in plan.life_columns:
            dissolved = plan.dissolved_on(i)
        return founded, dissolved

    for i in range(len(plan.rows)):
        founded, dissolved = effective(i)
        if founded and dissolved and dissolved < founded and plan.founded[i] and plan.dissolved[i]:
            continue  # reported with the row
        if founded and dissolved and dissolved < founded:
            result.errors.append(
                RowError(
                    plan.rows[i],
                    "active_to" if "active_to" in plan.life_columns else "active_from",
                    _("The end (%(end)s) would come before the start (%(start)s): correct the dates.")
                    % {"end": f"{dissolved:%d/%m/%Y}", "start": f"{founded:%d/%m/%Y}"},
                )
            )
    outside_codes = sorted({code for code in plan.successor_codes.values() if code not in plan.index})
    found = {}
    for chunk in chunks(outside_codes):
        for row in Organization.objects.filter(code__any=chunk).values("pk", "code", "path", "founded", "dissolved"):
            found[row["code"]] = row
    for i, code in plan.successor_codes.items():
        row_number = plan.rows[i]
        if code in plan.index:
            j = plan.index[code]
            plan.successors[i] = ("row", j)
            successor_span = effective(j)
        elif code in found and (scope is None or found[code]["path"].startswith(scope.path)):
            plan.successors[i] = ("db", found[code]["pk"])
            successor_span = (found[code]["founded"], found[code]["dissolved"])
        else:
            result.errors.append(
                RowError(
                    row_number,
                    "successor_code",
                    _("No organization has the code “%(code)s”, in this file or in your area. Correct successor_code.")
                    % {"code": code},
                )
            )
            continue
        end = effective(i)[1]
        if end is None:
            result.errors.append(
                RowError(
                    row_number,
                    "successor_code",
                    _("A successor is named but the organization has no end date: fill active_to."),
                )
            )
            continue
        day_after = end + datetime.timedelta(days=1)
        start, stop = successor_span
        if (start and start > day_after) or (stop and stop < day_after):
            result.errors.append(
                RowError(
                    row_number,
                    "successor_code",
                    _("The successor “%(code)s” is not active on %(day)s, the day after this organization ended. "
                      "Check both organizations' dates.")
                    % {"code": code, "day": f"{day_after:%d/%m/%Y}"},
                )
            )  # fmt: skip


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


def _next_in_file(plan: Plan, i: int) -> tuple[int, int]:
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
        return ROOT, len(path_ids(outside.path))
    return outside.anchor, len(path_ids(outside.path)) - len(path_ids(outside.anchor_path)) + 1


def inherit_ends(plan: Plan) -> None:
    """Rows without an end below a unit that ends take its end: cells end with their grassroots
    organization. Run once the tree is known to have no loop, so the same file imported again
    finds every row unchanged."""
    if "active_to" not in plan.life_columns:
        return
    memo = {}

    def end_above(i: int) -> int:
        chain = []
        end = 0
        while True:
            if i in memo:
                end = memo[i]
                break
            chain.append(i)
            reference = plan.parents[i]
            if reference >= 0:
                if plan.ends_subtree[reference] and plan.dissolved[reference]:
                    end = plan.dissolved[reference]
                    break
                i = reference
                continue
            if reference <= -2:
                end = plan.outside[-2 - reference].dissolved
            break
        for j in chain:
            memo[j] = end
        return end

    for i in range(len(plan.rows)):
        if not plan.dissolved[i]:
            end = end_above(i)
            if end and end >= plan.founded[i]:
                plan.dissolved[i] = end


def check_tree(plan: Plan, result: ImportResult) -> None:
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
