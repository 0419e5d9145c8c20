"""Reports: every Evidence page parses, every SQL block runs on the built warehouse, every
component names a defined query and columns that query returns, and the static site is built.

The checker is scripts/render_reports.py itself (render_site collects every problem), so what is
checked is exactly what is rendered. The first tests run it on a tiny hand-made warehouse and
prove that each kind of broken page is caught; the rest run it on the sample build.
"""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import REPO, Build

from scripts import render_reports as rr

REPORTS = REPO / "reports"
PAGES = REPORTS / "pages"


# ----------------------------------------------------------------------------- a tiny project
TINY_PAGES = {
    "index.md": """
        ---
        title: Home
        ---
        # Home

        Some **bold** text and a [link](/influence).

        ```sql totals
        select count(*) as n_rows, sum(videos) as total_videos from warehouse.account_themes
        ```

        <BigValue data={totals} value=total_videos title="Videos"/>

        ```sql by_theme
        select theme, account_name, sum(videos) as videos
        from warehouse.account_themes group by all order by 1, 2
        ```

        <BarChart data={by_theme} x=theme y=videos series=account_name/>

        <Heatmap data={by_theme} x=theme y=account_name value=videos/>

        ```sql over_time
        select month_date, account_name, sum(videos) as videos from warehouse.account_themes
        group by all order by 1, 2
        ```

        <LineChart data={over_time} x=month_date y=videos series=account_name/>

        <ScatterPlot data={by_theme} x=videos y=videos series=account_name/>
    """,
    "influence/index.md": """
        # My influence

        ```sql accounts
        select distinct account_name, '/influence/' || account_name as account_link
        from warehouse.account_themes order by 1
        ```

        <Dropdown data={accounts} name=account value=account_name/>

        ```sql chosen
        select * from warehouse.account_themes where account_name = '${inputs.account.value}'
        ```

        <DataTable data={chosen}/>

        <DataTable data={accounts} link=account_link>
            <Column id=account_name title="Account"/>
        </DataTable>
    """,
    "influence/[account].md": """
        # Account {params.account}

        ```sql themes
        select theme, videos, theme_share
        from warehouse.account_themes where account_name = '${params.account}'
        ```

        ```sql top
        select * from ${themes} order by videos desc limit 1
        ```

        Top theme: {top[0].theme}.

        <DataTable data={themes}/>

        <BarChart data={themes} x=theme y=theme_share swapXY=true/>
    """,
}


def make_tiny(root: Path, pages: dict[str, str] | None = None) -> tuple[Path, Path]:
    """A tiny warehouse file and Evidence project under root: (db, reports_dir)."""
    db = root / "tiny.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute(
        "create table marts.account_themes as select * from (values "
        "('alex', 'food', 10, 0.5, date '2025-01-01'), ('alex', 'travel', 5, 0.25, date '2025-02-01'), "
        "('bea', 'food', 3, 0.3, date '2025-01-01'), ('bea', 'music', 7, 0.7, date '2025-02-01')) "
        "as t(account_name, theme, videos, theme_share, month_date)"
    )
    con.close()
    reports = root / "reports"
    (reports / "sources" / "warehouse").mkdir(parents=True)
    (reports / "sources" / "warehouse" / "account_themes.sql").write_text("select * from marts.account_themes\n")
    for name, text in (pages or TINY_PAGES).items():
        path = reports / "pages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return db, reports


