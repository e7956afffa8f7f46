"""The benchmark's one entry point (not run by CI). See bench/README.md.

python -m bench generate --profile {district,province,national} --database-url URL
python -m bench run --profile P --database-url URL [--json FILE]
"""

import argparse
import sys

from bench.profiles import PROFILES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="fill an empty PostgreSQL database with a profile's data set")
    run = commands.add_parser("run", help="measure pages, the candidate job, imports and reports")
    for command in (generate, run):
        command.add_argument("--profile", choices=sorted(PROFILES), required=True)
        command.add_argument("--database-url", required=True, help="postgres://user@host:port/name")
    generate.add_argument("--workdir", help="where the import files are written (default: the system's temp dir)")
    generate.add_argument(
        "--direct",
        action="store_true",
        help="write classifications and meetings with COPY instead of through the imports (faster on a busy machine)",
    )
    generate.add_argument(
        "--resume", action="store_true", help="continue a run stopped after the organizations were imported"
    )
    run.add_argument("--json", help="also write the figures to this file")
    run.add_argument("--repeat", type=int, default=0, help="requests per page (default: 7 national, 15 otherwise)")
    run.add_argument("--skip", action="append", default=[], choices=["pages", "job", "imports", "reports"])
    run.add_argument("--page", action="append", default=[], help="measure only the pages whose name contains this")
    run.add_argument(
        "--import",
        dest="import_kinds",
        action="append",
        default=[],
        choices=["organizations", "classifications", "meetings"],
        help="measure only these imports",
    )
    run.add_argument("--import-rows", type=int, default=0, help="cap the rows of each import file (0: whole)")
    child = commands.add_parser("import-child", help=argparse.SUPPRESS)
    child.add_argument("--database-url", required=True)
    child.add_argument("--kind", required=True)
    child.add_argument("--path", required=True)
    args = parser.parse_args(argv)
    if args.command == "generate":
        from bench.generate import generate as run_generate

        run_generate(args.profile, args.database_url, args.workdir, direct=args.direct, resume=args.resume)
    elif args.command == "run":
        from bench.run import run as run_bench

        run_bench(args)
    else:
        from bench.imports import child_main

        child_main(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
