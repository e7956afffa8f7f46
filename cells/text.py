"""Vietnamese text folding, for search and for matching values typed by hand."""

import re
import unicodedata

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
    return " ".join(value.split()).lower()  # str.split() splits on what \s matches


def normalize_spaces(value: str) -> str:
    """Trim and collapse runs of white space, keeping letters as typed (NFC)."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


# "Số", "số:", "So." before the number, or glued to it ("số35").
_NUMBER_PREFIX = re.compile(r"^s[ốôo](?:\s*[:.]\s*|\s+|(?=\d))", re.IGNORECASE)


def document_number(value: str) -> str:
    """A party document number as stored: "35-QĐ/HU", whatever the user typed around it.

    "Số 35-QĐ/HU", "số: 35-qđ/hu" and " 35 - QĐ / HU " all give "35-QĐ/HU": the word "Số" is
    dropped (pages and PDFs print it: "Quyết định số 35-QĐ/HU"), spaces around the dash and the
    slash go, and the letters are capitals, as the party writes them.
    """
    value = _NUMBER_PREFIX.sub("", normalize_spaces(value), count=1)
    return re.sub(r"\s*([-/])\s*", r"\1", value).upper()
