"""Uploaded import files waiting between their preview and their confirmation, and the work of
an import run: the three web imports (organizations, classifications, meetings) share both.

An upload is saved under a random token that only the uploader's session knows (`pending_*`).
Its preview and its import are background runs (`cells.Run`) that read the file from here:
`upload_import_work` gives any importer the run's scope, user and progress bar, and turns its
row errors into the run's outcome.
"""

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cells.importing import organizations_import
from cells.models import Run
from cells.runs import RunFailed, run_progress
from cells.tabular import RowError, TabularFileError
from cells.uploads import table_rows_estimate

FOLDER = "imports"
KEEP_SECONDS = 24 * 3600
CLAIMED = ".claimed"


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(upload) -> tuple[str, Path]:
    """Save an upload under a random token; returns the token and the file's path."""
    _forget_old()
    suffix = Path(upload.name).suffix.lower()
    token = secrets.token_urlsafe(24)
    path = _folder() / f"{token}{suffix}"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token, path


def claim(token: str) -> Path | None:
    """Take the file of `token` for importing, once: renaming is atomic, so of two requests
    confirming the same upload only one gets the file."""
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    folder = _folder()
    for suffix in (".csv", ".xlsx"):
        claimed = folder / f"{token}{CLAIMED}{suffix}"  # the importer reads the type from the suffix
        try:
            os.rename(folder / f"{token}{suffix}", claimed)
        except FileNotFoundError:
            continue
        return claimed
    return None


def discard(path: Path) -> None:
    Path(path).unlink(missing_ok=True)


def _forget_old() -> None:
    """Previews nobody confirmed are deleted after a day."""
    limit = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


PENDING_KEEP = 5  # previews that may wait at once in one session (several tabs)


def pending_add(session, key: str, token: str, file_name: str) -> None:
    """Remember in the uploader's session that `token` waits for its confirmation."""
    pending = session.get(key, {})
    pending[token] = file_name
    session[key] = dict(list(pending.items())[-PENDING_KEEP:])


def pending_has(session, key: str, token: str) -> bool:
    return bool(token) and token in session.get(key, {})


def pending_take(session, key: str, token: str) -> str | None:
    """The file name of `token` if this session uploaded it, forgotten as it is taken."""
    pending = session.get(key, {})
    file_name = pending.pop(token, None)
    session[key] = pending
    return file_name


@dataclass
class Outcome:
    """What an importer tells an import run: its row errors, or its counts."""

    errors: list[RowError] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


# An importer called by `upload_import_work`: (path, dry_run, scope, actor, remote_addr, progress) -> Outcome,
# where progress(percent, step) moves the run's bar.
Importer = Callable[..., Outcome]
MAX_LISTED_ERRORS = 200


def rows_progress(path, progress: Callable[[int, str], None]) -> Callable[[int], None]:
    """A progress callback counting rows read, as percents of the file's estimated rows (5 to 95 %)."""
    total = table_rows_estimate(path) or 0

    def rows_read(rows: int) -> None:
        percent = 5 + 90 * min(rows, total) // total if total else 50
        progress(percent, _("%(rows)s rows checked") % {"rows": number_format(rows, force_grouping=True)})

    return rows_read


def upload_import_work(run: Run, importer: Importer) -> dict:
    """The work of an import run over an uploaded file: its preview (`params["preview"]`, writes
    nothing) or the import itself.

    The upload stays until the import has an outcome, so a run taken over from a dead worker
    reads it again (every import is all or nothing: the first attempt wrote nothing). A preview
    that found problems lets its file go: there is nothing left to confirm.
    """
    path = Path(run.params["path"])
    preview = bool(run.params.get("preview"))
    if not path.exists():
        raise RunFailed(_("The uploaded file is no longer there. Upload it again."))
    try:
        outcome = importer(
            path=path,
            dry_run=preview,
            scope=run.scope,
            actor=run.requested_by,
            remote_addr=run.params.get("remote_addr"),
            progress=lambda percent, step: run_progress(run=run, progress=percent, step=step),
        )
    except TabularFileError as exc:
        outcome = Outcome(errors=[RowError(0, "", str(exc))])
    if not preview or outcome.errors or not (outcome.counts.get("created") or outcome.counts.get("updated")):
        discard(path)  # imported, or nothing to confirm
    if outcome.errors:
        problems = [
            _("Row %(row)s, column %(column)s: %(message)s")
            % {"row": error.row or "–", "column": error.column or "–", "message": error.message}
            for error in outcome.errors
        ]
        raise RunFailed("\n".join(problems[:MAX_LISTED_ERRORS]), counts={"errors": len(problems)})
    return outcome.counts


# What the organization preview lists, by kind of change: a change that moves and renames an
# organization is listed under both. The importer keeps the first PREVIEW_LIMIT changes of the file;
# each kind lists at most CHANGES_PER_KIND of them, so the run's record stays small however big the file.
CHANGE_KINDS = ("created", "moved", "renamed", "ended", "other")
CHANGES_PER_KIND = 100


def _change_kinds(change) -> list[str]:
    if change.created:
        return ["created"]
    columns = {column: after for column, _before, after in change.fields}
    kinds = [kind for kind, column in (("moved", "parent_code"), ("renamed", "name")) if column in columns]
    if columns.get("active_to"):
        kinds.append("ended")
    return kinds or ["other"]


def changes_summary(result) -> dict:
    """The organization preview's change lists, as kept in its run's params (JSON): for each kind
    how many of the sorted changes are of it and the first CHANGES_PER_KIND of them, each as
    {row, code, name, fields: [[column, before, after], ...]}. `complete` says whether every
    change of the file was sorted (else only the first `sorted`)."""
    kinds = {kind: {"count": 0, "listed": []} for kind in CHANGE_KINDS}
    for change in result.changes:
        for kind in _change_kinds(change):
            kinds[kind]["count"] += 1
            if len(kinds[kind]["listed"]) < CHANGES_PER_KIND:
                kinds[kind]["listed"].append(
                    {"row": change.row, "code": change.code, "name": change.name, "fields": change.fields}
                )
    kinds["created"]["count"], kinds["moved"]["count"] = result.created, result.moved  # exact, for the whole file
    return {
        "kinds": kinds,
        "sorted": len(result.changes),
        "complete": len(result.changes) >= result.created + result.updated,
    }


def _keep_changes(run: Run, summary: dict) -> None:
    """The check's change lists, kept with its run (ignored by a run taken over meanwhile)."""
    Run.objects.filter(pk=run.pk, attempts=run.attempts).update(params={**run.params, "changes": summary})


def organizations_import_work(run: Run) -> dict:
    """The organization import's check (its preview keeps the change lists in the run's params)
    or the import itself, confirmed on the import page, as a background run."""

    def importer(*, path, dry_run, scope, actor, remote_addr, progress) -> Outcome:
        result = organizations_import(
            path=path, dry_run=dry_run, scope=scope, actor=actor, remote_addr=remote_addr, progress=progress
        )
        if dry_run and result.ok:
            _keep_changes(run, changes_summary(result))
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        return Outcome(errors=result.errors, counts={**counts, "moved": result.moved})

    return upload_import_work(run, importer)
