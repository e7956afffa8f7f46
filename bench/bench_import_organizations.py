"""Import a national-scale organization file and report wall time and peak Python memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vl_orgimport_bench \\
        .venv/bin/python bench/bench_import_organizations.py /tmp/national.csv [--trace]

Runs against the database in DATABASE_URL (migrated first), which must hold no organizations:
a dry run, the first import (everything created) and the same file again (nothing changes).
With --trace, tracemalloc records the peak Python memory of each step; tracing slows Python
down, so time and memory are measured in separate runs. Not run by CI; see bench/README.md.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanlang.settings")


def step(label, function, *, trace):
    if trace:
        tracemalloc.reset_peak()
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    line = f"{label:<10} {elapsed:7.1f} s   created {result.created:>7}   updated {result.updated:>7}"
    line += f"   unchanged {result.unchanged:>7}"
    if trace:
        line += f"   peak Python memory {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB (traced)"
    if result.errors:
        line += f"   ERRORS: {[str(error) for error in result.errors[:3]]}"
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--trace", action="store_true", help="measure peak Python memory with tracemalloc")
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
    print(f"{connection.vendor}, {args.path} ({Path(args.path).stat().st_size / 2**20:.1f} MiB)", flush=True)
    if args.trace:
        tracemalloc.start()
    step("dry run", lambda: organizations_import(path=args.path, dry_run=True), trace=args.trace)
    step("import", lambda: organizations_import(path=args.path), trace=args.trace)
    step("re-import", lambda: organizations_import(path=args.path), trace=args.trace)
    print(f"organizations in the database: {Organization.objects.count()}", flush=True)


if __name__ == "__main__":
    main()
