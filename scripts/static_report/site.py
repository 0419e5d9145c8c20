"""Running the pages against the warehouse and writing the site."""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from markdown_it.renderer import RendererHTML
from markupsafe import Markup

from . import charts, components
from .components import HTML, TEMPLATES
from .formatting import fmt_value
from .pages import MD, SOURCE_NAME, SOURCE_REF, Page, load_pages, source_queries

PAGE = TEMPLATES.get_template("page.html")
ASSET = re.compile(r"\.(png|svg|jpe?g|gif|csv|html)$", re.I)
BODY = "\x00body\x00"  # where a page's body goes in its shell
RELATION_REF = re.compile(r"\b(?:from|join)\s+\"?(\w+)\"?\.\"?(\w+)\"?", re.I)  # schema.table after from/join
SOURCE_FILE = "report_sources"  # the catalog (file) holding the materialised sources
SOURCES_MEMORY = "256MB"  # DuckDB spills past it to a temporary directory next to its file


def open_sources(scratch: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB file in `scratch` to hold `warehouse.<name>` for each source query a page reads
    (as Evidence's `sources` step does): load_sources fills it.

    A file and a memory limit rather than an in-memory database: at scale some sources are big
    tables, and the report's memory must not grow with them (the pages read them by account)."""
    scratch.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(scratch / f"{SOURCE_FILE}.duckdb"))
    con.execute(f"set memory_limit = '{SOURCES_MEMORY}'")
    con.execute(f"create schema {SOURCE_FILE}.{SOURCE_NAME}")
    con.execute(f"use {SOURCE_FILE}")
    return con


def load_sources(con: duckdb.DuckDBPyConnection, db: Path, queries: dict[str, str], names: set[str]) -> list[str]:
    """Run the source queries `names` against the warehouse file, attached read-only for just
    this long: while the pages are drawn the report holds no connection to it, so the build can
    write the relations that come later. Returns the problems (a query that failed)."""
    problems = []
    con.execute(f"attach '{db.as_posix()}' as wh_file (read_only)")
    try:
        for name in sorted(names):
            con.execute("use wh_file")  # source queries name the warehouse's schemas, as Evidence's do
            try:
                con.execute(f'create table {SOURCE_FILE}.{SOURCE_NAME}."{name}" as {queries[name].strip().rstrip(";")}')
            except duckdb.Error as exc:
                problems.append(f"sources/{SOURCE_NAME}/{name}.sql: {str(exc).splitlines()[0]}")
            finally:
                con.execute(f"use {SOURCE_FILE}")
    finally:
        con.execute("detach wh_file")
    return problems


def reads_any(sql: str, relations: frozenset[str]) -> bool:
    """Whether a source query names one of `relations` (schema.table, as the sources write them)."""
    named = {f"{m.group(1)}.{m.group(2)}".lower() for m in RELATION_REF.finditer(sql)}
    return bool(named & relations)


@dataclass(frozen=True)
class Later:
    """Relations the build writes while the report runs (the scored marts, after the ML step).
    The pages that read none of them (nor an ML plot) are drawn first; `released` is called once
    the report holds no connection to the warehouse, and `resume` blocks until those relations
    are written (False: the build stopped, and so does the report)."""

    relations: frozenset[str]
    released: Callable[[], None]
    resume: Callable[[], bool]


class ReportStopped(Exception):
    """The build stopped before the relations the report waited for were written."""


class PageRenderer(RendererHTML):
    """markdown-it's HTML renderer, with the page run (env["run"]) drawing the Evidence parts."""

    def front_matter(self, tokens, idx, options, env):
        return ""

    def fence(self, tokens, idx, options, env):
        info = tokens[idx].info.split()
        if info[:1] == ["sql"] and len(info) > 1:
            return env["run"].sql_block(info[1], tokens[idx].content)
        return super().fence(tokens, idx, options, env)

    def evidence_component(self, tokens, idx, options, env):
        return env["run"].component(tokens[idx].meta["component"]) + "\n"

    def evidence_expr(self, tokens, idx, options, env):
        return env["run"].expression(tokens[idx].content)

    def link_open(self, tokens, idx, options, env):
        attrs = {**tokens[idx].attrs, "href": env["run"].href(str(tokens[idx].attrs["href"]))}
        return "<a" + "".join(f' {k}="{html.escape(str(v))}"' for k, v in attrs.items()) + ">"

    def html_block(self, tokens, idx, options, env):
        return env["run"].raw_html(tokens[idx].content)

    def html_inline(self, tokens, idx, options, env):
        content = tokens[idx].content
        if re.match(r"</?[A-Z]", content):
            return env["run"].problem(f"{content}: a component must start its own line")
        return env["run"].raw_html(content)


RENDERER = PageRenderer()


@dataclass
class Site:
    reports_dir: Path
    con: duckdb.DuckDBPyConnection
    plots_out: Path
    charts: charts.ChartQueue
    problems: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    link_tables: list[str] = field(default_factory=list)  # pages with a DataTable link= column
    written: list[str] = field(default_factory=list)
    chart_origins: dict[int, tuple[PageRun, components.Component]] = field(default_factory=dict)
    chart_problems: dict[int, str] = field(default_factory=dict)  # listed after the pages' own
    waiting: list[tuple[PageRun, str, str]] = field(default_factory=list)  # (run, body, title)

    def write_chart(self, index: int, out) -> None:
        """A drawn chart's SVG, or the problem that stopped it (noted on its page), into `out`."""
        result, (run, comp) = self.charts.take(index), self.chart_origins.pop(index)
        if isinstance(result, Exception):
            message = f"line {comp.line}: <{comp.tag}> could not be drawn: {result}"
            self.chart_problems[index] = f"{run.where()}: {message}"
            out.write(HTML.problem(message))
            return
        with open(result, encoding="utf-8", newline="") as svg:
            shutil.copyfileobj(svg, out)
        result.unlink()

    def write_ready(self, out: Path, nav: list[tuple[str, str]], wait: bool = False) -> None:
        """Write the rendered pages whose charts are all drawn (every page when `wait`): a page's
        text and SVGs are let go once it is on disk."""
        drawn = self.charts.drawn(wait)
        still = []
        for run, body, title in self.waiting:
            if not all(i in drawn for i in run.chart_indexes):
                still.append((run, body, title))
                continue
            head, tail = page_html(run, BODY, nav, title).split(BODY)
            target = out / run.output_name()
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8") as page:
                # A piece at a time: the page text with its charts is never whole in memory.
                page.write(head)
                done = 0
                for m in charts.PLACEHOLDER.finditer(body):
                    page.write(body[done : m.start()])
                    self.write_chart(int(m.group(1)), page)
                    done = m.end()
                page.write(body[done:])
                page.write(tail)
        self.waiting = still


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
        self.chart_indexes: list[int] = []  # in the site's chart queue
        self.links: set[str] = set()

    # ---- paths and problems
    def output_name(self) -> str:
        return "index.html" if self.route == "" else f"{self.route}.html"

    def href(self, target: str) -> str:
        """An Evidence absolute link (/influence/alex) as a path relative to this page."""
        if not target.startswith("/"):
            return target  # relative, external (https:) or an anchor
        path = target.strip("/")
        if path.startswith("plots/") or ASSET.search(path):
            dest = path
        else:
            dest = "index.html" if path == "" else f"{path}.html"
            self.links.add("/" + path)
        return "../" * self.output_name().count("/") + dest

    def where(self) -> str:
        rel = self.page.path.relative_to(self.site.reports_dir / "pages").as_posix()
        params = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"pages/{rel}" + (f" ({params})" if params else "")

    def problem(self, message: str) -> str:
        line = f"{self.where()}: {message}"
        if line not in self.site.problems:
            self.site.problems.append(line)
        return HTML.problem(message)

    def next_chart_id(self) -> str:
        self.charts += 1
        return f"c{self.charts}"

    def defer_chart(self, comp, df) -> str:
        placeholder = self.site.charts.add(comp.tag, comp.attrs, df, self.next_chart_id())
        self.chart_indexes.append(self.site.charts.count - 1)
        self.site.chart_origins[self.chart_indexes[-1]] = (self, comp)
        return placeholder

    def raw_html(self, text: str) -> str:
        """Plain HTML (an <img> of an ML plot): absolute paths made relative, plots checked."""
        missing = []

        def fix(m):
            attr, target = m.group(1), m.group(2)
            if attr == "src" and target.startswith("/plots/") and not (self.site.plots_out / target[7:]).exists():
                missing.append(target[7:])
            return f'{attr}="{html.escape(self.href(target))}"'

        text = re.sub(r'\b(src|href)="([^"]+)"', fix, text)
        if missing and any(self.site.plots_out.glob("*.png")):
            # The ML step ran and wrote plots, but not these: a page and the ML step disagree on a name.
            return "".join(
                self.problem(f"image /plots/{n} not found among the ML plots (<build>/ml/plots/)") for n in missing
            )
        for name in missing:
            self.site.empty.append(f"{self.where()}: no ML plots yet, /plots/{name} not shown")
        if missing:
            return "".join(HTML.empty(f"Plot {n}: not available (the ML step wrote no plots).") for n in missing)
        return text

    # ---- queries
    def substitute(self, sql: str, stack: tuple) -> str:
        def repl(m):
            expr = m.group(1).strip()
            if expr.startswith("params."):
                key = expr.split(".", 1)[1]
                if key not in self.params:
                    raise LookupError(f"unknown page parameter `{expr}`")
                return self.params[key].replace("'", "''")
            if expr.startswith("inputs."):
                return str(self.input_value(expr.split(".")[1], stack)).replace("'", "''")
            if expr in self.page.queries:
                if expr in stack:
                    raise ValueError(f"query `{expr}` refers to itself")
                return f"({self.substitute(self.page.queries[expr], (*stack, expr))})"
            raise LookupError(f"`${{{expr}}}` names no query, input or parameter")

        return re.sub(r"\$\{([^}]+)\}", repl, sql)

    def input_value(self, name: str, stack: tuple) -> str:
        if name in self.inputs:
            return self.inputs[name]
        for comp in self.page.components:
            if comp.tag == "Dropdown" and comp.attrs.get("name") == name:
                if comp.attrs.get("defaultValue") not in (None, True):
                    value = str(comp.attrs["defaultValue"])
                else:
                    ref, col = comp.attrs.get("data"), comp.attrs.get("value")
                    df = self.frame(ref.name, stack) if isinstance(ref, components.Ref) else None
                    if df is None or col not in df.columns:
                        raise LookupError(f"input `{name}` has no value (its query failed or lacks `{col}`)")
                    # No rows (a user without this data): an empty choice, so queries using it
                    # return no rows instead of failing.
                    value = str(df[col].iloc[0]) if not df.empty else ""
                self.inputs[name] = value
                return value
        raise LookupError(f"`inputs.{name}` names no <Dropdown name={name}>")

    def frame(self, name: str, stack: tuple = ()):
        """The result of the page's query `name` (run once), or None when it failed."""
        if name in self.frames or name in self.errors or name not in self.page.queries:
            return self.frames.get(name)
        try:
            df = self.site.con.sql(self.substitute(self.page.queries[name], (*stack, name))).df()
        except (duckdb.Error, LookupError, ValueError) as exc:
            self.errors[name] = str(exc).splitlines()[0]
            self.problem(f"query `{name}` failed: {self.errors[name]}")
            return None
        self.frames[name] = df
        if df.empty:
            self.site.empty.append(f"{self.where()}: query `{name}` returned no rows")
        return df

    # ---- the Evidence parts of a page
    def sql_block(self, name: str, sql: str) -> str:
        failed = self.frame(name) is None
        box = self.problem(f"query `{name}` failed: {self.errors.get(name)}") if failed else ""
        return box + HTML.sql(name, sql.strip()) + "\n"

    def value_of(self, expr: str) -> str:
        """`{params.x}` or `{query[row].column}` as text; raises on anything else."""
        if expr.startswith("params.") and expr[7:] in self.params:
            return self.params[expr[7:]]
        m = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", expr)
        if m and m.group(1) in self.page.queries:
            df, row, col = self.frame(m.group(1)), int(m.group(2)), m.group(3)
            if df is None or len(df) <= row or col not in df.columns:
                raise LookupError(f"`{{{expr}}}`: no such row or column")
            return fmt_value(df[col].iloc[row], col)
        if expr[:1] in "#:/@":
            raise LookupError(
                f"`{{{expr}}}`: Svelte blocks ({{#if}}, {{#each}}) are not supported by the static report"
            )
        raise LookupError(f"`{{{expr}}}` is neither {{params.<name>}} nor {{<query>[<row>].<column>}}")

    def expression(self, expr: str) -> str:
        try:
            return html.escape(self.value_of(expr))
        except LookupError as exc:
            return self.problem(str(exc))

    def component(self, comp) -> str:
        found = components.problems(comp, self.page.queries)
        if found:
            return "".join(self.problem(p) for p in found)
        name = comp.attrs["data"].name
        df = self.frame(name)
        if df is None:
            return HTML.problem(f"<{comp.tag}>: query `{name}` failed")
        missing = components.missing_columns(comp, df)
        if missing:
            return self.problem(
                f"line {comp.line}: <{comp.tag} data={{{name}}}> refers to column(s) the query does "
                f"not return: {', '.join(missing)} (it returns: {', '.join(df.columns)})"
            )
        if comp.tag == "DataTable" and comp.attrs.get("link"):
            self.site.link_tables.append(self.where())
        if df.empty and comp.tag != "Dropdown":
            return HTML.empty(f"{comp.attrs.get('title') or name.replace('_', ' ').capitalize()}: no rows.")
        try:
            return components.render(self, comp, df)
        except Exception as exc:  # odd data must not stop the build: the page shows the problem
            return self.problem(f"line {comp.line}: <{comp.tag}> could not be drawn: {exc}")

    def render(self) -> str:
        found = "".join(self.problem(p) for p in self.page.problems)
        return found + RENDERER.render(self.page.tokens, MD.options, {"run": self})

    def title(self) -> str:
        def value(m):
            try:
                return self.value_of(m.group(1).strip())
            except LookupError as exc:
                self.problem(f"title: {exc}")
                return m.group(0)

        return re.sub(r"\{([^{}]+)\}", value, self.page.title)


def page_html(run: PageRun, body: str, nav: list[tuple[str, str]], title: str) -> str:
    links = [(run.href("/" + route), name, run.route.split("/")[0] == route.split("/")[0]) for route, name in nav]
    return PAGE.render(title=title, nav=links, body=Markup(body))


def render_site(
    db: Path,
    out: Path,
    reports_dir: Path,
    plots_dir: Path | None = None,
    later: Later | None = None,
    chart_cache: Path | None = None,
) -> Site:
    """Render every page into `out`; return the Site with its problems (nothing raises but
    ReportStopped, when `later`'s build stopped). With `later`, the pages that read none of its
    relations are run first, while the build writes them. With `chart_cache`, a chart drawn by
    an earlier render from the same data is copied from there (charts.ChartQueue)."""
    db, out = Path(db), Path(out)
    if not db.exists():
        raise FileNotFoundError(f"no warehouse file at {db}: run the build first")
    pages = load_pages(reports_dir)
    queries = source_queries(reports_dir)
    needed = {m for page in pages for sql in page.queries.values() for m in SOURCE_REF.findall(sql)}
    needed &= set(queries)  # a page naming no source query fails on its own page
    late = {name for name in needed if later and reads_any(queries[name], later.relations)}

    def waits(page: Page) -> bool:
        reads = {m for sql in page.queries.values() for m in SOURCE_REF.findall(sql)}
        return later is not None and (bool(reads & late) or "/plots/" in page.path.read_text(encoding="utf-8"))

    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "plots").mkdir(parents=True)
    if chart_cache is not None:
        Path(chart_cache).mkdir(parents=True, exist_ok=True)
    scratch = tmp / ".scratch"  # the sources' file and the drawn charts; gone before the site is moved in place
    con = open_sources(scratch / "sources")
    site = Site(
        reports_dir=reports_dir,
        con=con,
        plots_out=tmp / "plots",
        charts=charts.ChartQueue(scratch / "charts", cache=chart_cache),
    )
    nav = sorted(((p.route, p.title) for p in pages if "/" not in p.route), key=lambda r: (r[0] != "", r[0]))
    runs: list[PageRun] = []
    done: dict[Path, set[str]] = {p.path: set() for p in pages if p.param}  # values rendered

    def run_page(page: Page, params: dict[str, str]) -> None:
        run = PageRun(site, page, params)
        body = run.render()
        site.waiting.append((run, body, run.title()))
        run.frames.clear()  # the charts hold what they need; the page is text now
        runs.append(run)
        site.write_ready(tmp, nav)

    def run_pages(batch: list[Page], templated: list[Page]) -> None:
        for page in [p for p in batch if not p.param]:
            run_page(page, {})
        for page in templated:
            # One page per value the other pages link to, as Evidence's crawler finds them.
            pattern = "^/" + re.escape(page.route).replace(re.escape(f"[{page.param}]"), "([^/]+)") + "/?$"
            values = sorted({m.group(1) for r in runs for link in r.links if (m := re.match(pattern, link))})
            for value in [v for v in values if v not in done[page.path]]:
                done[page.path].add(value)
                run_page(page, {page.param: value})

    try:
        site.problems += load_sources(con, db, queries, needed - late)
        first = [p for p in pages if not waits(p)]
        if later is not None:
            later.released()
            run_pages(first, [p for p in first if p.param])
            site.charts.flush()  # the last few charts too: they are drawn while the build writes
            site.write_ready(tmp, nav, wait=True)
            if not later.resume():
                raise ReportStopped("the build stopped before the scored relations were written")
            site.problems += load_sources(con, db, queries, late)
        copy_plots(plots_dir, tmp / "plots")
        rest = pages if later is None else [p for p in pages if p not in first]
        run_pages(rest, [p for p in pages if p.param])
    except BaseException:
        con.close()
        site.charts.drawn(True)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    con.close()
    for page in [p for p in pages if p.param and not done[p.path]]:
        where = f"pages/{page.path.relative_to(reports_dir / 'pages').as_posix()}"
        if site.link_tables:
            site.empty.append(f"{where}: the tables linking to it have no rows, so it renders nothing")
        else:
            site.problems.append(
                f"{where}: templated page is linked from no page (no DataTable link= column gives "
                "a value), so it renders nothing"
            )
    site.write_ready(tmp, nav, wait=True)
    site.charts.prune()
    shutil.rmtree(scratch, ignore_errors=True)
    for index in sorted(site.chart_problems):
        if site.chart_problems[index] not in site.problems:
            site.problems.append(site.chart_problems[index])
    site.written = [run.output_name() for run in runs]
    # Keep screenshots a test saved from an earlier run out of the way; replace the site whole.
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return site


def copy_plots(plots_dir: Path | None, dest: Path) -> None:
    """The ML step's plots (<build>/ml/plots/*.png), which the model pages show."""
    if plots_dir and Path(plots_dir).is_dir():
        for png in sorted(Path(plots_dir).glob("*.png")):
            shutil.copyfile(png, dest / png.name)