def render_tiny(tmp_path: Path, pages: dict[str, str] | None = None):
    db, reports = make_tiny(tmp_path, pages)
    plots = tmp_path / "plots"  # the ML step ran and wrote one plot
    plots.mkdir()
    (plots / "some_model_pr_curve.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return rr.render_site(db, tmp_path / "site", reports, plots_dir=plots), tmp_path / "site"


def test_a_good_tiny_project_renders_without_problems(tmp_path):
    site, out = render_tiny(tmp_path)
    assert site.problems == [] and site.empty == []
    assert sorted(site.written) == [
        "index.html",
        "influence.html",
        "influence/alex.html",
        "influence/bea.html",
    ]
    index = (out / "index.html").read_text()
    assert index.count('<figure class="chart"') == 4
    assert "<svg" in index and 'id="c1-mark-0"' in index
    assert ">25<" in index  # BigValue: 10 + 5 + 3 + 7
    alex = (out / "influence" / "alex.html").read_text()
    assert "Account alex" in alex and "Top theme: food." in alex and "travel" in alex
    assert "music" not in alex  # ${params.account} filtered the rows
    influence = (out / "influence.html").read_text()
    assert 'href="influence/alex.html"' in influence  # Evidence's /influence/alex, made relative
    assert "<option selected>alex</option>" in influence  # Dropdown: first value by default


def test_rendering_is_deterministic(tmp_path):
    db, reports = make_tiny(tmp_path)
    rr.render_site(db, tmp_path / "one", reports)
    rr.render_site(db, tmp_path / "two", reports)
    for page in (tmp_path / "one").rglob("*.html"):
        assert page.read_bytes() == (tmp_path / "two" / page.relative_to(tmp_path / "one")).read_bytes()


SCORED_PAGE = {
    "scores.md": """
        # Scores

        ```sql scores
        select account_name, score from warehouse.account_scores order by 1
        ```

        <DataTable data={scores}/>
    """,
}


def write_scores(db: Path) -> None:
    """What the build does while the report waits: another process opens the warehouse for
    writing (it fails while any process holds the file) and writes the scored relation."""
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"create table marts.account_scores as select * from (values ('alex', 0.75), ('bea', 0.5)) "
        't(account_name, score)"); con.close()'
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)


def test_pages_reading_later_relations_wait_while_the_rest_render_without_holding_the_warehouse(tmp_path):
    db, reports = make_tiny(tmp_path, {**TINY_PAGES, **SCORED_PAGE})
    (reports / "sources" / "warehouse" / "account_scores.sql").write_text("select * from marts.account_scores\n")
    partial = tmp_path / "site.partial"
    seen = []

    def resume() -> bool:
        seen.append(sorted(p.relative_to(partial).as_posix() for p in partial.rglob("*.html")))
        return True

    later = rr.Later(relations=frozenset({"marts.account_scores"}), released=lambda: write_scores(db), resume=resume)
    site = rr.render_site(db, tmp_path / "site", reports, later=later)
    assert site.problems == [], site.problems
    # Before the scores were written, the pages that do not read them were drawn (the influence
    # pages have no chart left to wait for), and the scores page was not.
    assert "scores.html" not in seen[0] and {"influence.html", "influence/alex.html"} <= set(seen[0]), seen
    scores = (tmp_path / "site" / "scores.html").read_text()
    assert "0.75" in scores and "bea" in scores  # read after the build wrote them
    assert sorted(site.written) == [
        "index.html",
        "influence.html",
        "influence/alex.html",
        "influence/bea.html",
        "scores.html",
    ]


