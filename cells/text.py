"""Vietnamese text folding, for search and for matching values typed by hand."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# The longest texts that forms accept (a TextField has no limit of its own): a note or a
# reason, and a section of a document such as a plan's weaknesses (about ten printed pages).
NOTE_MAX = 4000
SECTION_MAX = 20000


def fold(value: str) -> str:
    """Lower case, no diacritics, single spaces: "  Tân  Mỹ " and "tan my" fold alike.

    "đ" is a letter of its own, not a "d" with a mark, so Unicode decomposition leaves it;
    users type it as "d".
    """
    value = unicodedata.normalize("NFD", value or "")
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    value = value.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", value).strip().lower()


def normalize_spaces(value: str) -> str:
    """Trim and collapse runs of white space, keeping letters as typed (NFC)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()
