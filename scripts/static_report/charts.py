"""Charts as inline SVG drawn by matplotlib: same data, same bytes (fixed hash salt, no date).

Each data mark is tagged `<g id="cN-mark-K">` so the browser test can tell a chart that drew
something from an empty frame.
"""

from __future__ import annotations

import hashlib
import io
import math
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.ticker import FuncFormatter, PercentFormatter, StrMethodFormatter

from .formatting import default_format, fmt_value, label

# Evidence's default palette, reordered so neighbouring series contrast.
PALETTE = "#236aa4 #f4b548 #46a485 #8f3d56 #45a1bf #d2c6ac #71b9f4 #85c7c6 #a5cdee #8dacbf #e15759 #9c755f".split()
HEAT = ["#feea9f", "#da4229"]  # Evidence's Heatmap colours, low to high
STYLE = {
    "svg.hashsalt": "tiktok-warehouse-reports",
    "svg.fonttype": "none",  # text stays text: smaller files, selectable labels
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": plt.cycler(color=PALETTE),
}
WIDTH = 9.0  # inches; the page scales the SVG to its column
MAX_CATEGORY_LABELS = 30


def truthy(value) -> bool:
    return value is True or str(value).lower() == "true"


def as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


ID = re.compile(r'\bid="([^"]+)"')
ID_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def draw(tag: str, attrs: dict, df: pd.DataFrame, chart_id: str) -> str:
    with io.StringIO() as raw, io.StringIO() as out:
        _plot(tag, attrs, df, raw)
        _inline(raw, out, chart_id)
        return out.getvalue()


def draw_file(tag: str, attrs: dict, df: pd.DataFrame, chart_id: str, path: Path) -> None:
    """draw() into a file, a line at a time: a chart of many points is a large SVG, and its text
    is never whole in memory."""
    raw_path = path.with_suffix(".raw")
    try:
        with open(raw_path, "w+", encoding="utf-8", newline="") as raw:
            _plot(tag, attrs, df, raw)
            with open(path, "w", encoding="utf-8", newline="") as out:
                _inline(raw, out, chart_id)
    finally:
        raw_path.unlink(missing_ok=True)


def _plot(tag: str, attrs: dict, df: pd.DataFrame, raw) -> None:
    with plt.rc_context(STYLE):
        fig = DRAW[tag](attrs, df)
        try:
            fig.savefig(raw, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None})
        finally:
            plt.close(fig)


def _inline(raw, out, chart_id: str) -> None:
    """matplotlib's SVG (in `raw`) as an element of an HTML page, written to `out`."""
    # Several charts share one HTML document: prefix ids so references stay inside each chart.
    raw.seek(0)
    ids = {found for line in raw for found in ID.findall(line)}
    raw.seek(0)
    lines = iter(raw)
    for line in lines:
        if "<svg" in line:  # after the XML declaration and doctype
            svg = _prefixed(line[line.index("<svg") :], chart_id, ids)
            out.write(svg.replace("<svg ", f'<svg class="chart-svg" data-chart-id="{chart_id}" ', 1))
            break
    for line in lines:
        out.write(_prefixed(line, chart_id, ids))


def _prefixed(text: str, chart_id: str, ids: set[str]) -> str:
    text = ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', text)
    return ID_REF.sub(lambda m: m.group(1) + (f"{chart_id}-{m.group(2)}" if m.group(2) in ids else m.group(2)), text)


