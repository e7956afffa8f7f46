"""The catalogs hold every string of the source, each translated, none fuzzy, and compile.

Runs makemessages into a scratch copy of locale/, so a string added to the code without a
catalog entry fails CI, then compiles with msgfmt --check.
"""

import gettext
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["vi", "en"]


def entries(po_text):
    """(msgid, msgstr-nonempty, fuzzy) for each entry, read without a dependency."""
    result, block = [], []
    for line in po_text.splitlines() + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            text = "\n".join(block)
            fuzzy = any(b.startswith("#,") and "fuzzy" in b for b in block)
            msgid = _field(block, "msgid")
            strs = [_field(block, k) for k in ("msgstr", "msgstr[0]", "msgstr[1]") if f"\n{k} " in "\n" + text]
            if msgid:
                result.append((msgid, all(strs) and bool(strs), fuzzy))
            block = []
    return result


def _catalog(mo_path):
    with open(mo_path, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    catalog.pop("", None)  # the header: msgfmt and polib write different metadata
    return catalog


def _field(block, key):
    value, inside = "", False
    for line in block:
        if line.startswith(key + " "):
            inside, value = True, line[len(key) + 1 :].strip()[1:-1]
        elif inside and line.startswith('"'):
            value += line[1:-1]
        elif inside:
            break
    return value


def main():
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "*.sqlite3"))
        made = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--no-location",
                "--ignore",
                "staticfiles/*",
                *[arg for loc in LOCALES for arg in ("--locale", loc)],
            ],
            cwd=copy,
            capture_output=True,
            text=True,
        )
        if made.returncode:
            print(f"makemessages failed (is GNU gettext installed? is a .po file broken?):\n{made.stderr}")
            print("translation catalogs: 1 problem(s)")
            return 1
        for locale in LOCALES:
            po = copy / "locale" / locale / "LC_MESSAGES" / "django.po"
            original = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
            fresh = {m for m, _, _ in entries(po.read_text(encoding="utf-8"))}
            committed = {m for m, _, _ in entries(original.read_text(encoding="utf-8"))} if original.exists() else set()
            missing = fresh - committed
            for msgid in sorted(missing):
                problems.append(f"{locale}: not in the catalog (run `make messages`): {msgid!r}")
            for msgid, translated, fuzzy in entries(po.read_text(encoding="utf-8")):
                if msgid in missing:
                    continue  # reported above; msgmerge's guess for it does not count
                if fuzzy:
                    problems.append(f"{locale}: fuzzy: {msgid!r}")
                elif not translated:
                    problems.append(f"{locale}: untranslated: {msgid!r}")
            check = subprocess.run(
                ["msgfmt", "--check", "-o", "/dev/null", str(original)], capture_output=True, text=True
            )
            if check.returncode:
                problems.append(f"{locale}: msgfmt --check failed:\n{check.stderr}")
            mo = original.with_suffix(".mo")
            fresh_mo = Path(scratch) / f"{locale}.mo"
            subprocess.run(["msgfmt", "-o", str(fresh_mo), str(original)], capture_output=True)
            if not mo.exists() or not fresh_mo.exists() or _catalog(mo) != _catalog(fresh_mo):
                problems.append(f"{locale}: {mo.relative_to(ROOT)} does not match the .po (run `make messages`)")
    for problem in problems:
        print(problem)
    print(f"translation catalogs: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
