"""Write a national-scale organization file for `import_organizations`.

    .venv/bin/python bench/make_organizations.py /tmp/national.csv [--format xlsx] [--scale 1.0]

One root (the Central Committee's stand-in), ~3,300 upper committees under 63 provinces,
~55,000 grassroots organizations and ~280,000 cells: ~340,000 rows at scale 1. Rows are
written children first, so the import cannot rely on the file's order. Nothing is held in
memory but the current row.
"""

import argparse
import csv
import random
import sys

PROVINCES = 63
UPPER_PER_PROVINCE = 51  # 63 provinces + 63 × 51 committees ≈ 3,300 upper committees
GRASSROOTS_PER_UPPER = 17  # ≈ 55,000 grassroots organizations
CELLS_PER_GRASSROOTS = 5.1  # ≈ 280,000 cells
SECTORS = ["xã", "phường", "cơ quan", "doanh nghiệp", "đơn vị sự nghiệp", "quân sự", "công an", "khác"]
HEADER = ["code", "name", "kind", "parent_code", "sector"]


def rows(scale: float):
    rng = random.Random(2018)
    yield ["VN", "Đảng Cộng sản Việt Nam", "Đảng bộ cấp trên cơ sở", "", ""]
    for p in range(max(1, round(PROVINCES * scale))):
        province = f"T{p:02d}"
        for u in range(UPPER_PER_PROVINCE):
            upper = f"{province}-H{u:02d}"
            for g in range(GRASSROOTS_PER_UPPER):
                grassroots = f"{upper}-X{g:02d}"
                cells = int(CELLS_PER_GRASSROOTS) + (rng.random() < CELLS_PER_GRASSROOTS % 1)
                for c in range(cells):
                    yield [f"{grassroots}-C{c}", f"Chi bộ thôn Nà Mò {c + 1}", "Chi bộ trực thuộc", grassroots, ""]
                sector = rng.choice(SECTORS)
                yield [grassroots, f"Đảng bộ {sector} Tân Mỹ {g + 1}", "Đảng bộ cơ sở", upper, sector]
            yield [upper, f"Đảng bộ huyện Văn Lãng {u + 1}", "Đảng bộ cấp trên cơ sở", province, ""]
        yield [province, f"Đảng bộ tỉnh Lạng Sơn {p + 1}", "Đảng bộ cấp trên cơ sở", "VN", ""]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 63 provinces to write")
    args = parser.parse_args(argv)
    count = 0
    if args.format == "csv":
        with open(args.path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for row in rows(args.scale):
                writer.writerow(row)
                count += 1
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for row in rows(args.scale):
            sheet.append(row)
            count += 1
        workbook.save(args.path)
    sys.stdout.write(f"{count} organizations written to {args.path}\n")


if __name__ == "__main__":
    main()
