"""Importing the organization tree from a CSV or XLSX file, all or nothing, at national scale.

The file is streamed twice instead of being held in memory:

1. `checks`: every row on its own, keeping per row only its code, row number and parent
   reference; then the rows against each other and against the database (unknown parents,
   duplicates, loops, depth, scope). Any problem stops the import here, with one message per
   problem, before anything is written.
2. `writes`: primary keys are reserved for the new organizations, so each is inserted once
   with its final parent and materialized path; existing organizations that differ from the
   file are updated, and moved ones carry their subtrees along (`cells.models.tree.subtree_rewrite`).
   Bulk writes bypass django-auditlog's signals, so one audit entry per created or changed
   organization is written here too.

A second import of the same file writes nothing. Everything after reading the file the first
time happens in one transaction.
"""

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cells.importing.checks import check_against_database, check_tree, inherit_ends, read_and_check_rows
from cells.importing.plan import (
    KIND_NAMES,
    MAX_LEVELS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SECTOR_NAMES,
    ImportResult,
    Plan,
    PlannedChange,
)
from cells.importing.writes import apply, sqlite_real_parameter_limit
from cells.models import Organization
from cells.tabular import RowError, TabularFileError

__all__ = [
    "KIND_NAMES",
    "MAX_LEVELS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SECTOR_NAMES",
    "ImportResult",
    "PlannedChange",
    "organizations_import",
]


class _Abort(Exception):
    """Leaves the transaction, rolling it back."""


def organizations_import(
    *,
    path: str | Path,
    dry_run: bool = False,
    scope: Organization | None = None,
    actor=None,
    remote_addr=None,
    progress=None,
) -> ImportResult:
    """Import organizations from the CSV or XLSX file at `path`.

    With `scope`, every row must end up inside that organization's subtree and nothing outside
    it is changed or shown. `actor` and `remote_addr` go into the audit entries. Returns the
    counts (and a preview of the changes), or the errors when nothing was written.
    `progress(percent, step)`, if given, hears where the import is (a background run).
    """
    result = ImportResult(dry_run=dry_run)
    plan = Plan()
    progress = progress or (lambda percent, step: None)
    try:
        # Reading the file takes long at national scale; the transaction starts after it.
        progress(5, _("Reading the file"))
        read_and_check_rows(path, plan, result)
        progress(50, _("Checking against the tree and writing"))
        with transaction.atomic(), sqlite_real_parameter_limit():
            if plan.rows:
                # Checked even when some rows are wrong, so one run lists every problem.
                check_against_database(plan, result, scope)
                check_tree(plan, result)
            if not result.ok:
                raise _Abort
            inherit_ends(plan)
            apply(path, plan, result, dry_run=dry_run, actor=actor, remote_addr=remote_addr)
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
