"""Import a national-scale organization file and report wall time and peak Python memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vl_orgimport_bench \\
        .venv/bin/python bench/bench_import_organizations.py /tmp/national.csv

Runs against the database in DATABASE_URL (migrated first), which should hold no
organizations: it times a dry run, the first import (everything created), and the same file
again (nothing changes). Memory is measured with tracemalloc in a separate run of each step
unless --no-memory, because tracing slows Python down. Not run by CI; see bench/README.md.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanlang.settings")


def measure(label, function, *, memory):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    line = (
        f"{label:<12} {elapsed:8.1f} s  created {result.created:>7}  updated {result.updated:>7}"
        f"  unchanged {result.unchanged:>7}"
    )
    if result.errors:
        line += f"  ERRORS: {[str(e) for e in result.errors[:3]]}"
    if memory:
        tracemalloc.start()
        function()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        line += f"  peak Python memory {peak / 2**20:7.1f} MiB"
    print(line, flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cells.importing import organizations_import
    from cells.models import Organization

    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        sys.exit("The database already holds organizations: use an empty database for the benchmark.")
    rows = sum(1 for _ in open(args.path, "rb")) - 1 if args.path.endswith(".csv") else "?"
    print(f"{connection.vendor}, {rows} rows from {args.path}", flush=True)
    memory = not args.no_memory
    measure("dry run", lambda: organizations_import(path=args.path, dry_run=True), memory=memory)
    # The memory run of the first import must not find the rows already there: measure it
    # on the second pass instead, which also walks every row.
    measure("import", lambda: organizations_import(path=args.path), memory=False)
    measure("re-import", lambda: organizations_import(path=args.path), memory=memory)
    print(f"organizations in the database: {Organization.objects.count()}")


if __name__ == "__main__":
    main()
