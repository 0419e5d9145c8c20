"""Render the Evidence pages in reports/pages/ as a static, offline HTML site.

    python scripts/render_reports.py                      # called by scripts/warehouse.py build
    python scripts/render_reports.py --db warehouse.duckdb --out build/reports
    python scripts/render_reports.py --check              # also exit 1 on any page problem
    python scripts/render_reports.py --later marts.x,ml.y --released-fd 5   # as the build runs it

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

With --later (what scripts/warehouse.py build passes while the ML step runs), the pages that read
none of those relations are drawn first: the report writes a line to --released-fd once it holds
no connection to the warehouse, then waits for a line on stdin saying the relations are written
(end of input: the build stopped, and the report exits 3 writing nothing).

Defaults: --db is $TIKTOK_BUILD_DIR/warehouse.duckdb (the file the build just wrote) or, when
there is none, the published $TIKTOK_WAREHOUSE; --out is $TIKTOK_BUILD_DIR/reports.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

import tiktok_settings
from scripts.static_report import COMPONENTS, SPECS, Ref, parse_page, render_site, source_queries
from scripts.static_report.site import Later, ReportStopped, reads_any

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "reports"
CHART_CACHE = "report_charts"  # in the build dir: the charts of the last render, by what they draw
__all__ = [
    "COMPONENTS",
    "REPORTS",
    "SPECS",
    "Later",
    "Ref",
    "ReportStopped",
    "main",
    "parse_page",
    "reads_any",
    "render_site",
    "source_queries",
]


def default_paths() -> tuple[Path, Path, Path, Path]:
    given = tiktok_settings.current()
    build, published = given.build_dir, given.warehouse
    db = build / "warehouse.duckdb"
    return (db if db.exists() else published), build / "reports", build / "ml" / "plots", build / CHART_CACHE


def main(argv: list[str] | None = None) -> int:
    db, out, plots, cache = default_paths()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=db, help=f"DuckDB file to read (default {db})")
    parser.add_argument("--out", type=Path, default=out, help=f"site folder to write (default {out})")
    parser.add_argument("--plots", type=Path, default=plots, help=f"ML plots folder (default {plots})")
    parser.add_argument("--reports-dir", type=Path, default=REPORTS, help="the Evidence project")
    parser.add_argument("--check", action="store_true", help="exit 1 on any problem or query without rows")
    parser.add_argument(
        "--chart-cache",
        type=Path,
        help=f"charts drawn before, by what they draw: copied, not drawn again (default {cache} when --out "
        "is the default, else none)",
    )
    parser.add_argument("--no-chart-cache", action="store_true", help="draw every chart")
    parser.add_argument(
        "--later",
        default="",
        help="comma-separated schema.table the build writes while the report runs: pages reading them wait",
    )
    parser.add_argument("--released-fd", type=int, help="with --later: where to say the warehouse is let go")
    args = parser.parse_args(argv)
    later = None
    if args.later:
        if args.released_fd is None:
            parser.error("--later needs --released-fd")
        later = Later(
            relations=frozenset(r.strip().lower() for r in args.later.split(",") if r.strip()),
            released=lambda: released(args.released_fd),
            resume=lambda: sys.stdin.readline().strip() == "go",
        )
        # the build stops the report when it fails: what was drawn is removed on the way out
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
        # Beside the ML step the report takes what CPU the models leave (its drawing forks too):
        # the ML step, one core's work, is the longer, and it decides when the build goes on.
        os.nice(10)
    try:
        # the cache is the build's report's: a render elsewhere neither uses nor prunes it
        given = args.chart_cache or (cache if args.out == out else None)
        chart_cache = None if args.no_chart_cache else given
        site = render_site(args.db, args.out, args.reports_dir, args.plots, later=later, chart_cache=chart_cache)
    except FileNotFoundError as exc:
        print(f"render_reports: {exc}", file=sys.stderr)
        return 2
    except ReportStopped as exc:
        print(f"render_reports: {exc}; no report written", file=sys.stderr)
        return 3
    drawn, total = site.charts.drawn_count, site.charts.count
    print(
        f"render_reports: wrote {len(site.written)} pages to {args.out} (from {args.db}); "
        f"drew {drawn} of {total} charts, {total - drawn} from {chart_cache}"
        if chart_cache
        else f"render_reports: wrote {len(site.written)} pages to {args.out} (from {args.db}); drew {drawn} charts"
    )
    for line in site.problems:
        print(f"render_reports: PROBLEM {line}", file=sys.stderr)
    for line in site.empty:
        print(f"render_reports: note: {line}", file=sys.stderr)
    if args.check and (site.problems or site.empty):
        return 1
    return 0


def released(fd: int) -> None:
    """Tell the build the warehouse is let go (one line, then the pipe is closed)."""
    os.write(fd, b"released\n")
    os.close(fd)


if __name__ == "__main__":
    sys.exit(main())