def test_a_report_whose_build_stopped_writes_nothing(tmp_path):
    db, reports = make_tiny(tmp_path, {**TINY_PAGES, **SCORED_PAGE})
    (reports / "sources" / "warehouse" / "account_scores.sql").write_text("select * from marts.account_scores\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("the last build's report")
    later = rr.Later(relations=frozenset({"marts.account_scores"}), released=lambda: None, resume=lambda: False)
    with pytest.raises(rr.ReportStopped):
        rr.render_site(db, tmp_path / "site", reports, later=later)
    assert (tmp_path / "site" / "index.html").read_text() == "the last build's report"
    assert not (tmp_path / "site.partial").exists()


def test_a_source_reads_a_later_relation_only_when_it_names_it():
    later = frozenset({"marts.scores", "ml.model_cards"})
    assert rr.reads_any("select * from marts.scores", later)
    assert rr.reads_any('select a from x.y join "ml"."model_cards" using (a)', later)
    assert rr.reads_any("-- what it reads\nSELECT *\nFROM   MARTS.SCORES", later)
    assert not rr.reads_any("select * from marts.scores_by_day", later)
    assert not rr.reads_any("select * from marts.other  -- not marts.scores", later)


def test_charts_drawn_in_parallel_batches_keep_their_pages_and_report_a_failed_one(tmp_path, monkeypatch):
    """More charts than one batch go to forked workers; each SVG lands in its own page and
    place, and a chart whose drawing raises is a problem on its page, not a failed report."""
    from scripts.static_report import charts

    n = charts.CHART_BATCH * 2 + 1
    body = "".join(f"<BarChart data={{by_theme}} x=theme y=videos title='chart {k}'/>\n\n" for k in range(n))
    page = "```sql by_theme\nselect theme, sum(videos) as videos from warehouse.account_themes group by 1\n```\n\n"
    real = charts.DRAW["BarChart"]

    def flaky(attrs, df):
        if attrs.get("title") == "chart 7":
            raise ValueError("no room for this one")
        return real(attrs, df)

    monkeypatch.setitem(charts.DRAW, "BarChart", flaky)  # forked workers inherit it
    site, out = render_tiny(tmp_path, {"index.md": "# Many\n\n" + page + body})
    html = (out / "index.html").read_text()
    assert html.count('class="chart-svg"') == n - 1
    assert [f"c{k}" for k in range(1, n + 1) if k != 8] == re.findall(r'data-chart-id="(c\d+)"', html)
    assert "<!--chart:" not in html
    assert any("<BarChart> could not be drawn: no room for this one" in p for p in site.problems), site.problems


def test_a_chart_drawn_before_from_the_same_data_is_copied_not_drawn(tmp_path):
    """The chart cache: a second render of the same data draws nothing and writes the same
    bytes; after one account's data changed only its charts are drawn again; charts no render
    shows any more leave the cache."""
    db, reports = make_tiny(tmp_path)
    cache = tmp_path / "cache"
    first = rr.render_site(db, tmp_path / "one", reports, chart_cache=cache)
    assert first.charts.drawn_count == first.charts.count == 6  # home 4, one per account page
    assert len(list(cache.glob("*.svg"))) == 6
    second = rr.render_site(db, tmp_path / "two", reports, chart_cache=cache)
    assert second.charts.drawn_count == 0 and second.charts.count == 6
    for page in (tmp_path / "one").rglob("*.html"):
        assert page.read_bytes() == (tmp_path / "two" / page.relative_to(tmp_path / "one")).read_bytes()
    con = duckdb.connect(str(db))
    con.execute("update marts.account_themes set videos = videos + 1 where account_name = 'bea'")
    con.close()
    third = rr.render_site(db, tmp_path / "three", reports, chart_cache=cache)
    # bea's chart (its query's rows changed) and the four home charts (they sum every account)
    # are drawn; alex's is copied
    assert third.charts.drawn_count == 5, third.charts.drawn_count
    alex = "influence/alex.html"
    assert (tmp_path / "three" / alex).read_bytes() == (tmp_path / "one" / alex).read_bytes()
    assert '<td class="num">8</td>' in (tmp_path / "three" / "influence" / "bea.html").read_text()  # music 7 + 1
    assert len(list(cache.glob("*.svg"))) == 6, "the charts of the first data were pruned"
    assert not list(cache.glob(".*")), "no partial file left"


def test_a_chart_key_follows_the_data_its_props_and_its_place():
    from scripts.static_report.charts import chart_key

    df = pd.DataFrame({"theme": ["food", "music"], "videos": [10, 7]})
    key = chart_key("BarChart", {"x": "theme", "y": "videos"}, df, "c1")
    assert key == chart_key("BarChart", {"y": "videos", "x": "theme"}, df.copy(), "c1")
    different = [
        chart_key("LineChart", {"x": "theme", "y": "videos"}, df, "c1"),
        chart_key("BarChart", {"x": "theme", "y": "videos", "title": "t"}, df, "c1"),
        chart_key("BarChart", {"x": "theme", "y": "videos"}, df, "c2"),
        chart_key("BarChart", {"x": "theme", "y": "videos"}, df.assign(videos=[10, 8]), "c1"),
        chart_key("BarChart", {"x": "theme", "y": "videos"}, df.astype({"videos": "float64"}), "c1"),
        chart_key("BarChart", {"x": "theme", "y": "videos"}, df.rename(columns={"videos": "n"}), "c1"),
        chart_key("BarChart", {"x": "theme", "y": "videos"}, df.iloc[::-1].reset_index(drop=True), "c1"),
    ]
    assert key not in different and len(set(different)) == len(different)


def test_a_written_site_keeps_nothing_of_its_pages_and_leaves_no_scratch_files(tmp_path):
    """Pages are written as soon as their charts are drawn: afterwards the site holds no page,
    chart or frame, and neither the sources' DuckDB file nor the drawn charts stay on disk."""
    site, out = render_tiny(tmp_path)
    assert site.waiting == [] and site.chart_origins == {} and site.charts.results == {}
    assert site.charts.batch == [] and site.charts.running == {}
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "influence", "influence.html", "plots"]
    assert not (tmp_path / "site.partial").exists()


