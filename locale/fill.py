"""Finish the catalogs after `makemessages`: English is the source language, so its catalog
repeats each msgid; Vietnamese entries come from translators or from JSON files
(`python locale/fill.py extra.json ...`, `{"msgid": "bản dịch"}`). Fuzzy guesses from msgmerge
are dropped rather than shown to users. Writes the .mo files (no GNU gettext needed).
"""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent
HEADERS = {
    "vi": {"Language": "vi", "Plural-Forms": "nplurals=1; plural=0;"},
    "en": {"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"},
}


def load_translations(paths):
    merged = {}
    for path in paths:
        merged.update(json.loads(Path(path).read_text(encoding="utf-8")))
    return merged


def fill(locale, translations):
    po_path = LOCALE / locale / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path), wrapwidth=120)
    po.metadata.update(HEADERS[locale])
    po.metadata.update(
        {
            "Content-Type": "text/plain; charset=UTF-8",
            "Project-Id-Version": "vanlang",
            "Language-Team": "Vanlang <vanlang@localhost>",
            "Last-Translator": "Vanlang <vanlang@localhost>",
            "PO-Revision-Date": po.metadata.get("POT-Creation-Date", ""),
        }
    )
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
            entry.previous_msgid = entry.previous_msgid_plural = None
        if locale == "en":
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            continue
        known = translations.get(entry.msgid)
        if entry.msgid_plural and translations.get(entry.msgid_plural) is not None:
            # Vietnamese has one form: the plural's text, which names the number
            known = translations[entry.msgid_plural]
        if known is not None:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: known[0] if isinstance(known, list) else known}
            else:
                entry.msgstr = known[0] if isinstance(known, list) else known
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not translated:
            missing.append(entry.msgid)
    po[:] = [entry for entry in po if not entry.obsolete]
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return missing


def compile_scripts_catalog():
    """The admin scripts' catalog (djangojs.po) is kept by hand, outside makemessages: compile it only."""
    for po_path in LOCALE.glob("*/LC_MESSAGES/djangojs.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def main(argv):
    translations = load_translations(argv)
    missing = fill("vi", translations)
    fill("en", translations)
    compile_scripts_catalog()
    for msgid in missing:
        print(f"vi: untranslated: {msgid!r}")
    print(f"catalogs written; {len(missing)} Vietnamese entries still untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
