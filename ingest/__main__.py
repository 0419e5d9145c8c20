"""python -m ingest [run] | inspect FILE: land the raw folder as Parquet for dbt (docs/ingest.md).

    python -m ingest              # = run: walk TIKTOK_RAW_DIR, land into TIKTOK_BUILD_DIR/landed/
    python -m ingest inspect FILE # an export's key skeleton with counts and no values

Environment: TIKTOK_RAW_DIR (default data/sample), TIKTOK_BUILD_DIR (default build/),
TIKTOK_FILE_MODE (default 0600; 0640 lets a BI tool of another user read), TIKTOK_DBT_VARS (its
`skip_unreadable_files: true` goes on past unreadable files instead of exiting 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.run import run_ingest
from ingest.settings import Settings
from ingest.skeleton import inspect_path

SKIP_HINT = "Fix or remove the file, or build with --vars '{skip_unreadable_files: true}' to skip it."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="land the raw folder (the default)")
    for p in (parser, run):
        p.add_argument("--raw", type=Path, help="raw folder (default: TIKTOK_RAW_DIR)")
        p.add_argument("--build", type=Path, help="build dir (default: TIKTOK_BUILD_DIR)")
        p.add_argument("--force", action="store_true", help="land every file again, changed or not")
        p.add_argument("-v", "--verbose", action="store_true", help="print the rows landed per list")
    inspect = sub.add_parser("inspect", help="print a file's key skeleton with counts and no values")
    inspect.add_argument("file", type=Path, help="a JSON or TXT export file, a ZIP, or a TXT export folder")
    args = parser.parse_args(argv)

    if args.command == "inspect":
        if not args.file.exists():
            print(f"inspect: {args.file} does not exist", file=sys.stderr)
            return 2
        print("\n".join(inspect_path(args.file)))
        return 0

    settings = Settings.from_env()
    raw = (args.raw or settings.raw).resolve()
    build = (args.build or settings.build).resolve()
    if not raw.is_dir():
        print(f"ingest: the raw folder {raw} does not exist (TIKTOK_RAW_DIR)", file=sys.stderr)
        return 2
    result = run_ingest(raw, build, force=args.force)
    print(result.summary())
    if args.verbose:
        for list_name, n in sorted(result.rows_by_list.items()):
            print(f"  {list_name}: {n} row(s)")
    if result.unreadable:
        lines = result.unreadable_lines()
        if settings.skip_unreadable_files:
            print(f"WARNING: {len(lines)} unreadable raw file(s) skipped (skip_unreadable_files):", file=sys.stderr)
            print("\n".join("  " + line for line in lines), file=sys.stderr)
            return 0
        print("\n".join(f"{line}. {SKIP_HINT}" for line in lines), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