def test_a_chart_drawn_into_a_file_is_the_chart_drawn_in_memory(tmp_path):
    """The drawing processes stream each SVG to a file a line at a time: the same bytes."""
    import pandas as pd

    from scripts.static_report import charts

    df = pd.DataFrame(
        {
            "theme": ["food", "travel", "music"],
            "kind": ["post", "post", "like"],
            "videos": [10, 5, 7],
            "share": [0.5, 0.2, 0.3],
        }
    )
    for tag, attrs in [
        ("BarChart", {"x": "theme", "y": "videos"}),
        ("Heatmap", {"x": "theme", "y": "kind", "value": "share"}),
        ("ScatterPlot", {"x": "videos", "y": "share", "series": "theme"}),
    ]:
        charts.draw_file(tag, attrs, df, "c3", tmp_path / "c3.svg")
        drawn = (tmp_path / "c3.svg").read_text(encoding="utf-8")
        assert drawn == charts.draw(tag, attrs, df, "c3")
        assert drawn.startswith('<svg class="chart-svg" data-chart-id="c3" ') and 'id="c3-' in drawn
        assert not (tmp_path / "c3.raw").exists()


BROKEN = {
    "unknown query": ("<BarChart data={nope} x=theme y=videos/>", "names no query"),
    "unknown column": ("<BarChart data={by_theme} x=theme y=views/>", "y=views"),
    "unknown Column id": ("<DataTable data={by_theme}>\n<Column id=colour/>\n</DataTable>", "Column id=colour"),
    "failing sql": ("```sql bad\nselect no_such_column from warehouse.account_themes\n```", "query `bad` failed"),
    "unknown source": ("```sql bad\nselect * from warehouse.no_such_source\n```", "no_such_source"),
    "unsupported component": ("<FancyChart data={by_theme} x=theme y=videos/>", "unsupported component"),
    "missing x": ("<LineChart data={by_theme} y=videos/>", "needs x="),
    "unknown attribute": ("<BarChart data={by_theme} x=theme y=videos colour=red/>", "does not know: colour"),
    "unknown Column attribute": (
        "<DataTable data={by_theme}>\n<Column id=theme format=pct/>\n</DataTable>",
        "does not know: format",
    ),
    "unknown input": ("```sql bad\nselect '${inputs.nope.value}' as x\n```", "inputs.nope"),
    "missing image": ('<img src="/plots/no_such_plot.png" alt="x">', "no_such_plot.png"),
    "unsupported format": ("<BigValue data={totals} value=total_videos fmt=usd/>", "unsupported format `usd`"),
    "unsupported prop value": ("<BarChart data={by_theme} x=theme y=videos type=stacked100/>", "type=stacked100"),
    "heatmap of dates": ("<Heatmap data={over_time} x=month_date y=account_name value=videos/>", "holds dates"),
    "component inside a paragraph": ("Total: <BigValue data={totals} value=n_rows/>", "must start its own line"),
    "unclosed component": ("<DataTable data={by_theme}>\n<Column id=theme/>", "never closed"),
    "svelte block": ("{#if totals.length}\nSome text\n{/if}", "Svelte blocks"),
    "unknown expression": ("Twice: {1 + 1}.", "is neither"),
    "query defined twice": ("```sql totals\nselect 1 as n_rows\n```", "`totals` defined twice"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_page_is_caught(tmp_path, case):
    snippet, expected = BROKEN[case]
    pages = dict(TINY_PAGES)
    pages["index.md"] = TINY_PAGES["index.md"] + "\n" + textwrap.indent(snippet, " " * 8) + "\n"
    site, out = render_tiny(tmp_path, pages)
    assert any(expected in p and "pages/index.md" in p for p in site.problems), site.problems
    assert 'class="problem"' in (out / "index.html").read_text()


def svg_texts(page: str, chart: str) -> list[str]:
    """The text elements of chart `chart` (c1, c2...) of a page, in drawing order."""
    svg = re.search(rf'<svg class="chart-svg" data-chart-id="{chart}".*?</svg>', page, re.S).group(0)
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


HOURS = """
    # Hours

    ```sql hours
    select * from (values ('1 Mon', 9, 2), ('1 Mon', 3, 1), ('2 Tue', 0, 4), ('2 Tue', 3, 5))
        as t(weekday, hour_of_day, sessions)
    order by weekday, hour_of_day
    ```

    <Heatmap data={hours} x=hour_of_day y=weekday value=sessions/>

    <Heatmap data={hours} x=hour_of_day xSort=hour_of_day y=weekday ySort=weekday ySortOrder=desc value=sessions/>
"""


def test_heatmap_axes_follow_evidence_and_missing_cells_are_zero(tmp_path):
    """As Evidence draws it: axes in the query's order unless xSort/ySort, every cell of the grid
    drawn (a missing one is a zero shown as a dash), each cell labelled when the labels fit."""
    site, out = render_tiny(tmp_path, {**TINY_PAGES, "hours.md": HOURS})
    assert site.problems == [], site.problems
    page = (out / "hours.html").read_text()
    unsorted, ordered = svg_texts(page, "c1"), svg_texts(page, "c2")
    assert unsorted[:3] == ["3", "9", "0"], unsorted  # first appearance: Monday's hours, then Tuesday's
    assert ordered[:3] == ["0", "3", "9"], ordered
    assert ordered[4:6] == ["2 Tue", "1 Mon"], ordered  # ySortOrder=desc
    labels = ordered[7:13]  # after the 3 + 2 tick labels and the 2 axis titles; the colour bar follows
    assert sorted(labels) == sorted(["4", "5", "\u2014", "\u2014", "1", "2"]), labels  # 2 x 3 cells


def test_a_long_heatmap_grid_labels_every_cell(tmp_path):
    """The hour x weekday grid of a watching or posting profile: 24 x 7 cells, all labelled."""
    page = """
        ```sql grid
        select weekday, hour_of_day, (hour_of_day * weekday) % 13 as sessions
        from range(1, 8) as w(weekday), range(24) as h(hour_of_day)
        where (hour_of_day + weekday) % 5 <> 0
        order by weekday, hour_of_day
        ```

        <Heatmap data={grid} x=hour_of_day xSort=hour_of_day y=weekday value=sessions legend=false/>
    """
    site, out = render_tiny(tmp_path, {**TINY_PAGES, "grid.md": page})
    assert site.problems == [], site.problems
    texts = svg_texts((out / "grid.html").read_text(), "c1")
    assert texts[:24] == [str(h) for h in range(24)], texts[:24]
    assert texts[24] == "Hour of day" and texts[32] == "Weekday", texts[24:33]
    cells = texts[33:]
    assert len(cells) == 24 * 7 and cells.count("\u2014") >= 7 * 24 // 5, cells


def test_the_component_table_documents_every_supported_prop():
    """reports/README.md lists each component the renderer supports with every prop it accepts."""
    readme = (REPORTS / "README.md").read_text()
    for tag, spec in rr.SPECS.items():
        row = re.search(rf"^\| `{tag}` \|(.*)$", readme, re.M)
        assert row, f"no row for {tag} in reports/README.md"
        documented = set(re.findall(r"`(\w+)`", row.group(1).split("|")[0]))
        assert documented == set(spec.props.split()), (tag, documented ^ set(spec.props.split()))


def test_a_query_without_rows_and_an_unlinked_template_are_caught(tmp_path):
    pages = dict(TINY_PAGES)
    pages["index.md"] = TINY_PAGES["index.md"] + textwrap.indent(
        "\n```sql nothing\nselect * from warehouse.account_themes where false\n```\n", " " * 8
    )
    pages["influence/index.md"] = "# My influence\n"
    site, _ = render_tiny(tmp_path, pages)
    assert any("`nothing` returned no rows" in e for e in site.empty), site.empty
    assert any("[account].md" in p and "linked from no page" in p for p in site.problems), site.problems


def test_only_the_build_s_report_uses_the_chart_cache_unless_one_is_named(tmp_path, monkeypatch):
    """A render to another folder neither reads nor prunes the build's chart cache."""
    db, reports = make_tiny(tmp_path)
    build = tmp_path / "build"
    monkeypatch.setenv("TIKTOK_BUILD_DIR", str(build))
    common = ["--db", str(db), "--reports-dir", str(reports)]
    assert rr.main([*common, "--out", str(tmp_path / "elsewhere")]) == 0
    assert not (build / "report_charts").exists()
    assert rr.main([*common, "--out", str(tmp_path / "named"), "--chart-cache", str(tmp_path / "c")]) == 0
    assert len(list((tmp_path / "c").glob("*.svg"))) == 6
    assert rr.main(common) == 0  # the build's report: its own cache
    assert (build / "reports" / "index.html").exists() and len(list((build / "report_charts").glob("*.svg"))) == 6


def test_check_mode_exits_nonzero_and_names_the_page(tmp_path):
    pages = dict(TINY_PAGES)
    pages["broken.md"] = (
        "# Broken\n\n```sql q\nselect 1 as a\n```\n\n<DataTable data={q}>\n<Column id=b/>\n</DataTable>\n"
    )
    db, reports = make_tiny(tmp_path, pages)
    args = [
        sys.executable,
        str(REPO / "scripts" / "render_reports.py"),
        "--db",
        str(db),
        "--out",
        str(tmp_path / "site"),
        "--reports-dir",
        str(reports),
    ]
    lenient = subprocess.run(args, capture_output=True, text=True)
    assert lenient.returncode == 0, lenient.stderr  # the build publishes; the page shows the problem
    strict = subprocess.run([*args, "--check"], capture_output=True, text=True)
    assert strict.returncode == 1
    assert "pages/broken.md" in strict.stderr and "Column id=b" in strict.stderr


def test_a_missing_warehouse_file_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "render_reports.py"),
            "--db",
            str(tmp_path / "none.duckdb"),
            "--out",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "no warehouse file" in proc.stderr


# ----------------------------------------------------------------------------- the real pages
def page_files() -> list[Path]:
    return sorted(PAGES.rglob("*.md"))


def test_the_project_has_the_pages_the_issue_asks_for():
    names = {p.relative_to(PAGES).as_posix() for p in page_files()}
    assert {
        "index.md",
        "influence/index.md",
        "influence/[account].md",
        "creators.md",
        "claims.md",
        "models.md",
        "models/[model].md",
    } <= names, names


def test_every_page_runs_on_the_sample(sample_build: Build, tmp_path):
    site = rr.render_site(
        sample_build.warehouse, tmp_path / "site", REPORTS, plots_dir=sample_build.build / "ml" / "plots"
    )
    assert site.problems == [], "\n".join(site.problems)
    assert site.empty == [], "every query returns rows on the sample:\n" + "\n".join(site.empty)
    accounts = [n for n in site.written if n.startswith("influence/")]
    assert len(accounts) >= 5, f"one page per sample account expected: {accounts}"
    for page in ("index.html", "influence.html", "creators.html", "claims.html", "models.html"):
        assert page in site.written
    cards = sorted(n for n in site.written if n.startswith("models/"))
    models = sorted(f"models/{m}.html" for (m,) in sample_build.query("select model from ml.model_cards"))
    assert cards == models and len(cards) == 5, "one model card page per model"


def test_the_pages_survive_a_warehouse_without_rows(sample_build: Build, tmp_path):
    """A user without claims data, creators or ML scores: same tables, no rows. Pages must render
    notes, not problems (the build publishes either way, but a problem box is a bug)."""
    empty = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(empty))
    con.execute(f"attach '{sample_build.warehouse}' as sample (read_only)")
    for relations in source_relations().values():
        for relation in relations:
            schema, _ = relation.split(".")
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create table {relation} as select * from sample.{relation} limit 0")
    con.close()
    site = rr.render_site(empty, tmp_path / "site", REPORTS)
    assert site.problems == [], "\n".join(site.problems)
    assert site.empty, "the queries ran and found no rows"
    index = (tmp_path / "site" / "index.html").read_text()
    assert "no rows" in index and "<svg" not in index


