"""The Evidence components the pages use: the props each accepts, their checks and their HTML.

A component or prop outside SPECS is a page problem: Evidence would ignore a misspelt prop
silently, and the two renderings would differ. reports/README.md documents each component for
page authors (a test keeps its table and SPECS in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from . import charts
from .formatting import check_format, fmt_value, is_id, label
from .pages import Component, Ref

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True, keep_trailing_newline=True
)
HTML = TEMPLATES.get_template("components.html").module
MAX_TABLE_ROWS = 100


@dataclass(frozen=True)
class Spec:
    props: str  # every prop it supports
    columns: str = ""  # the props that name a column of the query
    required: str = ""  # besides data
    formats: str = ""  # the props that hold a value format
    choices: dict = field(default_factory=dict)  # prop -> its allowed values


BOOLEAN = ("true", "false")
_CHART = "data x y series title subtitle yFmt"
SPECS = {
    "BigValue": Spec("data value title fmt", "value", "value", "fmt"),
    "Value": Spec("data column row fmt placeholder", "column", "column", "fmt"),
    "DataTable": Spec("data rows title link", "link"),
    # wrap: cells of this renderer always wrap; accepted so a page that asks Evidence to wrap is valid.
    "Column": Spec("id title fmt wrap", "id", "id", "fmt", {"wrap": BOOLEAN}),
    "Dropdown": Spec("data name value title defaultValue", "value", "name value"),
    "BarChart": Spec(
        _CHART + " type swapXY", "x y series", "x y", "yFmt", {"type": ("stacked", "grouped"), "swapXY": BOOLEAN}
    ),
    "LineChart": Spec(_CHART, "x y series", "x y", "yFmt"),
    "ScatterPlot": Spec(_CHART, "x y series", "x y", "yFmt"),
    "Heatmap": Spec(
        "data x y value valueFmt title subtitle xSort xSortOrder ySort ySortOrder xAxisPosition valueLabels "
        "nullsZero zeroDisplay min max colorPalette legend",
        "x y value xSort ySort",
        "x y value",
        "valueFmt",
        {
            "xSortOrder": ("asc", "desc"),
            "ySortOrder": ("asc", "desc"),
            "xAxisPosition": ("top", "bottom"),
            **dict.fromkeys(("valueLabels", "nullsZero", "legend"), BOOLEAN),
        },
    ),
}
COMPONENTS = set(SPECS) - {"Column"}


def problems(comp: Component, page_queries: dict) -> list[str]:
    """What is wrong with a component before any query runs."""
    where = f"line {comp.line}: <{comp.tag}>"
    if comp.tag not in COMPONENTS:
        return [f"line {comp.line}: unsupported component <{comp.tag}> (supported: {', '.join(sorted(COMPONENTS))})"]
    if comp.errors:
        return [f"{where}: {e}" for e in comp.errors]
    found = []
    for tag, attrs in [(comp.tag, comp.attrs)] + [("Column", c) for c in comp.columns]:
        unknown = sorted(set(attrs) - set(SPECS[tag].props.split()))
        if unknown:
            found.append(
                f"line {comp.line}: <{tag}> has attribute(s) this renderer does not know: {', '.join(unknown)} "
                f"(supported: {SPECS[tag].props})"
            )
        found += [
            f"{where}: {check_format(attrs[p])}" for p in SPECS[tag].formats.split() if check_format(attrs.get(p))
        ]
        found += [f"{where} needs {p}=" for p in SPECS[tag].required.split() if attrs.get(p) in (None, "", True)]
        for prop, allowed in SPECS[tag].choices.items():
            value = str(attrs.get(prop)).lower() if isinstance(attrs.get(prop), bool) else attrs.get(prop)
            if prop in attrs and value not in allowed:
                found.append(f"{where}: {prop}={attrs[prop]} is not one of {', '.join(allowed)}")
    if comp.tag == "Value" and not str(comp.attrs.get("row", "0")).isdigit():
        found.append(f"{where}: row= must be a whole number")
    if comp.tag == "DataTable" and not str(comp.attrs.get("rows", "0")).isdigit():
        found.append(f"{where}: rows= must be a whole number")
    ref = comp.attrs.get("data")
    if not isinstance(ref, Ref):
        found.append(f"{where} needs data={{query}}")
    elif ref.name not in page_queries:
        found.append(f"{where} data={{{ref.name}}} names no query on this page")
    return found


def missing_columns(comp: Component, df: pd.DataFrame) -> list[str]:
    wanted = [(p, c) for p in SPECS[comp.tag].columns.split() for c in charts.as_list(comp.attrs.get(p))]
    wanted += [("Column id", c.get("id")) for c in comp.columns]
    return [f"{prop}={col}" for prop, col in wanted if isinstance(col, str) and col not in df.columns]


def render(run, comp: Component, df: pd.DataFrame) -> str:
    """The component's HTML; `run` is the page being rendered (links, inputs, chart numbers)."""
    a = comp.attrs
    if comp.tag == "BigValue":
        return HTML.big_value(
            a.get("title") or label(a["value"]), fmt_value(df[a["value"]].iloc[0], a["value"], a.get("fmt"))
        )
    if comp.tag == "Value":
        row = int(a.get("row", 0))
        if row >= len(df):
            return HTML.value(a.get("placeholder") or "\u2013")
        return HTML.value(fmt_value(df[a["column"]].iloc[row], a["column"], a.get("fmt")))
    if comp.tag == "Dropdown":
        chosen = run.input_value(a["name"], ())
        values = df[a["value"]].drop_duplicates().tolist()[:500]
        options = [(fmt_value(v), str(v) == chosen) for v in values]
        return HTML.dropdown(a.get("title") or label(a["name"]), options, chosen)
    if comp.tag == "DataTable":
        return _data_table(run, comp, df)
    placeholder = run.defer_chart(comp, df)  # drawn in a batch while the pages run (charts.ChartQueue)
    return HTML.chart(comp.tag, a.get("title"), a.get("subtitle"), Markup(placeholder))


def _data_table(run, comp: Component, df: pd.DataFrame) -> str:
    link = comp.attrs.get("link")
    chosen = [(c["id"], c.get("title") or label(c["id"]), c.get("fmt")) for c in comp.columns]
    columns = chosen or [(c, label(c), None) for c in df.columns if c != link]
    limit = int(comp.attrs.get("rows", MAX_TABLE_ROWS))
    numeric = {
        c
        for c, _, _ in columns
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) and not is_id(c)
    }
    rows = []
    for record in df.head(limit).to_dict("records"):
        cells = [(fmt_value(record[c], c, f), None) for c, _, f in columns]
        if link and isinstance(record[link], str):
            cells[0] = (cells[0][0], run.href(record[link]))
        rows.append(cells)
    heads = [{"title": t, "numeric": c in numeric} for c, t, _ in columns]
    return HTML.data_table(comp.attrs.get("title"), heads, rows, min(limit, len(df)), len(df))