class ChartQueue:
    """Charts are drawn while the pages run: a page holds a placeholder per chart, and every
    CHART_BATCH charts go to a fresh fork of this process (matplotlib's text layout is most of a
    report's time), up to one per core at once. A batch's frames are let go once it is drawn, so
    memory holds a few batches, not every chart of the site.

    matplotlib's output depends slightly on what the process drew before (a 0 or a -0 in a path),
    so each batch is drawn in a fork of a process that never draws: the bytes depend on the data
    only, not on the number of cores or on timing.

    With a `cache` folder, a chart whose key (chart_key: what it draws and the code that draws
    it) was drawn by an earlier render is copied from there instead: after one new export, only
    the new account's charts and those whose data changed are drawn again. prune() keeps the
    charts of the last render only."""

    def __init__(self, folder: Path, cache: Path | None = None) -> None:
        self.folder = folder  # chart N is drawn into N.svg there
        self.cache = cache
        self.count = 0
        self.drawn_count = 0  # charts drawn by this queue (the others came from the cache)
        self.batch: list[tuple[tuple[str, dict, pd.DataFrame, str], int, str | None]] = []
        self.running: dict = {}  # the pipe from each drawing process -> (process, its jobs' indexes and keys)
        self.results: dict[int, Exception | None] = {}  # drawn (None) or failed, not yet taken
        self.used: set[str] = set()  # cache keys of this render's charts
        self.forks = "fork" in multiprocessing.get_all_start_methods()

    def add(self, tag: str, attrs: dict, df: pd.DataFrame, chart_id: str) -> str:
        index = self.count
        self.count += 1
        key = chart_key(tag, attrs, df, chart_id) if self.cache is not None else None
        if key is not None:
            self.used.add(key)
            if (self.cache / f"{key}.svg").exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                _link_or_copy(self.cache / f"{key}.svg", self.folder / f"{index}.svg")
                self.results[index] = None
                return f"<!--chart:{index}-->"
        self.batch.append(((tag, attrs, df, chart_id), index, key))
        if len(self.batch) == CHART_BATCH:
            self._start()
        return f"<!--chart:{index}-->"

    def flush(self) -> None:
        """Start drawing the charts added so far, though fewer than a batch."""
        self._start()

    def _start(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.drawn_count += len(batch)
        jobs = [(job, self.folder / f"{index}.svg") for job, index, _ in batch]
        if not self.forks:
            self._keep(batch, _draw_jobs(jobs))
            return
        while len(self.running) >= (os.cpu_count() or 1):
            self._collect()
        receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        # fork: the child inherits the jobs (no pickling of the frames) and the imported matplotlib
        proc = multiprocessing.get_context("fork").Process(target=_draw_batch, args=(jobs, send), daemon=True)
        proc.start()
        send.close()
        self.running[receive] = (proc, [(index, key) for _, index, key in batch])

    def _keep(self, batch: list, results: list[Exception | None]) -> None:
        """The results of a drawn batch; each chart drawn is kept in the cache too."""
        for (_, index, key), result in zip(batch, results, strict=True):
            self.results[index] = result
            if result is None and key is not None:
                # a whole file or none: a render stopped midway leaves no truncated chart
                part = self.cache / f".{key}.svg.partial"
                part.unlink(missing_ok=True)
                _link_or_copy(self.folder / f"{index}.svg", part)
                os.replace(part, self.cache / f"{key}.svg")

    def _collect(self, timeout: float | None = None) -> None:
        """Keep the SVGs of the drawing processes that have finished (waiting for one, unless a
        timeout says how long to wait)."""
        for receive in multiprocessing.connection.wait(list(self.running), timeout):
            proc, charts = self.running.pop(receive)
            try:
                svgs = receive.recv()
            except EOFError:  # killed (out of memory?): its charts are problems on their pages
                svgs = None
            receive.close()
            proc.join()
            if svgs is None:
                svgs = [RuntimeError(f"the drawing process exited with code {proc.exitcode}")] * len(charts)
            self._keep([(None, index, key) for index, key in charts], svgs)

    def drawn(self, wait: bool = False) -> dict[int, Exception | None]:
        """The charts drawn and not yet taken: every one queued when `wait`, else those ready."""
        if wait:
            self._start()
            while self.running:
                self._collect()
        elif self.running:
            self._collect(timeout=0)
        return self.results

    def take(self, index: int) -> Path | Exception:
        """Chart `index`'s SVG file (the caller removes it), or the exception that stopped it."""
        return self.results.pop(index) or self.folder / f"{index}.svg"

    def prune(self) -> None:
        """Remove the cached charts this render did not show (after a complete render)."""
        if self.cache is None:
            return
        for path in self.cache.iterdir():
            # and what a render killed midway left half-written
            if path.suffix != ".svg" or path.stem not in self.used:
                path.unlink(missing_ok=True)


CHART_BATCH = 6
# What draws a chart besides its data: this package's code (the pages' HTML is rendered anew
# on every run) and matplotlib's version. A change to either draws every chart again.
CODE_VERSION = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py"))) + matplotlib.__version__.encode()
).hexdigest()


