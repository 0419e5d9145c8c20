"""Render the Evidence pages in reports/pages/ as a static, offline HTML site.

    python scripts/render_reports.py                      # called by scripts/warehouse.py build
    python scripts/render_reports.py --db warehouse.duckdb --out build/reports
    python scripts/render_reports.py --check              # also exit 1 on any page problem

The Evidence project in reports/ is the source of truth: the same markdown pages, the same
source queries (reports/sources/warehouse/*.sql). This does what `evidence sources` +
`evidence build` would do, without Node or the network (scripts/static_report/):

1. run each source query the pages read against the DuckDB file (read-only) and keep its result
   as table `warehouse.<query name>`, the name Evidence pages use;
2. read every page (markdown-it-py), run its ```sql name``` blocks, and render tables as HTML and
   charts as inline SVG (matplotlib, deterministic) through Jinja2 templates;
3. render templated pages (pages/influence/[account].md) once per value linked from the other
   pages, as Evidence's crawler does;
4. copy the ML plots (<build>/ml/plots/*.png) into <out>/plots/.

Every problem (a query that fails, a component or prop the renderer does not support, a
component naming an unknown query or column, an image that does not exist) is printed and shown
on the page; so is a query with no rows, as a note. `--check` makes either exit 1.

Defaults: --db is $TIKTOK_BUILD_DIR/warehouse.duckdb (the file the build just wrote) or, when
there is none, the published $TIKTOK_WAREHOUSE; --out is $TIKTOK_BUILD_DIR/reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tiktok_settings
from scripts.static_report import COMPONENTS, SPECS, Ref, parse_page, render_site, source_queries

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "reports"
__all__ = ["COMPONENTS", "REPORTS", "SPECS", "Ref", "main", "parse_page", "render_site", "source_queries"]


def default_paths() -> tuple[Path, Path, Path]:
    given = tiktok_settings.current()
    build, published = given.build_dir, given.warehouse
    db = build / "warehouse.duckdb"
    return (db if db.exists() else published), build / "reports", build / "ml" / "plots"


def main(argv: list[str] | None = None) -> int:
    db, out, plots = default_paths()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=db, help=f"DuckDB file to read (default {db})")
    parser.add_argument("--out", type=Path, default=out, help=f"site folder to write (default {out})")
    parser.add_argument("--plots", type=Path, default=plots, help=f"ML plots folder (default {plots})")
    parser.add_argument("--reports-dir", type=Path, default=REPORTS, help="the Evidence project")
    parser.add_argument("--check", action="store_true", help="exit 1 on any problem or query without rows")
    args = parser.parse_args(argv)
    try:
        site = render_site(args.db, args.out, args.reports_dir, args.plots)
    except FileNotFoundError as exc:
        print(f"render_reports: {exc}", file=sys.stderr)
        return 2
    print(f"render_reports: wrote {len(site.written)} pages to {args.out} (from {args.db})")
    for line in site.problems:
        print(f"render_reports: PROBLEM {line}", file=sys.stderr)
    for line in site.empty:
        print(f"render_reports: note: {line}", file=sys.stderr)
    if args.check and (site.problems or site.empty):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
