"""Render the Evidence pages in reports/pages/ as a static, offline HTML site.

    python scripts/render_reports.py                      # called by scripts/warehouse.py build
    python scripts/render_reports.py --db warehouse.duckdb --out build/reports
    python scripts/render_reports.py --check              # also exit 1 on any page problem

The Evidence project in reports/ is the source of truth: the same markdown pages, the same
source queries (reports/sources/warehouse/*.sql). This script does what `evidence sources` +
`evidence build` would do, without Node or the network:

1. run every source query against the DuckDB file (read-only) and keep its result as table
   `warehouse.<query name>`, the name Evidence pages use;
2. parse every page (```sql name``` blocks, components, markdown), run every SQL block, and
   render tables as HTML and charts as inline SVG (matplotlib, deterministic);
3. render templated pages (pages/influence/[account].md) once per value linked from the other
   pages, as Evidence's crawler does;
4. copy the ML plots (<build>/ml/plots/*.png) into <out>/plots/.

Every problem (a query that fails, a component naming an unknown query or column, a query with
no rows, an image that does not exist) is printed and shown on the page; `--check` also makes it
exit 1. tests/test_reports.py runs the check on the sample build.

Defaults: --db is $TIKTOK_BUILD_DIR/warehouse.duckdb (the file the build just wrote) or, when
there is none, the published $TIKTOK_WAREHOUSE; --out is $TIKTOK_BUILD_DIR/reports.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "reports"
SOURCE_NAME = "warehouse"  # reports/sources/warehouse/: pages say `from warehouse.<query>`
MAX_TABLE_ROWS = 100

CHARTS = {"BarChart", "LineChart", "ScatterPlot", "Heatmap"}
COMPONENTS = CHARTS | {"BigValue", "DataTable", "Dropdown", "Value", "Column"}
# Attributes that name a column of the component's query.
COLUMN_ATTRS = {
    "BarChart": ("x", "y", "series"),
    "LineChart": ("x", "y", "series"),
    "ScatterPlot": ("x", "y", "series", "size"),
    "Heatmap": ("x", "y", "value"),
    "BigValue": ("value", "comparison"),
    "DataTable": ("link",),
    "Dropdown": ("value", "label"),
    "Value": ("column",),
}
# Evidence's default palette, reordered so neighbouring series contrast.
# The props each component accepts in @evidence-dev/core-components 5.4.2 (read from its
# Svelte sources): an attribute outside this list is a typo Evidence would silently ignore.
_CHART_PROPS = (
    "data x y y2 series xType yLog yLogBase yFmt y2Fmt xFmt title subtitle legend xAxisTitle "
    "yAxisTitle y2AxisTitle xGridlines yGridlines xAxisLabels yAxisLabels xBaseline yBaseline "
    "xTickMarks yTickMarks yMin yMax yScale y2Min y2Max chartAreaHeight sort colorPalette labels "
    "labelSize labelPosition labelColor labelFmt showAllLabels echartsOptions seriesOptions "
    "emptySet emptyMessage renderer downloadableData downloadableImage seriesColors seriesOrder "
    "connectGroup seriesLabelFmt leftPadding rightPadding xLabelWrap"
)
PROPS = {
    "BarChart": set(
        (
            _CHART_PROPS + " swapXY showAllXAxisLabels type fillColor fillOpacity outlineColor "
            "outlineWidth stackTotalLabel seriesLabels"
        ).split()
    ),
    "LineChart": set(
        (
            _CHART_PROPS + " lineColor lineType lineOpacity lineWidth markers markerShape "
            "markerSize handleMissing step stepPosition"
        ).split()
    ),
    "ScatterPlot": set(
        (_CHART_PROPS + " xMin xMax shape fillColor opacity outlineColor outlineWidth pointSize tooltipTitle").split()
    ),
    "Heatmap": set(
        """
        data x y xSort xSortOrder ySort ySortOrder value valueFmt valueLabels mobileValueLabels xAxisPosition
        xTickMarks yTickMarks title subtitle borders legend filter colorPalette colorScale min max
        chartAreaHeight xLabelRotation echartsOptions leftPadding rightPadding cellHeight renderer
        downloadableData downloadableImage connectGroup nullsZero zeroDisplay emptySet emptyMessage
        """.split()
    ),
    "BigValue": set(
        """
        data value comparison comparisonDelta sparkline sparklineType sparklineColor sparklineValueFmt
        sparklineDateFmt sparklineYScale connectGroup fmt comparisonFmt title comparisonTitle downIsGood
        neutralMin neutralMax maxWidth minWidth link description emptySet emptyMessage
        """.split()
    ),
    "DataTable": set(
        """
        data rows title subtitle rowNumbers sort groupBy groupsOpen groupType subtotals search sortable
        downloadable totalRow isFullPage link showLinkCol rowShading rowLines wrapTitles headerColor
        headerFontColor formatColumnTitles backgroundColor compact emptySet emptyMessage
        """.split()
    ),
    "Column": set(
        """
        id description contentType title align wrap wrapTitle height width alt openInNewTab linkLabel fmt
        totalAgg totalFmt weightCol subtotalFmt colorMax colorMin colorMid colorScale scaleColumn downIsGood
        showValue deltaSymbol chip redNegatives
        """.split()
    ),
    "Dropdown": set(
        """
        data title name multiple hideDuringPrint disableSelectAll defaultValue noDefault selectAllByDefault
        description value label order where
        """.split()
    ),
    "Value": {"data", "row", "column", "value", "placeholder", "description", "fmt", "color", "redNegatives", "agg"},
}
PALETTE = [
    "#236aa4",
    "#f4b548",
    "#46a485",
    "#8f3d56",
    "#45a1bf",
    "#d2c6ac",
    "#71b9f4",
    "#85c7c6",
    "#a5cdee",
    "#8dacbf",
    "#e15759",
    "#9c755f",
]


# ----------------------------------------------------------------------------- parsing
@dataclass
class Component:
    tag: str
    attrs: dict
    line: int
    columns: list[dict] = field(default_factory=list)  # <Column id=.../> children of DataTable


@dataclass
class Page:
    path: Path  # the .md file
    route: str  # "" for the home page, "creators", "influence/[account]"
    title: str
    blocks: list  # ("md", text) | ("sql", name, sql) | ("code", text) | ("component", Component)
    queries: dict[str, str]

    @property
    def param(self) -> str | None:
        m = re.search(r"\[(\w+)\]", self.route)
        return m.group(1) if m else None


ATTR_RE = re.compile(
    r"""([A-Za-z_][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}|([^\s"'>/{}]+)))?"""
)


def parse_attrs(text: str) -> dict:
    attrs = {}
    for m in ATTR_RE.finditer(text):
        name, dq, sq, expr, bare = m.groups()
        if expr is not None:
            value = parse_expr(expr.strip())
        elif dq is not None:
            value = dq
        elif sq is not None:
            value = sq
        elif bare is not None:
            value = bare
        else:
            value = True
        attrs[name] = value
    return attrs


def parse_expr(expr: str):
    """{q} -> ("ref", "q"); {['a', 'b']} -> ["a", "b"]; {true} -> True; {3} -> 3."""
    if re.fullmatch(r"[A-Za-z_]\w*", expr):
        if expr in ("true", "false"):
            return expr == "true"
        return ("ref", expr)
    if expr.startswith("[") and expr.endswith("]"):
        return [s.strip().strip("'\"") for s in expr[1:-1].split(",") if s.strip()]
    if re.fullmatch(r"-?\d+(\.\d+)?", expr):
        return float(expr) if "." in expr else int(expr)
    return expr.strip("'\"")


def parse_frontmatter(lines: list[str]) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    meta = {}
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return meta, i + 1
        if ":" in lines[i]:
            key, value = lines[i].split(":", 1)
            meta[key.strip()] = value.strip().strip("'\"")
    return meta, 0


def parse_page(path: Path, pages_dir: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    meta, i = parse_frontmatter(lines)
    rel = path.relative_to(pages_dir).with_suffix("").as_posix()
    route = "" if rel == "index" else re.sub(r"/index$", "", rel)
    blocks: list = []
    queries: dict[str, str] = {}
    md: list[str] = []

    def flush():
        if md:
            blocks.append(("md", "\n".join(md)))
            md.clear()

    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^```\s*(\w*)\s*(\S*)\s*$", line)
        if fence:
            flush()
            lang, name = fence.groups()
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            i += 1
            if lang == "sql" and name:
                if name in queries:
                    raise ValueError(f"{path.name}: query `{name}` defined twice")
                queries[name] = "\n".join(body)
                blocks.append(("sql", name, "\n".join(body)))
            else:
                blocks.append(("code", "\n".join(body)))
            continue
        tag = re.match(r"^\s*<([A-Z]\w*)", line)
        if tag:
            flush()
            start = i
            name = tag.group(1)
            chunk = [line]
            # A component ends at "/>" closing its opening tag, or at its closing tag.
            joined = line
            while not _component_closed(joined, name) and i + 1 < len(lines):
                i += 1
                chunk.append(lines[i])
                joined = "\n".join(chunk)
            i += 1
            blocks.append(("component", _component(joined, name, start + 1)))
            continue
        md.append(line)
        i += 1
    flush()
    title = meta.get("title") or _first_heading(text) or (route or "Home")
    return Page(path=path, route=route, title=title, blocks=blocks, queries=queries)


def _component_closed(text: str, name: str) -> bool:
    opening = re.match(rf"\s*<{name}\b((?:[^>{{}}]|\{{[^}}]*\}})*)>", text, re.S)
    if not opening:
        return False
    if opening.group(1).rstrip().endswith("/"):
        return True
    return f"</{name}>" in text


def _component(text: str, name: str, line: int) -> Component:
    opening = re.match(rf"\s*<{name}\b((?:[^>{{}}]|\{{[^}}]*\}})*)>", text, re.S)
    attrs = parse_attrs(opening.group(1).rstrip().rstrip("/"))
    comp = Component(tag=name, attrs=attrs, line=line)
    inner = text[opening.end() :]
    for child in re.finditer(r"<(\w+)\b((?:[^>{}]|\{[^}]*\})*)/?>", inner):
        if child.group(1) == "Column":
            comp.columns.append(parse_attrs(child.group(2).rstrip().rstrip("/")))
        elif child.group(1) != name:
            comp.columns.append({"__unknown__": child.group(1)})
    return comp


def _first_heading(text: str) -> str | None:
    m = re.search(r"^#\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else None


def load_pages(reports_dir: Path) -> list[Page]:
    pages_dir = reports_dir / "pages"
    return [parse_page(p, pages_dir) for p in sorted(pages_dir.rglob("*.md"))]


def source_queries(reports_dir: Path) -> dict[str, str]:
    folder = reports_dir / "sources" / SOURCE_NAME
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sql"))}


# ----------------------------------------------------------------------------- database
def open_sources(db: Path, reports_dir: Path):
    """An in-memory DuckDB holding `warehouse.<name>` for every source query (as Evidence's
    `sources` step does), with the warehouse file attached read-only. Returns (con, problems)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"attach '{db.as_posix()}' as wh_file (read_only)")
    con.execute(f"create schema memory.{SOURCE_NAME}")
    problems = []
    for name, sql in source_queries(reports_dir).items():
        con.execute("use wh_file")
        try:
            con.execute(f'create table memory.{SOURCE_NAME}."{name}" as {sql.strip().rstrip(";")}')
        except Exception as exc:
            problems.append(f"sources/{SOURCE_NAME}/{name}.sql: {str(exc).splitlines()[0]}")
        finally:
            con.execute("use memory")
    return con, problems


# ----------------------------------------------------------------------------- formatting
def fmt_value(value, column: str = "", fmt: str | None = None) -> str:
    import pandas as pd

    try:
        missing = value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays: not a missing scalar
        missing = False
    if missing:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    fmt = fmt or ("pct1" if column.endswith(("_rate", "_share", "_pct")) else None)
    if column == "id" or column.endswith("_id"):
        # Identifiers read as written: no thousands separators, no rounding.
        return html.escape(str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return html.escape(str(value))
        if fmt and fmt.startswith("pct"):
            digits = int(fmt[3:] or 0)
            return f"{number * 100:.{digits}f}%"
        if fmt and fmt.startswith("num"):
            return f"{number:,.{int(fmt[3:] or 0)}f}"
        if float(number).is_integer() and abs(number) < 1e15:
            return f"{int(number):,}"
        if abs(number) >= 100:
            return f"{number:,.0f}"
        if abs(number) >= 1:
            return f"{number:,.2f}"
        return f"{number:.3f}"
    if hasattr(value, "strftime"):
        text = value.strftime("%Y-%m-%d %H:%M")
        return text[:-6] if text.endswith(" 00:00") else text
    return html.escape(str(value))


def label(column: str) -> str:
    return column.replace("_", " ").strip().capitalize()


# ----------------------------------------------------------------------------- markdown
def inline_md(text: str, ctx: PageRun) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![*\w])\*([^*]+)\*(?!\w)", r"<em>\1</em>", text)
    text = re.sub(
        r"\[([^\]]+)\]\(([^)\s]+)\)",
        lambda m: f'<a href="{html.escape(ctx.href(html.unescape(m.group(2))))}">{m.group(1)}</a>',
        text,
    )
    return re.sub(r"\{([^{}]+)\}", lambda m: ctx.inline_expr(m.group(1), m.group(0)), text)


def markdown(text: str, ctx: PageRun) -> str:
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    list_tag: str | None = None

    def end_para():
        if para:
            out.append(f"<p>{inline_md(' '.join(para), ctx)}</p>")
            para.clear()

    def end_list():
        nonlocal list_tag
        if list_tag:
            out.extend(f"<li>{inline_md(item, ctx)}</li>" for item in items)
            out.append(f"</{list_tag}>")
            items.clear()
            list_tag = None

    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        item = re.match(r"^([-*+]|\d+\.)\s+(.*)$", stripped)
        if not stripped:
            end_para()
            end_list()
        elif list_tag and raw[:1] in (" ", "\t") and not item:
            items[-1] += " " + stripped  # an indented line continues the list item
        elif heading:
            end_para()
            end_list()
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline_md(heading.group(2), ctx)}</h{level}>")
        elif item:
            end_para()
            tag = "ol" if item.group(1)[0].isdigit() else "ul"
            if list_tag != tag:
                end_list()
                out.append(f"<{tag}>")
                list_tag = tag
            items.append(item.group(2))
        elif re.fullmatch(r"(-{3,}|\*{3,})", stripped):
            end_para()
            end_list()
            out.append("<hr>")
        elif stripped.startswith(">"):
            end_para()
            end_list()
            out.append(f"<blockquote>{inline_md(stripped.lstrip('> '), ctx)}</blockquote>")
        elif re.match(r"^</?[a-z][\w-]*[\s>/]", stripped):
            # Plain HTML (an <img> of an ML plot): passed through, absolute paths made relative.
            end_para()
            end_list()
            out.append(ctx.raw_html(stripped))
        else:
            end_list()
            para.append(stripped)
    end_para()
    end_list()
    return "\n".join(out)


# ----------------------------------------------------------------------------- charts
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "tiktok-warehouse-reports",
            "svg.fonttype": "none",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": plt.cycler(color=PALETTE),
        }
    )
    return plt


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _svg(fig, chart_id: str) -> str:
    plt = _plt()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # Several charts share one HTML document: prefix ids so references stay inside each chart.
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = re.sub(
        r'(url\(#|href="#)([^)"]+)',
        lambda m: m.group(1) + (f"{chart_id}-{m.group(2)}" if m.group(2) in ids else m.group(2)),
        svg,
    )
    return svg.replace("<svg ", f'<svg class="chart-svg" data-chart-id="{chart_id}" ', 1)


def _mark(artist, n: int) -> None:
    """Tag drawn data marks so the browser test can tell a chart with marks from an empty one."""
    artist.set_gid(f"mark-{n}")


def draw_chart(comp: Component, df, chart_id: str) -> str:
    import pandas as pd

    plt = _plt()
    a = comp.attrs
    tag = comp.tag
    height = 3.8
    if tag == "BarChart" and a.get("swapXY") and a.get("x") in df.columns:
        height = min(9.0, max(1.6, 0.42 * df[a["x"]].nunique() + 1.0))
    fig, ax = plt.subplots(figsize=(9, height))
    n = 0
    if tag == "Heatmap":
        x, y, v = a["x"], a["y"], a["value"]
        grid = df.pivot_table(index=y, columns=x, values=v, aggfunc="sum", sort=False)
        # Both axes in order (hours, lags, names): first-appearance order scrambles a grid with gaps.
        grid = grid.sort_index(axis=0).sort_index(axis=1)
        mesh = ax.pcolormesh(grid.to_numpy(dtype=float), cmap="Blues")
        _mark(mesh, n)
        ax.set_xticks(
            [i + 0.5 for i in range(grid.shape[1])],
            [str(c) for c in grid.columns],
            rotation=45 if grid.shape[1] > 6 else 0,
            ha="right" if grid.shape[1] > 6 else "center",
        )
        ax.set_yticks([i + 0.5 for i in range(grid.shape[0])], [str(i) for i in grid.index])
        ax.invert_yaxis()
        if grid.size <= 120:
            top = float(pd.Series(grid.to_numpy().ravel()).max(skipna=True) or 0)
            for (r, c), val in pd.DataFrame(grid.to_numpy()).stack().items():
                ax.text(
                    c + 0.5,
                    r + 0.5,
                    fmt_value(val, v, a.get("valueFmt")),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if top and val > top * 0.6 else "#222",
                )
        fig.colorbar(mesh, ax=ax, fraction=0.03)
        ax.set_xlabel(label(x))
        ax.set_ylabel(label(y))
    else:
        x = a["x"]
        ys = _as_list(a.get("y"))
        series = a.get("series")
        if tag == "ScatterPlot":
            groups = df.groupby(series, sort=False) if series else [(None, df)]
            for key, part in groups:
                _mark(ax.scatter(part[x], part[ys[0]], s=18, alpha=0.75, label=None if key is None else str(key)), n)
                n += 1
            ax.set_xlabel(label(x))
            ax.set_ylabel(label(ys[0]))
        elif tag == "LineChart":
            frame = df.copy()
            if series:
                wide = frame.pivot_table(index=x, columns=series, values=ys[0], aggfunc="sum").sort_index()
            else:
                wide = frame.groupby(x, sort=True)[ys].sum()
            for col in wide.columns:
                (line,) = ax.plot(
                    wide.index,
                    wide[col],
                    marker="o" if len(wide) <= 40 else None,
                    markersize=3,
                    linewidth=1.6,
                    label=label(str(col)) if not series else str(col),
                )
                _mark(line, n)
                n += 1
            ax.set_xlabel(label(x))
            ax.set_ylabel(label(ys[0]) if len(ys) == 1 else "")
            if pd.api.types.is_datetime64_any_dtype(wide.index) or hasattr(wide.index[0], "strftime"):
                import matplotlib.dates as mdates

                locator = mdates.AutoDateLocator()
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        else:  # BarChart
            if series:
                wide = df.pivot_table(index=x, columns=series, values=ys[0], aggfunc="sum", sort=False)
            else:
                wide = df.groupby(x, sort=False)[ys].sum()
            wide = wide.fillna(0)
            stacked = a.get("type", "stacked") == "stacked" and series is not None
            horizontal = bool(a.get("swapXY"))
            k = len(wide.columns)
            positions = list(range(len(wide.index)))
            bottom = [0.0] * len(positions)
            width = 0.8 if stacked or k == 1 else 0.8 / k
            for j, col in enumerate(wide.columns):
                values = wide[col].astype(float).tolist()
                offs = positions if stacked or k == 1 else [p - 0.4 + width * (j + 0.5) for p in positions]
                name = str(col) if series else label(str(col))
                if horizontal:
                    bars = ax.barh(offs, values, height=width, left=bottom if stacked else None, label=name)
                else:
                    bars = ax.bar(offs, values, width=width, bottom=bottom if stacked else None, label=name)
                for bar in bars:
                    _mark(bar, n)
                    n += 1
                if stacked:
                    bottom = [b + v for b, v in zip(bottom, values, strict=False)]
            names = [fmt_value(i, x) if not isinstance(i, str) else i for i in wide.index]
            names = [html.unescape(s)[: 60 if horizontal else 28] for s in names]
            if horizontal:
                ax.set_yticks(positions, names)
                ax.invert_yaxis()
                ax.set_xlabel(label(ys[0]) if len(ys) == 1 and not series else "")
            else:
                ax.set_xticks(
                    positions, names, rotation=35 if len(names) > 5 else 0, ha="right" if len(names) > 5 else "center"
                )
                ax.set_ylabel(label(ys[0]) if len(ys) == 1 else "")
        if series or len(ys) > 1:
            ax.legend(
                fontsize=7,
                frameon=False,
                title=label(series) if series else None,
                bbox_to_anchor=(1.01, 1),
                loc="upper left",
            )
        value_axis = ax.xaxis if a.get("swapXY") else ax.yaxis
        if str(a.get("yFmt", "")).startswith("pct") or all(y.endswith(("_rate", "_share")) for y in ys):
            from matplotlib.ticker import PercentFormatter

            value_axis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        elif tag != "ScatterPlot":
            from matplotlib.ticker import StrMethodFormatter

            value_axis.set_major_formatter(StrMethodFormatter("{x:,.10g}"))
        ax.grid(axis="y" if not a.get("swapXY") else "x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
    if a.get("title"):
        ax.set_title(str(a["title"]), loc="left", fontsize=11)
    fig.tight_layout()
    return _svg(fig, chart_id)


# ----------------------------------------------------------------------------- rendering
class PageRun:
    """One page (or one instance of a templated page) being executed and rendered."""

    def __init__(self, site: Site, page: Page, params: dict[str, str]):
        self.site, self.page, self.params = site, page, params
        self.route = page.route
        for key, value in params.items():
            self.route = self.route.replace(f"[{key}]", value)
        self.frames: dict = {}
        self.errors: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self.charts = 0
        self.links: set[str] = set()

    # ---- paths
    def output_name(self) -> str:
        return "index.html" if self.route == "" else f"{self.route}.html"

    def href(self, target: str) -> str:
        """An Evidence absolute link (/influence/alex) as a path relative to this page."""
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            return target
        if not target.startswith("/"):
            return target
        path = target.strip("/")
        if path.startswith("plots/") or re.search(r"\.(png|svg|jpe?g|gif|csv|html)$", path, re.I):
            dest = path
        else:
            dest = "index.html" if path == "" else f"{path}.html"
            self.links.add("/" + path)
        depth = self.output_name().count("/")
        return "../" * depth + dest

    def raw_html(self, text: str) -> str:
        missing = []

        def fix(m):
            attr, target = m.group(1), m.group(2)
            if attr == "src" and target.startswith("/plots/"):
                name = target[len("/plots/") :]
                self.site.images_used.add(name)
                if not (self.site.plots_out / name).exists():
                    missing.append(name)
            return f'{attr}="{html.escape(self.href(target))}"'

        text = re.sub(r'\b(src|href)="([^"]+)"', fix, text)
        for name in missing:
            if any(self.site.plots_out.glob("*.png")):
                # The ML step ran and wrote plots, but not this one: a page and ML disagree on a name.
                text = self.problem(f"image /plots/{name} not found among the ML plots (<build>/ml/plots/)")
            else:
                self.site.empty.append(f"{self.where()}: no ML plots yet, /plots/{name} not shown")
                text = f'<div class="empty">Plot {html.escape(name)}: not available (the ML step wrote no plots).</div>'
        return text

    def where(self) -> str:
        return f"pages/{self.page.path.relative_to(self.site.reports_dir / 'pages').as_posix()}" + (
            f" ({', '.join(f'{k}={v}' for k, v in self.params.items())})" if self.params else ""
        )

    def problem(self, message: str) -> str:
        line = f"{self.where()}: {message}"
        if line not in self.site.problems:
            self.site.problems.append(line)
        return f'<div class="problem">{html.escape(message)}</div>'

    # ---- queries
    def substitute(self, sql: str, stack: tuple) -> str:
        def repl(m):
            expr = m.group(1).strip()
            if expr.startswith("params."):
                key = expr.split(".", 1)[1]
                if key not in self.params:
                    raise KeyError(f"unknown page parameter `{expr}`")
                return self.params[key].replace("'", "''")
            if expr.startswith("inputs."):
                parts = expr.split(".")
                return str(self.input_value(parts[1], stack)).replace("'", "''")
            if expr in self.page.queries:
                if expr in stack:
                    raise ValueError(f"query `{expr}` refers to itself")
                return f"({self.substitute(self.page.queries[expr], (*stack, expr))})"
            raise KeyError(f"`${{{expr}}}` names no query, input or parameter")

        return re.sub(r"\$\{([^}]+)\}", repl, sql)

    def input_value(self, name: str, stack: tuple) -> str:
        if name in self.inputs:
            return self.inputs[name]
        for block in self.page.blocks:
            if block[0] == "component" and block[1].tag == "Dropdown" and block[1].attrs.get("name") == name:
                comp = block[1]
                if comp.attrs.get("defaultValue") not in (None, True):
                    value = str(comp.attrs["defaultValue"])
                else:
                    ref = comp.attrs.get("data")
                    df = self.frame(ref[1], stack) if isinstance(ref, tuple) else None
                    col = comp.attrs.get("value")
                    if df is None or col not in df.columns:
                        raise KeyError(f"input `{name}` has no value (its query failed or lacks `{col}`)")
                    # No rows (a user without this data): an empty choice, so queries using it
                    # return no rows instead of failing.
                    value = str(df[col].iloc[0]) if not df.empty else ""
                self.inputs[name] = value
                return value
        raise KeyError(f"`inputs.{name}` names no <Dropdown name={name}>")

    def frame(self, name: str, stack: tuple = ()):
        if name in self.frames:
            return self.frames[name]
        if name in self.errors:
            return None
        if name not in self.page.queries:
            return None
        try:
            sql = self.substitute(self.page.queries[name], (*stack, name))
            df = self.site.con.sql(sql).df()
        except Exception as exc:
            self.errors[name] = str(exc).splitlines()[0]
            self.problem(f"query `{name}` failed: {self.errors[name]}")
            return None
        self.frames[name] = df
        if df.empty:
            self.site.empty.append(f"{self.where()}: query `{name}` returned no rows")
        return df

    def inline_expr(self, expr: str, original: str) -> str:
        expr = expr.strip()
        if expr.startswith("params."):
            return html.escape(self.params.get(expr.split(".", 1)[1], original))
        m = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", expr)
        if m and m.group(1) in self.page.queries:
            df = self.frame(m.group(1))
            if df is None or len(df) <= int(m.group(2)) or m.group(3) not in df.columns:
                return self.problem(f"`{{{expr}}}`: no such row or column")
            return fmt_value(df[m.group(3)].iloc[int(m.group(2))], m.group(3))
        return html.escape(original)

    # ---- components
    def component(self, comp: Component) -> str:
        if comp.tag not in COMPONENTS or comp.tag == "Column":
            return self.problem(f"line {comp.line}: unsupported component <{comp.tag}>")
        for child in comp.columns:
            if "__unknown__" in child:
                return self.problem(f"line {comp.line}: unsupported child <{child['__unknown__']}>")
        unknown = sorted(set(comp.attrs) - PROPS[comp.tag]) + sorted(
            {k for child in comp.columns for k in child} - PROPS["Column"]
        )
        if unknown:
            return self.problem(
                f"line {comp.line}: <{comp.tag}> has attribute(s) Evidence does not know: {', '.join(unknown)}"
            )
        ref = comp.attrs.get("data")
        if not isinstance(ref, tuple):
            return self.problem(f"line {comp.line}: <{comp.tag}> needs data={{query}}")
        name = ref[1]
        if name not in self.page.queries:
            return self.problem(f"line {comp.line}: <{comp.tag}> data={{{name}}} names no query on this page")
        df = self.frame(name)
        if df is None:
            return f'<div class="problem">{html.escape(f"<{comp.tag}>: query `{name}` failed")}</div>'
        wanted = []
        for attr in COLUMN_ATTRS.get(comp.tag, ()):
            wanted += [(attr, c) for c in _as_list(comp.attrs.get(attr)) if isinstance(c, str)]
        wanted += [("Column id", c.get("id")) for c in comp.columns]
        if comp.tag in CHARTS:
            required = ("x", "y", "value") if comp.tag == "Heatmap" else ("x", "y")
            for attr in required:
                if not comp.attrs.get(attr):
                    return self.problem(f"line {comp.line}: <{comp.tag}> needs {attr}=")
        missing = [f"{attr}={col}" for attr, col in wanted if col not in df.columns]
        if missing:
            return self.problem(
                f"line {comp.line}: <{comp.tag} data={{{name}}}> refers to column(s) the query does "
                f"not return: {', '.join(missing)} (it returns: {', '.join(df.columns)})"
            )
        if comp.tag == "DataTable" and comp.attrs.get("link"):
            self.site.link_tables.append(self.where())
        if df.empty and comp.tag != "Dropdown":
            return f'<div class="empty">{html.escape(comp.attrs.get("title") or label(name))}: no rows.</div>'
        return getattr(self, f"c_{comp.tag}")(comp, df)

    def c_BigValue(self, comp, df) -> str:
        col = comp.attrs["value"]
        title = comp.attrs.get("title") or label(col)
        return (
            f'<div class="bigvalue"><div class="bv-title">{html.escape(str(title))}</div>'
            f'<div class="bv-value">{fmt_value(df[col].iloc[0], col, comp.attrs.get("fmt"))}</div></div>'
        )

    def c_Value(self, comp, df) -> str:
        col = comp.attrs.get("column") or df.columns[0]
        row = int(comp.attrs.get("row", 0))
        return f'<span class="value">{fmt_value(df[col].iloc[row], col, comp.attrs.get("fmt"))}</span>'

    def c_Dropdown(self, comp, df) -> str:
        col = comp.attrs["value"]
        name = comp.attrs.get("name", col)
        chosen = self.input_value(name, ()) if not df.empty else ""
        options = "".join(
            f"<option{' selected' if str(v) == chosen else ''}>{fmt_value(v)}</option>"
            for v in df[col].drop_duplicates().tolist()[:500]
        )
        title = comp.attrs.get("title") or label(name)
        return (
            f'<label class="dropdown">{html.escape(str(title))}: <select disabled>{options}</select>'
            f' <span class="note">(static report: showing {html.escape(chosen)})</span></label>'
        )

    def c_DataTable(self, comp, df) -> str:
        cols = [(c["id"], c.get("title") or label(c["id"]), c.get("fmt")) for c in comp.columns] or [
            (c, label(c), None) for c in df.columns if c != comp.attrs.get("link")
        ]
        limit = (
            int(comp.attrs.get("rows", MAX_TABLE_ROWS)) if str(comp.attrs.get("rows", "")).isdigit() else MAX_TABLE_ROWS
        )
        link = comp.attrs.get("link")
        import pandas as pd

        numeric = {
            c
            for c, _, _ in cols
            if pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])
            and not (c == "id" or c.endswith("_id"))
        }
        head = "".join(f"<th{' class=num' if c in numeric else ''}>{html.escape(str(t))}</th>" for c, t, _ in cols)
        body = []
        for _, row in df.head(limit).iterrows():
            cells = []
            for j, (c, _, f) in enumerate(cols):
                text = fmt_value(row[c], c, f)
                if link and j == 0 and isinstance(row[link], str):
                    text = f'<a href="{html.escape(self.href(row[link]))}">{text}</a>'
                cells.append(f'<td class="num">{text}</td>' if c in numeric else f"<td>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = f'<p class="note">Showing {limit:,} of {len(df):,} rows.</p>' if len(df) > limit else ""
        title = comp.attrs.get("title")
        caption = f"<caption>{html.escape(str(title))}</caption>" if title else ""
        return (
            f'<div class="table-wrap"><table class="datatable">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{more}</div>"
        )

    def _chart(self, comp, df) -> str:
        self.charts += 1
        chart_id = f"c{self.charts}"
        try:
            svg = draw_chart(comp, df, chart_id)
        except Exception as exc:
            return self.problem(f"line {comp.line}: <{comp.tag}> could not be drawn: {exc}")
        return f'<figure class="chart" data-chart="{comp.tag}">{svg}</figure>'

    c_BarChart = c_LineChart = c_ScatterPlot = c_Heatmap = _chart

    # ---- page
    def render(self) -> str:
        parts = []
        for block in self.page.blocks:
            kind = block[0]
            if kind == "md":
                parts.append(markdown(block[1], self))
            elif kind == "code":
                parts.append(f"<pre>{html.escape(block[1])}</pre>")
            elif kind == "sql":
                df = self.frame(block[1])
                if df is None:
                    parts.append(self.problem(f"query `{block[1]}` failed: {self.errors.get(block[1])}"))
                parts.append(
                    f'<details class="sql"><summary>SQL: {html.escape(block[1])}</summary>'
                    f"<pre>{html.escape(block[2].strip())}</pre></details>"
                )
            else:
                parts.append(self.component(block[1]))
        return "\n".join(parts)


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2937;background:#fff}
header{background:#111827;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;flex-wrap:wrap;align-items:center}
header a{color:#e5e7eb;text-decoration:none}header a.current{color:#fff;font-weight:600;border-bottom:2px solid #60a5fa}
header .brand{font-weight:700;color:#fff}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.7rem;margin:.8rem 0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.2rem}
h3{font-size:1.05rem}
.bigvalue{display:inline-block;min-width:170px;margin:.4rem 1rem .4rem 0;padding:.6rem .9rem;border:1px solid #e5e7eb;border-radius:6px}
.bv-title{font-size:.8rem;color:#6b7280}.bv-value{font-size:1.6rem;font-weight:600}
.table-wrap{overflow-x:auto;margin:.6rem 0 1.2rem}
table.datatable{border-collapse:collapse;font-size:.85rem;min-width:50%}
table.datatable caption{text-align:left;font-weight:600;padding:.3rem 0}
table.datatable th{text-align:left;border-bottom:2px solid #d1d5db;padding:.3rem .6rem;cursor:pointer;white-space:nowrap}
table.datatable td{border-bottom:1px solid #f0f0f0;padding:.25rem .6rem}
table.datatable td.num,table.datatable th.num{text-align:right;font-variant-numeric:tabular-nums}
figure.chart{margin:.8rem 0 1.4rem}figure.chart svg{width:100%;max-width:900px;height:auto}
img{max-width:100%}
.problem{background:#fee2e2;border:1px solid #ef4444;color:#991b1b;padding:.5rem .8rem;border-radius:4px;margin:.5rem 0}
.empty{color:#6b7280;font-style:italic;margin:.5rem 0}
.note{color:#6b7280;font-size:.8rem}
details.sql{margin:.2rem 0;font-size:.8rem;color:#6b7280}details.sql pre{background:#f9fafb;padding:.5rem;overflow-x:auto}
code{background:#f3f4f6;padding:0 .2rem;border-radius:3px}
footer{color:#9ca3af;font-size:.75rem;text-align:center;padding:1rem}
"""  # noqa: E501  (minified CSS, one rule set per line)

# Inline and offline: records script errors (the browser test reads them) and sorts tables.
SCRIPT_HEAD = """window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));
document.documentElement.setAttribute('data-js-errors',window.__errors.join(' | '));});"""
SCRIPT_BODY = """document.querySelectorAll('table.datatable th').forEach(function(th,i){th.addEventListener('click',function(){
var tb=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(tb.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
var key=function(r){var t=r.cells[i].innerText.replace(/[,%]/g,'');var n=parseFloat(t);return isNaN(n)?t:n;};
rows.sort(function(a,b){var x=key(a),y=key(b);return (x>y?1:x<y?-1:0)*(asc?1:-1);});rows.forEach(function(r){tb.appendChild(r);});});});
document.documentElement.setAttribute('data-rendered','1');"""  # noqa: E501  (minified script)


def page_html(run: PageRun, body: str, nav: list[tuple[str, str]]) -> str:
    links = []
    for route, title in nav:
        current = ' class="current"' if run.route.split("/")[0] == route.split("/")[0] else ""
        links.append(f'<a{current} href="{html.escape(run.href("/" + route))}">{html.escape(title)}</a>')
    title = run.page.title
    for key, value in run.params.items():
        title = title.replace(f"{{params.{key}}}", value)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(title)} · TikTok warehouse</title>
<script>{SCRIPT_HEAD}</script>
<style>{STYLE}</style></head>
<body><header><span class="brand">TikTok warehouse</span>{"".join(links)}</header>
<main>
{body}
</main>
<footer>Static rendering of the Evidence pages in reports/ (scripts/render_reports.py).</footer>
<script>{SCRIPT_BODY}</script>
</body></html>
"""


@dataclass
class Site:
    reports_dir: Path
    con: object
    problems: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    images_used: set = field(default_factory=set)
    link_tables: list = field(default_factory=list)  # pages with a DataTable link= column
    plots_out: Path = Path("plots")
    written: list[str] = field(default_factory=list)


def render_site(db: Path, out: Path, reports_dir: Path = REPORTS, plots_dir: Path | None = None) -> Site:
    """Render every page into `out`; return the Site with its problems (nothing raises)."""
    db, out = Path(db), Path(out)
    if not db.exists():
        raise FileNotFoundError(f"no warehouse file at {db}: run the build first")
    pages = load_pages(reports_dir)
    con, source_problems = open_sources(db, reports_dir)
    site = Site(reports_dir=reports_dir, con=con, problems=list(source_problems))
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    nav = [(p.route, p.title) for p in pages if not p.param and p.route.count("/") == 0]
    nav.sort(key=lambda item: (item[0] != "", item[0]))
    runs = []
    site.plots_out = tmp / "plots"
    site.plots_out.mkdir()
    if plots_dir and Path(plots_dir).is_dir():
        for png in sorted(Path(plots_dir).glob("*.png")):
            shutil.copyfile(png, site.plots_out / png.name)
    try:
        for page in [p for p in pages if not p.param]:
            run = PageRun(site, page, {})
            runs.append((run, run.render()))
        for page in [p for p in pages if p.param]:
            pattern = "^/" + re.escape(page.route).replace(re.escape(f"[{page.param}]"), "([^/]+)") + "/?$"
            values = sorted({m.group(1) for r, _ in runs for link in r.links if (m := re.match(pattern, link))})
            where = f"pages/{page.path.relative_to(reports_dir / 'pages').as_posix()}"
            if not values and site.link_tables:
                site.empty.append(f"{where}: the tables linking to it have no rows, so it renders nothing")
            elif not values:
                site.problems.append(
                    f"{where}: templated page is linked from no page (no DataTable link= column gives "
                    "a value), so it renders nothing"
                )
            for value in values:
                run = PageRun(site, page, {page.param: value})
                runs.append((run, run.render()))
        for run, body in runs:
            target = tmp / run.output_name()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_html(run, body, nav), encoding="utf-8")
            site.written.append(run.output_name())
    finally:
        con.close()
    # Keep screenshots a test saved from an earlier run out of the way; replace the site whole.
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return site


def default_paths() -> tuple[Path, Path, Path]:
    build = Path(os.environ.get("TIKTOK_BUILD_DIR", REPO / "build")).resolve()
    published = Path(os.environ.get("TIKTOK_WAREHOUSE", REPO / "warehouse.duckdb")).resolve()
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
