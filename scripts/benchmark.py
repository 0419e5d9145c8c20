"""Benchmark harness (`make bench`): what a build costs as the data grows, against what it
costs just to read the raw files, and against the pandas path users start from.

    python -m scripts.benchmark                                # scales 1x3,10x3,250 (the targets)
    python -m scripts.benchmark --scales 1x2,3 --note "..."    # small, minutes
    python -m scripts.benchmark --render                       # docs/benchmarks.md from the JSON

Per scale the sample generator (`--seed 42 --scale N`) writes a raw set once into
<bench-dir>/raw-scale-N (kept; generating is never timed). `NxK` runs scale N K times (medians
are reported). Each run uses a fresh build dir and measures wall time and peak RSS (os.wait4 on
the child: the whole process tree it waited for) of:

    make_build             `scripts/warehouse.py build` (what `make build` runs, venv ready) from
                           an empty build dir: ingest, dbt build, ML, scored marts, report,
                           publish; the seconds of each step come from its <build>/build_steps.json
    make_build_noop        the same again with nothing changed (no dbt, no ML, no report)
    make_build_new_export  one new account's export added to the raw folder, then the same build:
                           ingest lands only that file, dbt restages only its load
    read_floor             just reading every raw file once: DuckDB scans each CSV, Python
                           json.load()s each JSON, the rest is read as bytes (ZIPs unpacked)
    pandas                 scripts/bench_pandas.py: four heavy marts from the same raw folder
                           (up to --pandas-max-scale; it runs out of memory beyond)

The ML step's seconds per model come from <build>/ml/timings.json, the slowest dbt nodes from
the build's dbt runs (build_steps.json).

Writes <out>/benchmarks.json (machine, versions, every run) and <out>/benchmarks.md (generated
from the JSON: medians, build steps, growth per million events, the targets met or not). On the
smallest scale the pandas marts are compared with the dbt marts (scripts/bench_pandas.py).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import tiktok_settings
from ml.score_sets import ml_seed_dir
from scripts import warehouse

REPO = warehouse.REPO
DEFAULT_SCALES = "1x3,10x3,250"
MEASUREMENTS = {
    "make_build": "make build from an empty build dir",
    "make_build_noop": "make build with nothing changed",
    "make_build_new_export": "make build after one new export",
    "read_floor": "read floor: every raw file read once (DuckDB CSV scan, Python json.load)",
    "pandas": "pandas (4 marts)",
}
# Steps of the full build (warehouse.py's build_steps.json), shown on their own lines.
STEPS = ("ingest", "ML seed stubs", "dbt build", "ML", "dbt build of the scored marts", "report", "publish")
DBT_STEPS = ("dbt build", "dbt build of the scored marts")
SAMPLE_SCALE, MIDDLE_SCALE, TARGET_SCALE = 1, 10, 250
TARGETS_S = {"sample": 30.0, "noop": 3.0, "middle": 60.0, "dbt_build": 120.0, "make_build": 360.0}
TARGET_PEAK_MIB = 6 * 1024
TARGET_NEW_EXPORT_SHARE = 0.05
TARGET_MARGINAL_FACTOR = 10.0
TARGET_ML_SECONDS_PER_MODEL = 120.0
NEW_EXPORT_FOLDER = "bench_new"
PANDAS_RAM_SHARE = 0.85  # the pandas child's address-space cap, as a share of the machine's RAM
PANDAS_MAX_SCALE = 100
NEW_EXPORT_ACCOUNT = "bench.new.account"
SIZE_QUERIES = {
    "watch_like_events": "select (select count(*) from staging.stg_tiktok_export__watches)"
    " + (select count(*) from staging.stg_tiktok_export__likes)",
    "claim_videos": "select count(*) from staging.stg_claims__videos",
    "creator_profiles": "select count(*) from staging.stg_creator_profiles__profiles",
}


class BenchError(RuntimeError):
    """A benchmarked command failed."""


# ----------------------------------------------------------------------------- pure helpers
def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def summarise_runs(runs: list[dict[str, float]]) -> dict:
    """{runs, median_seconds, peak_mib (median of the runs' peaks)} of one measurement."""
    summary = {
        "runs": runs,
        "median_seconds": median([r["seconds"] for r in runs]),
        "peak_mib": median([r["peak_mib"] for r in runs]),
    }
    if runs and all(r.get("failed") for r in runs):
        summary["failed"] = True  # seconds and peak until the failure: lower bounds
    return summary


def summarise_steps(runs: list[dict]) -> dict:
    """Median seconds and peak of each build step over the runs (build_steps.json of each)."""
    names = [s["step"] for s in runs[0]["steps"]] if runs else []
    out = {}
    for name in names:
        got = [s for r in runs for s in r["steps"] if s["step"] == name]
        out[name] = {"seconds": median([s["seconds"] for s in got]), "peak_mib": median([s["peak_mib"] for s in got])}
    return out


def parse_scales(text: str) -> list[tuple[int, int]]:
    """'1x3,10x3,250' -> [(1, 3), (10, 3), (250, 1)]: scale and runs."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        scale, _, runs = part.partition("x")
        out.append((int(scale), int(runs or 1)))
    if not out or any(scale < 1 or runs < 1 for scale, runs in out):
        raise ValueError(f"--scales {text!r}: want e.g. 1x3,10x3,250 (scale, optionally x runs, each >= 1)")
    return sorted(out)


def sec(size: dict | None, key: str) -> float | None:
    return None if size is None else size["measurements"].get(key, {}).get("median_seconds")


def step_sec(size: dict | None, step: str, build: str = "full_build_steps") -> float | None:
    return None if size is None else (size.get(build) or {}).get(step, {}).get("seconds")


def dbt_build_seconds(size: dict | None) -> float | None:
    """Both dbt builds of a full build: the models and tests, then the scored marts."""
    parts = [step_sec(size, name) for name in DBT_STEPS]
    return None if parts[0] is None else sum(p or 0.0 for p in parts)


def ingest_and_dbt_seconds(size: dict | None) -> float | None:
    dbt, ingest = dbt_build_seconds(size), step_sec(size, "ingest")
    return None if dbt is None or ingest is None else dbt + ingest


def derived(size: dict) -> dict:
    """Ratios of one size."""
    events = size["rows"].get("watch_like_events")
    per_million = {
        key: ratio(value, (events or 0) / 1e6)
        for key, value in {
            "make_build": sec(size, "make_build"),
            "ingest": step_sec(size, "ingest"),
            "dbt_build": dbt_build_seconds(size),
            "read_floor": sec(size, "read_floor"),
        }.items()
    }
    return {
        "dbt_build_seconds": dbt_build_seconds(size),
        "ingest_and_dbt_over_floor": ratio(ingest_and_dbt_seconds(size), sec(size, "read_floor")),
        "make_build_over_floor": ratio(sec(size, "make_build"), sec(size, "read_floor")),
        "new_export_share": ratio(sec(size, "make_build_new_export"), sec(size, "make_build")),
        "pandas_over_dbt_build": ratio(sec(size, "pandas"), dbt_build_seconds(size)),
        "seconds_per_million_events": per_million,
    }


def marginal_factor(small: dict | None, large: dict | None) -> float | None:
    """(ingest + dbt build at the large size - at the small) / (read floor at large - at small):
    what each further second of reading costs the build."""
    if small is None or large is None or small is large:
        return None
    a, b = ingest_and_dbt_seconds(small), ingest_and_dbt_seconds(large)
    fa, fb = sec(small, "read_floor"), sec(large, "read_floor")
    if None in (a, b, fa, fb):
        return None
    return ratio(b - a, fb - fa)


def growth(sizes: list[dict]) -> list[dict]:
    """Seconds per million watch+like events at each size, next to its data growth."""
    if not sizes:
        return []
    base = sizes[0]["rows"].get("watch_like_events")
    return [
        {
            "scale": s["scale"],
            "events_factor": ratio(s["rows"].get("watch_like_events"), base),
            **derived(s)["seconds_per_million_events"],
        }
        for s in sizes
    ]


def size_at(doc: dict, scale: int) -> dict | None:
    return next((s for s in doc.get("sizes", []) if s["scale"] == scale), None)


def evaluate_targets(doc: dict) -> list[dict]:
    """Each target at its size: met True/False, or None when that size was not run."""
    sample, middle, large = (size_at(doc, n) for n in (SAMPLE_SCALE, MIDDLE_SCALE, TARGET_SCALE))

    def check(name, value, limit, detail, below=False):
        met = None if value is None else (value < limit if below else value <= limit)
        return {"target": name, "value": value, "met": met, "detail": detail}

    def build_detail(size):
        steps = (size or {}).get("full_build_steps") or {}
        return ", ".join(f"{k} {fmt(v['seconds'])} s" for k, v in steps.items()) or "not run"

    largest = doc["sizes"][-1] if doc.get("sizes") else None
    peaks = {k: (largest or {})["measurements"][k]["peak_mib"] for k in MEASUREMENTS if k != "pandas" and largest}
    peaks = {k: v for k, v in peaks.items() if v is not None}
    peak = max(peaks.values()) if peaks else None
    steps_large = (large or {}).get("full_build_steps") or {}
    peak_step = max(steps_large, key=lambda k: steps_large[k]["peak_mib"] or 0) if steps_large else None
    per_model = (large or {}).get("ml_model_seconds") or {}
    slowest = max(per_model.items(), key=lambda kv: kv[1]) if per_model else None
    share = ratio(sec(large, "make_build_new_export"), sec(large, "make_build"))
    factor = marginal_factor(sample, large)
    g = {row["scale"]: row for row in growth(doc.get("sizes", []))}
    grows = None
    if MIDDLE_SCALE in g and TARGET_SCALE in g:
        a, b = g[MIDDLE_SCALE].get("make_build"), g[TARGET_SCALE].get("make_build")
        grows = None if a is None or b is None else b / a
    return [
        check(
            f"sample: make build from an empty build dir <= {TARGETS_S['sample']:.0f} s",
            sec(sample, "make_build"),
            TARGETS_S["sample"],
            f"{fmt(sec(sample, 'make_build'))} s: {build_detail(sample)}",
        ),
        check(
            f"sample: no-op make build <= {TARGETS_S['noop']:.0f} s",
            sec(sample, "make_build_noop"),
            TARGETS_S["noop"],
            f"{fmt(sec(sample, 'make_build_noop'))} s (ingest checks the raw files; no dbt, ML or report)",
        ),
        check(
            f"scale {MIDDLE_SCALE}: make build <= {TARGETS_S['middle']:.0f} s",
            sec(middle, "make_build"),
            TARGETS_S["middle"],
            f"{fmt(sec(middle, 'make_build'))} s: {build_detail(middle)}",
        ),
        check(
            f"scale {TARGET_SCALE}: dbt build <= {TARGETS_S['dbt_build']:.0f} s",
            dbt_build_seconds(large),
            TARGETS_S["dbt_build"],
            f"{fmt(dbt_build_seconds(large))} s (both dbt builds of make build; ingest "
            f"{fmt(step_sec(large, 'ingest'))} s on its own line)",
        ),
        check(
            f"scale {TARGET_SCALE}: make build with ML <= {TARGETS_S['make_build'] / 60:.0f} min",
            sec(large, "make_build"),
            TARGETS_S["make_build"],
            f"{fmt(sec(large, 'make_build'))} s: {build_detail(large)}",
        ),
        check(
            f"peak memory < {TARGET_PEAK_MIB:,} MiB",
            peak,
            TARGET_PEAK_MIB,
            f"largest peak {fmt(peak, 0)} MiB at scale {(largest or {}).get('scale')} "
            f"(make build; its largest step: {peak_step or 'n/a'}; pandas excluded)",
            below=True,
        ),
        check(
            f"scale {TARGET_SCALE}: one new export < {TARGET_NEW_EXPORT_SHARE:.0%} of a full build",
            share,
            TARGET_NEW_EXPORT_SHARE,
            f"make build after one new export {fmt(sec(large, 'make_build_new_export'))} s of a full "
            f"{fmt(sec(large, 'make_build'))} s ({fmt(share, 3)}): "
            + (
                ", ".join(f"{k} {fmt(v['seconds'])} s" for k, v in (large or {}).get("new_export_steps", {}).items())
                or "not run"
            ),
            below=True,
        ),
        check(
            f"ingest + dbt build <= {TARGET_MARGINAL_FACTOR:.0f}x the read floor at the margin "
            f"(scale {SAMPLE_SCALE} to {TARGET_SCALE})",
            factor,
            TARGET_MARGINAL_FACTOR,
            f"(ingest + dbt build at {TARGET_SCALE} - at {SAMPLE_SCALE}) / (read floor at {TARGET_SCALE} - "
            f"at {SAMPLE_SCALE}) = ({fmt(ingest_and_dbt_seconds(large))} - {fmt(ingest_and_dbt_seconds(sample))}) / "
            f"({fmt(sec(large, 'read_floor'))} - {fmt(sec(sample, 'read_floor'))}) = {fmt(factor)}",
        ),
        check(
            f"time per million events does not grow (make build, scale {MIDDLE_SCALE} to {TARGET_SCALE})",
            grows,
            1.0,
            f"seconds per million events at {TARGET_SCALE} / at {MIDDLE_SCALE} = {fmt(grows)} (growth table)",
        ),
        check(
            f"ML training < {TARGET_ML_SECONDS_PER_MODEL:.0f} s per model (scale {TARGET_SCALE})",
            slowest[1] if slowest else None,
            TARGET_ML_SECONDS_PER_MODEL,
            f"slowest model {slowest[0]} {fmt(slowest[1])} s (training, evaluation and scoring); "
            f"ML step {fmt(step_sec(large, 'ML'))} s for {doc.get('ml_model_count') or '?'} models"
            if slowest
            else "not run",
            below=True,
        ),
    ]


# What bounds each target, from profiling (run_results.json per model, ml/timings.json per
# model, cProfile of the report): analysis, not measurement; the figures are in the tables.
LIMITS = {
    "sample: make build": "dbt's fixed costs: its start and parse of the project (about 100 models, "
    "440 data tests, 680 macros), then about 0.05 s per model and 0.015 s per data test whatever "
    "the data; then the ML step's five small fits (its imports overlap dbt's build), and the "
    "scored marts' dbt build. The report's 70 charts (matplotlib text layout, six to a fork, one "
    "fork per core) are drawn beside the ML step, at a lower priority, and end the build: the "
    "pages that read scores wait for the scored marts.",
    "sample: no-op": "ingest hashes every raw file to know nothing changed; nothing else runs.",
    f"scale {MIDDLE_SCALE}: make build": "The ML step (the active-creator model above all: gradient "
    "boosting fitted on 100,000 profiles of 233 features, 200 of them the bio's n-grams), then "
    "dbt's fixed costs. The report (about 540 charts, most on the one page per linked account: "
    "matplotlib's text layout) is drawn beside the ML step and takes the CPU the ML step leaves: "
    "on two cores both are busy the whole time.",
    f"scale {TARGET_SCALE}: dbt build": "The models over the largest tables (events, profiles): see "
    "the slowest nodes below.",
    f"scale {TARGET_SCALE}: make build": "Ingest (Python: JSON parsing and Parquet writing), dbt "
    "build, and the ML step (features and scores of every row); the report is drawn beside the "
    "ML step and ends shortly after the scored marts.",
    "peak memory": "dbt at scale 250: DuckDB's memory limit (var duckdb_memory_limit, 4GB) plus what "
    "it allocates outside it, one model at a time (threads: 1), inside the build process. Ingest: "
    "the JSON documents parsed in Python. The ML step: each model's frame, read a slice "
    "at a time with repeated strings shared, scored 100,000 rows at a time (on every core beyond "
    "250,000 rows, each worker holding its chunk's features), beside the build process and the "
    "report, which runs at the same time: its sources in a scratch DuckDB file (256 MB memory "
    "limit), one page's query results and six charts' frames per drawing fork. The step lines "
    "give each step's peak (the build process included; the ML step's includes the report).",
    f"scale {TARGET_SCALE}: one new export": "Only the new file is landed and its load staged, but "
    "the models after the incremental staging (marts over every account's events) are rebuilt "
    "in full, and the report runs every page again; it draws only the charts whose rows changed "
    "(the others are copied from the chart cache of the last render, when the run's code has it: "
    "see the note above), then the warehouse is copied to its published place.",
    "ingest + dbt build": "Parsing the JSON exports in Python and writing typed Parquet (ingest), "
    "then the models over the landed tables.",
    "time per million": "Fixed costs spread over more events make the larger sizes cheaper per event.",
    "ML training": "Fitting is capped at TIKTOK_ML_MAX_FIT_ROWS (100k) rows; features and scores "
    "cover every row. The active-creator model (gradient boosting on the bio's n-grams and the "
    "counts): its fit on 100,000 rows (the n-gram columns' histograms), then every profile scored "
    "(each bio's n-grams, then the trees); its permutation importances re-score "
    "TIKTOK_ML_MAX_IMPORTANCE_ROWS rows on the features computed once.",
}


def limit_of(target: str) -> str:
    return next((text for prefix, text in LIMITS.items() if target.startswith(prefix)), "")


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def render_markdown(doc: dict) -> str:
    """docs/benchmarks.md, entirely from the JSON document."""
    machine = doc["machine"]
    sizes = doc["sizes"]
    scales = [s["scale"] for s in sizes]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `scripts/benchmark.py` from `benchmarks.json` (do not edit by hand; `make bench` rewrites both).",
        "",
        "- scales run: "
        + ", ".join(f"{s['scale']} ({s.get('runs', doc.get('runs', 1))} run(s))" for s in sizes)
        + f"; medians shown; the targets' sizes are scales {SAMPLE_SCALE}, {MIDDLE_SCALE} and {TARGET_SCALE}",
        f"- generated at: {doc['generated_at']}",
        f"- machine: {machine['cpu_count']} CPUs, {fmt(machine['ram_mib'], 0)} MiB RAM, {machine['os']}, "
        f"Python {machine['python']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in doc["versions"].items()),
    ]
    limits = sorted({s.get("duckdb_memory_limit") for s in sizes if s.get("duckdb_memory_limit")})
    if limits:
        lines.append("- DuckDB memory_limit (TIKTOK_DUCKDB_MEMORY_LIMIT): " + ", ".join(limits))
    if doc.get("note"):
        lines.append(f"- note: {doc['note']}")
    failed = [
        f"{MEASUREMENTS[key]} at scale {s['scale']}"
        for s in sizes
        for key, m in s["measurements"].items()
        if any(r.get("exit_code") for r in m["runs"])
    ]
    if failed:
        lines.append("- **failures**: some runs exited non-zero (timings kept): " + "; ".join(failed))
    for f in doc.get("failed_scales", []):
        last = f["error"].strip().splitlines()[-1] if f["error"].strip() else ""
        lines.append(f"- **scale {f['scale']} did not finish**: {last} (full error in benchmarks.json)")
    lines += [
        "",
        "## Data per size",
        "",
        "| scale | watch+like events | claim videos | creator profiles | raw MiB |",
        "|---|---|---|---|---|",
    ]
    for s in sizes:
        r = s["rows"]
        lines.append(
            f"| {s['scale']} | {fmt(r.get('watch_like_events'))} | {fmt(r.get('claim_videos'))} | "
            f"{fmt(r.get('creator_profiles'))} | {fmt(s.get('raw_mib'), 1)} |"
        )
    lines += [
        "",
        "## Wall time (median s) and peak RSS (MiB)",
        "",
        "| measurement | " + " | ".join(f"scale {sc} s | scale {sc} MiB" for sc in scales) + " |",
        "|---|" + "---|---|" * len(scales),
    ]
    for key, label in MEASUREMENTS.items():
        cells = []
        for s in sizes:
            m = s["measurements"].get(key, {})
            mark = " (failed: at least)" if m.get("failed") else ""
            cells += [fmt(m.get("median_seconds")) + mark, fmt(m.get("peak_mib"), 0) + mark]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for build, title in (("full_build_steps", "make build"), ("new_export_steps", "make build after one new export")):
        names = [n for n in STEPS if any(n in (s.get(build) or {}) for s in sizes)]
        if not names:
            continue
        lines += [
            "",
            f"## Steps of {title} (median s and peak MiB; build_steps.json)",
            "",
            "| step | " + " | ".join(f"scale {sc} s | scale {sc} MiB" for sc in scales) + " |",
            "|---|" + "---|---|" * len(scales),
        ]
        for name in names:
            cells = []
            for s in sizes:
                step = (s.get(build) or {}).get(name, {})
                cells += [fmt(step.get("seconds")), fmt(step.get("peak_mib"), 0)]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    models = sorted({name for s in sizes for name in s.get("ml_model_seconds") or {}})
    if models:
        lines += [
            "",
            "## ML seconds per model (training, evaluation, scoring; median)",
            "",
            "| model | " + " | ".join(f"scale {sc}" for sc in scales) + " |",
            "|---|" + "---|" * len(scales),
        ]
        for name in models:
            lines.append(
                f"| {name} | " + " | ".join(fmt((s.get("ml_model_seconds") or {}).get(name)) for s in sizes) + " |"
            )
    if sizes and sizes[-1].get("slowest_nodes"):
        lines += [
            "",
            f"## Slowest dbt nodes at scale {scales[-1]} (first run; dbt's run_results)",
            "",
            "| node | s |",
            "|---|---|",
        ]
        lines += [f"| {n['node']} | {fmt(n['seconds'])} |" for n in sizes[-1]["slowest_nodes"]]
    lines += [
        "",
        "## Ratios",
        "",
        "| scale | ingest + dbt build / read floor | make build / read floor | new export / full build "
        "| pandas / dbt build (all models) |",
        "|---|---|---|---|---|",
    ]
    for s in sizes:
        d = derived(s)
        lines.append(
            f"| {s['scale']} | {fmt(d['ingest_and_dbt_over_floor'])} | {fmt(d['make_build_over_floor'])} | "
            f"{fmt(d['new_export_share'], 3)} | {fmt(d['pandas_over_dbt_build'])} |"
        )
    lines += [
        "",
        "## Growth with size (seconds per million watch+like events)",
        "",
        "| scale | events x | make build | ingest | dbt build | read floor |",
        "|---|---|---|---|---|---|",
    ]
    for g in growth(sizes):
        lines.append(
            f"| {g['scale']} | {fmt(g['events_factor'])} | {fmt(g['make_build'])} | {fmt(g['ingest'])} | "
            f"{fmt(g['dbt_build'])} | {fmt(g['read_floor'])} |"
        )
    lines += ["", "## Targets", "", "| target | met | detail | what limits it |", "|---|---|---|---|"]
    for t in evaluate_targets(doc):
        met = {True: "met", False: "**not met**", None: "not determined (size not run)"}[t["met"]]
        lines.append(f"| {t['target']} | {met} | {t['detail']} | {limit_of(t['target'])} |")
    checks = doc.get("pandas_check")
    if checks:
        failed = [c for c in checks["checks"] if not c["ok"]]
        lines += [
            "",
            f"## pandas vs dbt marts (scale {checks['scale']})",
            "",
            f"{len(checks['checks']) - len(failed)} of {len(checks['checks'])} checks agree "
            "(counts, means and per-account overlap; tolerances in scripts/bench_pandas.py "
            "`compare_marts`; every check is in benchmarks.json).",
        ]
        if failed:
            lines += ["", "| check that differs | dbt | pandas |", "|---|---|---|"]
            lines += [f"| {c['check']} | {fmt(c['dbt'], 4)} | {fmt(c['pandas'], 4)} |" for c in failed]
    lines += [
        "",
        "## How to read it",
        "",
        "- Every build line is the whole `scripts/warehouse.py build` (what `make build` runs once the "
        "venv exists), timed from outside; its steps are the build's own build_steps.json.",
        "- The read floor reads every raw file once and keeps nothing: DuckDB counts each CSV's rows "
        "(a full scan of the file), Python's json module parses each JSON document, other files are "
        "read as bytes and ZIP members unpacked. It is the least any build of these files costs.",
        "- The margin factor compares the smallest and the largest size, so fixed costs (dbt's start "
        "and parse, imports) cancel out: it is what each further second of reading costs the build.",
        "- The pandas path computes only four marts (tier engagement, viral ranking, theme distribution "
        "and overlap) and none of the validation, audit or other marts dbt builds; its known "
        f"differences are listed in `scripts/bench_pandas.py`. It is not run above scale {PANDAS_MAX_SCALE} "
        "by default (it ran out of memory at 250 on this machine).",
        "- Peak MiB is the most memory the build's processes held at once: the build process (dbt "
        "runs inside it, with DuckDB) and its children (the ML step, the report and their workers), "
        "their resident sizes summed (pages shared by forked processes counted in each: an upper "
        "bound), sampled from /proc every 0.25 s (every 0.02 s in a run's first second; "
        "scripts/warehouse.py TreeMemory; a spike shorter than that can be missed). A step's peak "
        "is the same sum while that step ran.",
        "- The new-export build adds one account's export (a generated account's document under a new "
        "user name, in its own folder) to the built warehouse.",
        "",
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- running
def measure(
    cmd: list[str],
    env: dict[str, str],
    log: Path,
    tolerated_exit: int | None = None,
    may_fail: bool = False,
    memory_cap_mib: int | None = None,
) -> dict:
    """Wall seconds and peak RSS (MiB) of one child process; its output goes to `log`. Exit code
    `tolerated_exit` (dbt test: some tests failed) is recorded in the result instead of stopping.
    `may_fail` (the pandas path on large data): any failure is recorded as `failed`, the seconds
    and peak until then kept. `memory_cap_mib` caps the child's address space, so running out of
    memory is the child's MemoryError, not the kernel killing whatever it picks."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        start = time.perf_counter()
        cap_memory = None
        if memory_cap_mib:
            import resource

            cap = memory_cap_mib * 2**20

            def cap_memory():
                resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=cap_memory)
        peak_mib = warehouse.wait_with_peak(proc)
        seconds = time.perf_counter() - start
    if proc.returncode not in (0, tolerated_exit) and not may_fail:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise BenchError(f"{' '.join(cmd)} failed (exit {proc.returncode}); log {log}:\n" + "\n".join(tail))
    result = {"seconds": round(seconds, 3), "peak_mib": round(peak_mib, 1)}
    if proc.returncode:
        result["exit_code"] = proc.returncode
        if may_fail and proc.returncode != tolerated_exit:
            result["failed"] = True
            tail = log.read_text(errors="replace").splitlines()[-3:]
            result["error"] = " / ".join(line.strip() for line in tail)[-300:]
    return result


@contextlib.contextmanager
def bench_environ(raw: Path, build: Path):
    """warehouse.child_env() for this raw folder and build dir (the pipeline's own env)."""
    saved = dict(os.environ)
    os.environ.update(
        TIKTOK_RAW_DIR=str(raw), TIKTOK_BUILD_DIR=str(build), TIKTOK_WAREHOUSE=str(build / "published.duckdb")
    )
    try:
        yield warehouse.child_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def ensure_raw(scale: int, bench_dir: Path, log: Path) -> Path:
    """The raw set of one scale, generated once (never timed)."""
    raw = bench_dir / f"raw-scale-{scale}"
    if (raw / ".complete").exists():
        return raw
    partial = raw.with_name(raw.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"generating raw set scale {scale} into {raw} (not timed)", flush=True)
    measure(
        [
            sys.executable,
            str(REPO / "scripts" / "generate_sample_data.py"),
            "--seed",
            "42",
            "--scale",
            str(scale),
            "--out",
            str(partial),
        ],
        dict(os.environ),
        log,
    )
    (partial / ".complete").write_text(f"seed 42 scale {scale}\n")
    shutil.rmtree(raw, ignore_errors=True)
    os.replace(partial, raw)
    return raw


def folder_mib(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def duckdb_memory_limit() -> str | None:
    """The memory limit the build sets (macros/engine/engine_settings.sql): TIKTOK_DUCKDB_MEMORY_LIMIT,
    else dbt_project.yml's var duckdb_memory_limit; None for DuckDB's own default."""
    import yaml

    limit = tiktok_settings.current().duckdb_memory_limit
    if limit is None:
        limit = str(yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"].get("duckdb_memory_limit", ""))
    limit = limit.strip()
    return None if not limit or limit.lower() == "default" else limit


def read_floor(raw: Path) -> dict[str, int]:
    """Every raw file read once, nothing kept (child of measure()): DuckDB scans each CSV (a row
    count reads every byte), json.load() parses each JSON document, the rest is read as bytes;
    ZIP members are unpacked and read the same way. A CSV DuckDB cannot scan with its sniffer
    (the odd copies of the sample) is read as bytes."""
    import zipfile

    import duckdb

    con = duckdb.connect()
    counts = {"csv": 0, "json": 0, "bytes": 0, "csv_read_as_bytes": 0}

    def read(name: str, data_path: Path | None, data: bytes | None = None) -> None:
        suffix = Path(name).suffix.lower()
        if suffix == ".csv" and data_path is not None:
            try:
                con.execute("select count(*) from read_csv(?, all_varchar = true)", [str(data_path)]).fetchone()
                counts["csv"] += 1
                return
            except duckdb.Error:
                counts["csv_read_as_bytes"] += 1
        if data is None:
            data = data_path.read_bytes()
        if suffix == ".json":
            try:
                json.loads(data.decode("utf-8-sig"))
                counts["json"] += 1
                return
            except (UnicodeDecodeError, json.JSONDecodeError):
                pass
        counts["bytes"] += 1

    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    if not member.is_dir():
                        read(member.filename, None, archive.read(member))
        else:
            read(path.name, path)
    con.close()
    return counts


def dbt_marts(db_path: Path) -> dict:
    import duckdb

    from scripts import bench_pandas

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {name: con.sql(f"select * from marts.{name}").df() for name in bench_pandas.MARTS}
    finally:
        con.close()


def data_sizes(db_path: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {k: con.execute(q).fetchone()[0] for k, q in SIZE_QUERIES.items()}
    finally:
        con.close()


def build_steps(build: Path) -> dict:
    """The build's own record of its steps (scripts/warehouse.py writes build_steps.json)."""
    return json.loads((build / warehouse.BUILD_STEPS).read_text())


def run_once(raw: Path, run_dir: Path, compare: bool, with_pandas: bool) -> dict:
    """One run of every measurement in a fresh build dir; returns measurements and facts."""
    from scripts import bench_pandas

    build, log = run_dir / "build", run_dir / "commands.log"
    shutil.rmtree(run_dir, ignore_errors=True)
    build.mkdir(parents=True)
    py = sys.executable
    make_build = [py, str(REPO / "scripts" / "warehouse.py"), "build"]
    out: dict = {"measurements": {}}
    m = out["measurements"]
    with bench_environ(raw, build) as env:
        m["read_floor"] = measure([py, "-m", "scripts.benchmark", "read-floor", "--raw", str(raw)], env, log)
        m["make_build"] = measure(make_build, env, log)
        full = build_steps(build)
        m["make_build_noop"] = measure(make_build, env, log)
        if build_steps(build)["scope"] != "nothing":
            raise BenchError(f"the second build was not a no-op (scope {build_steps(build)['scope']}); log {log}")
        if with_pandas:
            # On large data the pandas path may run out of memory: recorded (time and peak until
            # then, a lower bound), not fatal; capped below the machine's RAM.
            m["pandas"] = measure(
                [py, str(REPO / "scripts" / "bench_pandas.py"), "--raw", str(raw), "--out", str(run_dir / "pandas")],
                env,
                log,
                may_fail=True,
                memory_cap_mib=int(machine()["ram_mib"] * PANDAS_RAM_SHARE),
            )
    out["full_build_steps"] = full["steps"]
    out["slowest_nodes"] = full.get("slowest_nodes", [])
    out["rows"] = data_sizes(build / "warehouse.duckdb")
    timings = build / "ml" / "timings.json"
    out["ml_model_seconds"] = json.loads(timings.read_text()) if timings.exists() else {}
    if compare:  # the marts as built from the raw set, before the new export below is added
        pandas_marts = {p.stem: bench_pandas.pd.read_csv(p) for p in (run_dir / "pandas").glob("*.csv")}
        out["pandas_check"] = bench_pandas.compare_marts(pandas_marts, dbt_marts(build / "warehouse.duckdb"))
    # One new account's export added to the warehouse just built: ingest lands only it, dbt
    # restages only the new load.
    raw_plus = raw_with_new_export(raw, run_dir / "raw-plus-one-export")
    with bench_environ(raw_plus, build) as env:
        m["make_build_new_export"] = measure(make_build, env, log)
        out["new_export_steps"] = build_steps(build)["steps"]
        out["new_export_watches"] = new_export_watches(build / "warehouse.duckdb")
    if not out["new_export_watches"]:
        raise BenchError("the new export's watches did not reach stg_tiktok_export__watches")
    shutil.rmtree(raw_plus, ignore_errors=True)
    out["ml_model_count"] = ml_model_count(ml_seed_dir(build) / "model_metrics.csv")
    return out


def link_or_copy(src: str, dst: str) -> None:
    """A hard link where the file system allows one (no copy of a GB raw set), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def raw_with_new_export(raw: Path, dest: Path) -> Path:
    """The raw folder plus one new account's export in its own folder, export/bench_new/: a
    generated account's document under a new user name. Hard links, so no copy of the raw set."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(raw, dest, copy_function=link_or_copy)
    templates = sorted((raw / "export" / "gen").glob("*/user_data*.json")) or sorted((raw / "export").rglob("*.json"))
    if not templates:
        raise BenchError(f"no JSON export under {raw / 'export'} to copy")
    text, n = re.subn(
        r'("userName"\s*:\s*")[^"]*(")',
        r"\g<1>" + NEW_EXPORT_ACCOUNT + r"\g<2>",
        templates[0].read_text(encoding="utf-8-sig"),
    )
    if not n:
        raise BenchError(f"{templates[0]}: no userName to replace")
    out = dest / "export" / NEW_EXPORT_FOLDER / "user_data_tiktok.json"
    out.parent.mkdir(parents=True)
    out.write_text(text, encoding="utf-8")
    return dest


def new_export_watches(db_path: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(
            "select count(*) from staging.stg_tiktok_export__watches where account_id = ?", [NEW_EXPORT_ACCOUNT]
        ).fetchone()[0]
    finally:
        con.close()


def ml_model_count(metrics_csv: Path) -> int:
    """Models the ML step trained: model names in its metrics seed (`x__candidate` rows are the
    candidates compared inside one model)."""
    with open(metrics_csv, newline="") as fh:
        return len({row["model"] for row in csv.DictReader(fh) if "__" not in row["model"]})


def machine() -> dict:
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    return {
        "cpu_count": os.cpu_count(),
        "ram_mib": round(ram),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    return {p: metadata.version(p) for p in ("duckdb", "dbt-core", "dbt-duckdb", "pandas", "numpy", "scikit-learn")}


def benchmark(
    scales: list[tuple[int, int]],
    bench_dir: Path,
    keep: bool,
    note: str,
    out_dir: Path | None = None,
    pandas_max_scale: int = PANDAS_MAX_SCALE,
) -> dict:
    """Every (scale, runs) in turn; with `out_dir` the outputs are written after each scale, so a
    scale that fails (e.g. a build out of memory at the largest size) leaves the smaller ones
    written, and is recorded in `failed_scales` with its error."""
    doc = {
        "generated_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "note": note,
        "machine": machine(),
        "versions": versions(),
        "ml_model_count": None,
        "sizes": [],
        "pandas_check": None,
    }
    for scale, runs in sorted(scales):
        try:
            size = benchmark_scale(scale, runs, bench_dir, keep, doc, with_pandas=scale <= pandas_max_scale)
        except (BenchError, warehouse.BuildError) as exc:
            doc.setdefault("failed_scales", []).append({"scale": scale, "error": str(exc)[-1500:]})
            if out_dir is not None:
                write_outputs(doc, out_dir)
            raise
        doc["sizes"].append(size)
        doc["generated_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        if out_dir is not None:
            write_outputs(doc, out_dir)
    return doc


def benchmark_scale(scale: int, runs: int, bench_dir: Path, keep: bool, doc: dict, with_pandas: bool) -> dict:
    """The runs of one scale, summarised; the first scale with pandas also compares its marts."""
    raw = ensure_raw(scale, bench_dir, bench_dir / "generate.log")
    per_run = []
    for k in range(1, runs + 1):
        print(f"scale {scale}: run {k}/{runs}", flush=True)
        run_dir = bench_dir / "runs" / f"scale-{scale}" / f"run-{k}"
        compare = with_pandas and doc["pandas_check"] is None
        result = run_once(raw, run_dir, compare=compare, with_pandas=with_pandas)
        if compare:
            doc["pandas_check"] = {"scale": scale, "checks": result.pop("pandas_check")}
        per_run.append(result)
        if not keep:
            shutil.rmtree(run_dir, ignore_errors=True)
    doc["ml_model_count"] = per_run[0]["ml_model_count"]
    keys = [key for key in MEASUREMENTS if key in per_run[0]["measurements"]]
    return {
        "scale": scale,
        "runs": runs,
        "raw_mib": folder_mib(raw),
        "rows": per_run[0]["rows"],
        "measurements": {key: summarise_runs([r["measurements"][key] for r in per_run]) for key in keys},
        "full_build_steps": summarise_steps([{"steps": r["full_build_steps"]} for r in per_run]),
        "new_export_steps": summarise_steps([{"steps": r["new_export_steps"]} for r in per_run]),
        "slowest_nodes": per_run[0]["slowest_nodes"],
        "ml_model_seconds": {
            model: median([r["ml_model_seconds"][model] for r in per_run if model in r.get("ml_model_seconds", {})])
            for model in per_run[0].get("ml_model_seconds", {})
        },
        "new_export_watches": per_run[0].get("new_export_watches"),
        "duckdb_memory_limit": duckdb_memory_limit() or "DuckDB's default, 80% of RAM",
    }


def write_outputs(doc: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = dict(doc, targets=evaluate_targets(doc), ratios={str(s["scale"]): derived(s) for s in doc["sizes"]})
    (out_dir / "benchmarks.json").write_text(json.dumps(doc, indent=2) + "\n")
    (out_dir / "benchmarks.md").write_text(render_markdown(doc))
    print(f"wrote {out_dir / 'benchmarks.json'} and {out_dir / 'benchmarks.md'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    floor = sub.add_parser("read-floor", help="internal: read every raw file once (timed child)")
    floor.add_argument("--raw", type=Path, required=True)
    parser.add_argument(
        "--scales",
        default=DEFAULT_SCALES,
        help="comma-separated generator scales, each optionally xRUNS (default %(default)s; the "
        f"targets are at {SAMPLE_SCALE}, {MIDDLE_SCALE} and {TARGET_SCALE})",
    )
    parser.add_argument(
        "--pandas-max-scale",
        type=int,
        default=PANDAS_MAX_SCALE,
        help="run the pandas path up to this scale (default %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="where benchmarks.json/.md go (default docs/)")
    parser.add_argument(
        "--bench-dir",
        type=Path,
        default=REPO / "build" / "bench",
        help="raw sets and run dirs (git-ignored; default build/bench)",
    )
    parser.add_argument("--keep", action="store_true", help="keep each run's build dir")
    parser.add_argument("--note", default="", help="free text shown in benchmarks.md (e.g. machine was busy)")
    parser.add_argument("--render", action="store_true", help="only re-render benchmarks.md from benchmarks.json")
    args = parser.parse_args(argv)
    if args.command == "read-floor":
        print(f"read floor: {read_floor(args.raw)}")
        return 0
    if args.render:
        write_outputs(json.loads((args.out / "benchmarks.json").read_text()), args.out)
        return 0
    try:
        scales = parse_scales(args.scales)
    except ValueError as exc:
        parser.error(str(exc))
    try:
        benchmark(scales, args.bench_dir.resolve(), args.keep, args.note, args.out, args.pandas_max_scale)
    except (BenchError, warehouse.BuildError) as exc:
        print(f"benchmark failed (the scales done before are written to {args.out}): {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