def test_every_component_names_a_query_of_its_page():
    """Static half of the check: no page can refer to a query it does not define."""
    for path in page_files():
        page = rr.parse_page(path, PAGES)
        for comp in page.components:
            ref = comp.attrs.get("data")
            assert isinstance(ref, rr.Ref) and ref.name in page.queries, (path, comp)
            assert comp.tag in rr.COMPONENTS, (path, comp.tag)


def source_relations() -> dict[str, set[str]]:
    """source query name -> the warehouse relations (schema.table) it reads."""
    return {name: set(re.findall(r"\b((?:marts|ml)\.\w+)", sql)) for name, sql in rr.source_queries(REPORTS).items()}


def page_sources(path: Path) -> set[str]:
    page = rr.parse_page(path, PAGES)
    return {m for sql in page.queries.values() for m in re.findall(r"\bwarehouse\.(\w+)", sql)}


def test_pages_read_declared_source_queries_over_existing_marts(sample_build: Build):
    declared = source_relations()
    used = set().union(*(page_sources(p) for p in page_files()))
    assert used <= set(declared), f"pages use undeclared sources: {used - set(declared)}"
    assert set(declared) <= used, f"source queries no page uses: {set(declared) - used}"
    tables = {
        f"{s}.{t}"
        for s, t in sample_build.query(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        )
    }
    for name, relations in declared.items():
        assert len(relations) == 1, f"{name}.sql: one source query per mart, reads {relations}"
        assert relations <= tables, f"{name}.sql reads {relations - tables}, not in the warehouse"


