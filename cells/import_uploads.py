"""Uploaded import files waiting between their preview and their confirmation."""

import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from cells.importing import organizations_import
from cells.models import Run
from cells.runs import RunFailed, run_progress

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


def organizations_import_work(run: Run) -> dict:
    """The organization import confirmed on the import page, as a background run.

    The claimed upload stays until the run has an outcome, so a run taken over from a dead
    worker reads it again (the import is all or nothing: the first attempt wrote nothing).
    """
    path = Path(run.params["path"])
    if not path.exists():
        raise RunFailed(_("The uploaded file is no longer there. Upload it again."))
    result = organizations_import(
        path=path,
        scope=run.scope,
        actor=run.requested_by,
        remote_addr=run.params.get("remote_addr"),
        progress=lambda percent, step: run_progress(run=run, progress=percent, step=step),
    )
    discard(path)
    if not result.ok:
        problems = [
            _("Row %(row)s, column %(column)s: %(message)s")
            % {"row": error.row or "–", "column": error.column or "–", "message": error.message}
            for error in result.errors
        ]
        raise RunFailed("\n".join(problems[:200]), counts={"errors": len(problems)})
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged, "moved": result.moved}