def chart_key(tag: str, attrs: dict, df: pd.DataFrame, chart_id: str) -> str | None:
    """What a chart draws, as a hash: the component, its props, its id on the page and its data
    (column names, types and every value). None when a value cannot be hashed (not cached)."""
    try:
        rows = pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()
    except TypeError:
        return None
    digest = hashlib.sha256(CODE_VERSION.encode())
    for part in (tag, repr(sorted(attrs.items(), key=lambda kv: kv[0])), chart_id, repr(list(df.columns))):
        digest.update(part.encode() + b"\0")
    digest.update(repr([str(t) for t in df.dtypes]).encode() + b"\0" + str(len(df)).encode() + b"\0" + rows)
    return digest.hexdigest()


def _link_or_copy(src: Path, dst: Path) -> None:
    """A second name for a drawn chart (the page writer removes its own name once the chart is in
    the page); a copy where the two folders are on different file systems."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _draw_batch(jobs: list, send) -> None:
    send.send(_draw_jobs(jobs))
    send.close()


def _draw_jobs(jobs: list) -> list[Exception | None]:
    results = []
    for job, path in jobs:
        try:
            draw_file(*job, path)
            results.append(None)
        except Exception as exc:  # odd data must not stop the build: the page shows the problem
            results.append(RuntimeError(str(exc)))
    return results


PLACEHOLDER = re.compile(r"<!--chart:(\d+)-->")


def _mark(artist, n: int) -> None:
    artist.set_gid(f"mark-{n}")


def _value_format(axis, ys: list[str], fmt) -> None:
    if fmt:
        axis.set_major_formatter(FuncFormatter(lambda v, _: fmt_value(v, "", fmt)))
    elif all(default_format(y) for y in ys):
        axis.set_major_formatter(PercentFormatter(1.0, decimals=None))
    else:
        axis.set_major_formatter(StrMethodFormatter("{x:,.10g}"))


def _legend(ax, title: str | None) -> None:
    ax.legend(fontsize=7, frameon=False, title=title, bbox_to_anchor=(1.01, 1), loc="upper left")


def _dates(index) -> pd.DatetimeIndex | None:
    """The index as dates when it holds dates (DuckDB gives datetime64 or datetime.date)."""
    if pd.api.types.is_datetime64_any_dtype(index):
        return pd.DatetimeIndex(index)
    if len(index) and all(hasattr(v, "strftime") for v in index):
        return pd.DatetimeIndex(pd.to_datetime(list(index)))
    return None


def _date_axis(axis) -> None:
    locator = mdates.AutoDateLocator()
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _wide(df: pd.DataFrame, x: str, ys: list[str], series: str | None, sort: bool) -> pd.DataFrame:
    """One column per series (or per y), one row per x value, summed."""
    if series:
        return df.pivot_table(index=x, columns=series, values=ys[0], aggfunc="sum", sort=sort)
    return df.groupby(x, sort=sort)[ys].sum()


def bar_chart(a: dict, df: pd.DataFrame):
    x, ys, series = a["x"], as_list(a["y"]), a.get("series")
    horizontal = truthy(a.get("swapXY"))
    wide = _wide(df, x, ys, series, sort=False).fillna(0)
    dates = None if horizontal else _dates(wide.index)
    if dates is not None:  # a time axis, as Evidence draws one: days without rows stay gaps
        wide = wide.set_axis(dates).sort_index()
        positions = mdates.date2num(wide.index)
        step = float(np.min(np.diff(positions))) if len(positions) > 1 else 1.0
    else:
        positions, step = np.arange(len(wide.index), dtype=float), 1.0
    height = min(9.0, max(1.6, 0.42 * len(wide) + 1.0)) if horizontal else 3.8
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    stacked = a.get("type", "stacked") == "stacked" and series is not None
    k = len(wide.columns)
    width = step * (0.8 if stacked or k == 1 else 0.8 / k)
    base = np.zeros(len(positions))
    n = 0
    for j, col in enumerate(wide.columns):
        values = wide[col].astype(float).to_numpy()
        offs = positions if stacked or k == 1 else positions - 0.4 * step + width * (j + 0.5)
        name = str(col) if series else label(str(col))
        if horizontal:
            bars = ax.barh(offs, values, height=width, left=base if stacked else None, label=name)
        else:
            bars = ax.bar(offs, values, width=width, bottom=base if stacked else None, label=name)
        for bar in bars:
            _mark(bar, n)
            n += 1
        if stacked:
            base = base + values
    value_title = label(ys[0]) if len(ys) == 1 else ""
    if dates is not None:
        _date_axis(ax.xaxis)
    else:
        names = [v if isinstance(v, str) else fmt_value(v, x) for v in wide.index]
        every = max(1, math.ceil(len(names) / MAX_CATEGORY_LABELS)) if not horizontal else 1
        ticks, names = positions[::every], [s[: 60 if horizontal else 28] for s in names[::every]]
        if horizontal:
            ax.set_yticks(ticks, names)
            ax.invert_yaxis()
        else:
            tilt = len(names) > 5
            ax.set_xticks(ticks, names, rotation=35 if tilt else 0, ha="right" if tilt else "center")
    (ax.set_xlabel if horizontal else ax.set_ylabel)(value_title)  # the tick labels name the categories
    if series or len(ys) > 1:
        _legend(ax, label(series) if series else None)
    _value_format(ax.xaxis if horizontal else ax.yaxis, ys, a.get("yFmt"))
    ax.grid(axis="x" if horizontal else "y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def line_chart(a: dict, df: pd.DataFrame):
    x, ys, series = a["x"], as_list(a["y"]), a.get("series")
    wide = _wide(df, x, ys, series, sort=True)
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8))
    dates = _dates(wide.index)
    if dates is not None:
        wide = wide.set_axis(dates)
    for n, col in enumerate(wide.columns):
        (line,) = ax.plot(
            wide.index,
            wide[col],
            marker="o" if len(wide) <= 40 else None,
            markersize=3,
            linewidth=1.6,
            label=str(col) if series else label(str(col)),
        )
        _mark(line, n)
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(ys[0]) if len(ys) == 1 else "")
    if dates is not None:
        _date_axis(ax.xaxis)
    if series or len(ys) > 1:
        _legend(ax, label(series) if series else None)
    _value_format(ax.yaxis, ys, a.get("yFmt"))
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def scatter_plot(a: dict, df: pd.DataFrame):
    x, y, series = a["x"], as_list(a["y"])[0], a.get("series")
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8))
    groups = df.groupby(series, sort=False) if series else [(None, df)]
    for n, (key, part) in enumerate(groups):
        _mark(ax.scatter(part[x], part[y], s=18, alpha=0.75, label=None if key is None else str(key)), n)
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(y))
    if series:
        _legend(ax, label(series))
    if a.get("yFmt"):
        _value_format(ax.yaxis, [y], a["yFmt"])
    ax.grid(color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def _axis_values(df: pd.DataFrame, column: str, sort_by, order) -> list:
    """Evidence's Heatmap axes: values in the query's order, or sorted by another column."""
    if not sort_by:
        return df[column].drop_duplicates().tolist()
    keys = df.groupby(column, sort=False)[sort_by].min()
    return keys.sort_values(ascending=order != "desc", kind="stable").index.tolist()


def heatmap(a: dict, df: pd.DataFrame):
    x, y, v = a["x"], a["y"], a["value"]
    for column in (x, y):
        if _dates(df[column].dropna()) is not None:
            # Evidence's Heatmap refuses dates; failing here keeps both renderings alike.
            raise ValueError(f"`{column}` holds dates: cast it to a string in the query (Evidence requires that)")
    data = df.dropna(subset=[x, y])
    xs = _axis_values(data, x, a.get("xSort"), a.get("xSortOrder"))
    ys = _axis_values(data, y, a.get("ySort"), a.get("ySortOrder"))
    grid = data.groupby([y, x], sort=False)[v].sum(min_count=1).unstack(x).reindex(index=ys, columns=xs)
    cells = grid.to_numpy(dtype=float)
    if a.get("nullsZero") is None or truthy(a.get("nullsZero")):
        cells = np.nan_to_num(cells, nan=0.0)  # Evidence's default: a missing cell is a zero
    fmt = a.get("valueFmt")
    low = float(a["min"]) if a.get("min") is not None else float(np.nanmin(cells)) if np.isfinite(cells).any() else 0
    high = float(a["max"]) if a.get("max") is not None else float(np.nanmax(cells)) if np.isfinite(cells).any() else 1
    norm = Normalize(low, high if high > low else low + 1)
    cmap = LinearSegmentedColormap.from_list("heat", as_list(a.get("colorPalette")) or HEAT).with_extremes(
        bad="#f3f4f6"
    )
    rows, cols = cells.shape
    cell = 0.32  # inches per row, about Evidence's 30 px cells
    fig, ax = plt.subplots(figsize=(WIDTH, max(1.6, rows * cell + 1.1)))
    mesh = ax.pcolormesh(cells, cmap=cmap, norm=norm, edgecolors="#9ca3af", linewidth=0.3)
    _mark(mesh, 0)
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)  # first value on top
    names_x = [v if isinstance(v, str) else fmt_value(v, x) for v in xs]
    tilt = max(map(len, names_x), default=0) * 5.6 > WIDTH * 0.8 * 72 / max(cols, 1)  # 9 pt text
    ax.set_xticks(np.arange(cols) + 0.5, names_x, rotation=45 if tilt else 0, ha="left" if tilt else "center")
    ax.set_yticks(np.arange(rows) + 0.5, [v if isinstance(v, str) else fmt_value(v, y) for v in ys])
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    if a.get("xAxisPosition", "top") == "top":
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
    ax.set_xlabel(label(x), labelpad=6)
    ax.set_ylabel(label(y))
    if a.get("valueLabels") is None or truthy(a.get("valueLabels")):
        _cell_labels(ax, fig, cells, cmap, norm, v, fmt, a.get("zeroDisplay", "\u2014"))
    if a.get("legend") is None or truthy(a.get("legend")):
        bar = fig.colorbar(mesh, ax=ax, fraction=0.025, pad=0.01)
        _value_format(bar.ax.yaxis, [v], fmt)
        bar.outline.set_visible(False)
    return fig


def _cell_labels(ax, fig, cells, cmap, norm, column, fmt, zero) -> None:
    """Each cell's value, at the largest size that fits every cell (none when too small to read)."""
    texts = [["" if np.isnan(c) else zero if c == 0 else fmt_value(c, column, fmt) for c in row] for row in cells]
    longest = max((len(t) for row in texts for t in row), default=0)
    if not longest:
        return
    cell_width = WIDTH * 0.8 * 72 / cells.shape[1]  # points, the axes take about 80% of the width
    size = min(8.0, cell_width / (0.62 * longest + 0.6), 0.32 * 72 * 0.55)
    if size < 5:
        return
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if text:
                red, green, blue, _ = cmap(norm(cells[r, c]))
                dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.55
                ax.text(
                    c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=size, color="white" if dark else "#222"
                )


DRAW = {"BarChart": bar_chart, "LineChart": line_chart, "ScatterPlot": scatter_plot, "Heatmap": heatmap}