def test_the_build_wrote_the_static_report_with_the_ml_plots(sample_build: Build):
    site = sample_build.build / "reports"
    assert (site / "index.html").exists(), "scripts/warehouse.py build did not render the report"
    plots = sorted(p.name for p in (site / "plots").glob("*.png"))
    assert plots == sorted(p.name for p in (sample_build.build / "ml" / "plots").glob("*.png"))
    models = (site / "models.html").read_text()
    shown = re.findall(r'<img[^>]+src="plots/([^"]+)"', models)
    assert shown, "the models page shows the ML plots"
    assert set(shown) <= set(plots)
    for kind in ("pr_curve", "confusion", "importance"):
        assert any(kind in name for name in shown), f"no {kind} plot on the models page: {shown}"
    assert "render_reports: wrote" in sample_build.log
    # The report was drawn beside the ML step (its step began before the ML step ended) and
    # ended after the scored marts, whose pages it shows.
    steps = {s["step"]: s for s in json.loads((sample_build.build / "build_steps.json").read_text())["steps"]}
    report, ml, scored = steps["report"], steps["ML"], steps["dbt build of the scored marts"]
    assert report["start"] < ml["start"] + ml["seconds"], steps
    assert report["start"] + report["seconds"] >= scored["start"] + scored["seconds"], steps
    assert "==> static report (the pages that read no score, beside the ML step)" in sample_build.log
    # The charts are kept for the next build, as private as the report itself.
    cache = sample_build.build / "report_charts"
    kept = list(cache.iterdir())
    assert kept and all(p.suffix == ".svg" for p in kept)
    assert stat.S_IMODE(cache.stat().st_mode) == stat.S_IMODE(site.stat().st_mode)
    assert {stat.S_IMODE(p.stat().st_mode) for p in kept} == {stat.S_IMODE((site / "index.html").stat().st_mode)}


