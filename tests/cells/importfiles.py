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
