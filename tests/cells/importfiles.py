"""Writing organization files for the import tests, as CSV or as an Excel workbook."""

import csv

from openpyxl import Workbook

HEADER = ("code", "name", "kind", "parent_code", "sector")


def write_csv(directory, rows, header=HEADER, name="orgs.csv", encoding="utf-8"):
    path = directory / name
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(directory, rows, header=HEADER, name="orgs.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    # A second sheet that must be ignored: only the first one is read.
    workbook.create_sheet("notes").append(["code", "name"])
    path = directory / name
    workbook.save(path)
    return path


def district(prefix, cells, parent="", communes=1):
    """Rows for a district `prefix` with `communes` communes of `cells` cells each, children first."""
    rows = []
    for c in range(communes):
        commune = f"{prefix}-C{c}"
        rows += [(f"{commune}-{k}", f"Chi bộ thôn {k}", "Chi bộ trực thuộc", commune, "") for k in range(cells)]
        rows.append((commune, f"Đảng bộ xã số {c}", "Đảng bộ cơ sở", prefix, "xã"))
    rows.append((prefix, f"Đảng bộ huyện {prefix}", "Đảng bộ cấp trên cơ sở", parent, ""))
    return rows


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """`text` as Windows-1258 saves it: letters with their circumflex, breve or horn precomposed,
    the tone as a combining mark after them (Python's codec alone refuses "ả", "ộ", ...)."""
    import unicodedata

    out = b""
    for character in text:
        parts = unicodedata.normalize("NFD", character)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        tones = "".join(c for c in parts if c in TONE_MARKS)
        out += letter.encode("cp1258") + tones.encode("cp1258")
    return out


# TCVN3 (ABC): the lowercase letters the tests need, each on one byte (uppercase Đ is A7).
TCVN3 = {"Đ": b"\xa7", "đ": b"\xae", "â": b"\xa9", "ê": b"\xaa", "ô": b"\xab", "ơ": b"\xac", "ư": b"\xad",
         "ă": b"\xa8", "ả": b"\xb6", "ã": b"\xb7", "ộ": b"\xd9", "ỹ": b"\xfc", "á": b"\xb8", "à": b"\xb5"}  # fmt: skip


def tcvn3(text: str) -> bytes:
    return b"".join(TCVN3.get(character) or character.encode("ascii") for character in text)