# ----------------------------------------------------------------------------- dbt exposures
def test_exposures_name_every_page_and_the_ml_step(sample_build: Build):
    manifest = json.loads((sample_build.build / "target" / "manifest.json").read_text())
    exposures = list(manifest["exposures"].values())
    by_page = {e["meta"].get("page"): e for e in exposures if e["meta"].get("page")}
    relations = source_relations()
    for path in page_files():
        rel = path.relative_to(REPORTS).as_posix()
        assert rel in by_page, f"no exposure for {rel}"
        exposure = by_page[rel]
        # the relations the exposure's nodes build: a node's alias (ml.model_cards is built by
        # stg_ml_scores__model_cards), else its name
        depends = {
            (manifest["nodes"].get(node) or {}).get("alias") or node.split(".")[-1]
            for node in exposure["depends_on"]["nodes"]
        }
        needed = {r.split(".")[1] for s in page_sources(path) for r in relations[s]}
        assert needed <= depends, f"{exposure['name']} lacks depends_on {needed - depends}"
        assert exposure["owner"].get("name")
    ml = [e for e in exposures if e["type"] == "ml"]
    assert ml, "an exposure of type ml for the ML step"
    assert all(e["depends_on"]["nodes"] for e in ml)


# ----------------------------------------------------------------------------- the Evidence project
def test_evidence_project_is_pinned_and_offline_friendly():
    package = json.loads((REPORTS / "package.json").read_text())
    deps = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert deps.get("@evidence-dev/evidence") == "40.1.8"
    for name in ("@evidence-dev/duckdb", "@evidence-dev/core-components"):
        assert name in deps
    for name, version in deps.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: exact version expected, got {version}"
    scripts = package["scripts"]
    assert all("SEND_ANONYMOUS_USAGE_STATS=no" in cmd for cmd in scripts.values() if "evidence" in cmd)
    connection = (REPORTS / "sources" / "warehouse" / "connection.yaml").read_text()
    assert "type: duckdb" in connection and "warehouse.duckdb" in connection
    assert (REPORTS / "evidence.config.yaml").read_text().count("@evidence-dev/duckdb") == 1
    assert (REPORTS / "README.md").exists()
