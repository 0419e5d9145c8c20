"""Every TIKTOK_* environment variable, declared once: its default, its meaning and how it is read.

The build, ingest, enrichment, the ML layer, the report renderer and the benchmark all read their
settings through `current()`, which reads the environment when a value is asked for (never at
import time: a test or a wrapper that sets a variable is always seen). dbt reads the variables it
needs itself (`env_var()` in dbt_project.yml, profiles.yml and the source YAML); their defaults
there match these. The README's table of variables is generated from this list
(`python -m tiktok_settings readme`) and a test fails when the two differ.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
APP_NAME = "tiktok-warehouse"
TRUE_WORDS = {"1", "true", "yes", "on"}


def _path(text: str) -> Path:
    return Path(text).expanduser().resolve()


def _repo_path(relative: str) -> Callable[[], Path]:
    return lambda: (REPO / relative).resolve()


def _whole_number(name: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.isdigit():
            raise ValueError(f"{name} must be a whole number >= 0, not {text!r}")
        return int(text)

    return parse


def _file_mode(text: str) -> int:
    try:
        mode = int(text, 8)
    except ValueError:
        raise ValueError(f"TIKTOK_FILE_MODE={text!r}: give an octal file mode such as 0600 or 0640") from None
    if mode & ~0o666 or mode & 0o600 != 0o600:
        raise ValueError(f"TIKTOK_FILE_MODE={text!r}: the owner must read and write, nobody may execute")
    return mode


def _engine(text: str) -> str:
    engine = text.lower()
    if engine not in ("duckdb", "spark"):
        raise ValueError(f"TIKTOK_ENGINE={text!r}: give duckdb or spark")
    return engine


def _flag(text: str) -> bool:
    return text.lower() in TRUE_WORDS


def _default_cache_dir() -> Path:
    """The user's cache folder (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Variable:
    name: str
    attr: str  # the attribute of Settings that reads it
    default: Any  # a value, or a function computing it; None: unset
    default_text: str  # the default as the README states it
    meaning: str
    parse: Callable[[str], Any] = str
    audience: str = "build"  # build, enrich, ml or tests: where the README lists it


VARIABLES: tuple[Variable, ...] = (
    Variable("TIKTOK_RAW_DIR", "raw_dir", _repo_path("data/sample"), "`data/sample`", "the raw folder above", _path),
    Variable(
        "TIKTOK_WAREHOUSE",
        "warehouse",
        _repo_path("warehouse.duckdb"),
        "`warehouse.duckdb`",
        "where the published DuckDB file goes",
        _path,
    ),
    Variable(
        "TIKTOK_BUILD_DIR",
        "build_dir",
        _repo_path("build"),
        "`build/`",
        "persistent build state: the DuckDB file dbt writes (incremental state), ML score seeds, ML artifacts "
        "and plots, unpacked ZIPs, dbt's `target/` and logs, the pseudonymisation key",
        _path,
    ),
    Variable(
        "TIKTOK_PSEUDONYM_KEY",
        "pseudonym_key",
        None,
        "generated once into `build/pseudonym.key`",
        "secret for the keyed hash of follower/following user names",
    ),
    Variable(
        "TIKTOK_DBT_VARS",
        "dbt_vars",
        "",
        "(none)",
        "dbt vars for every dbt call of the build, e.g. `'{skip_unreadable_files: true}'` (ingest honours "
        "`skip_unreadable_files` too)",
        str.strip,
    ),
    Variable(
        "TIKTOK_FILE_MODE",
        "file_mode",
        0o600,
        "`0600`",
        "mode of every file the build writes (landed files, unpacked ZIPs, the published warehouse, the "
        "report); folders get the matching mode (`0700`). `0640` lets a BI tool running as another user of "
        'your group read them (see "Open the warehouse")',
        _file_mode,
    ),
    Variable(
        "TIKTOK_DUCKDB_MEMORY_LIMIT",
        "duckdb_memory_limit",
        None,
        "`4GB` (var `duckdb_memory_limit`)",
        "DuckDB's memory limit for the build (set by an on-run-start hook); `default` means DuckDB's own, 80% "
        "of RAM. Beyond it joins, aggregates, sorts, windows and the raw CSV rows spill to "
        "`<build>/warehouse.duckdb.tmp` (disk space about the size of the raw files); docs/benchmarks.md "
        'gives the scales measured within it. A query that cannot spill fails with "Out of Memory": raise '
        "the limit then. Without a limit DuckDB keeps what it has used, many times the limit at scale",
    ),
    Variable(
        "TIKTOK_ENGINE",
        "engine",
        "duckdb",
        "`duckdb`",
        "which engine the ML step reads the marts from: `duckdb`, or `spark` (set by `warehouse.py spark`)",
        _engine,
        "ml",
    ),
    Variable(
        "TIKTOK_SEED_DIR",
        "seed_dir",
        None,
        "derived from `TIKTOK_BUILD_DIR`",
        "the ML score-seed folder as dbt sees it, relative to the project (set by `warehouse.py`; set it "
        "yourself only when calling dbt directly)",
        audience="ml",
    ),
    Variable(
        "TIKTOK_ML_SEED_MAX_ROWS",
        "ml_seed_max_rows",
        100_000,
        "`100000`",
        "a score set with more rows goes from the ML step to dbt as a Parquet file instead of a seed CSV "
        "(`0`: always Parquet)",
        _whole_number("TIKTOK_ML_SEED_MAX_ROWS"),
        "ml",
    ),
    Variable(
        "TIKTOK_ML_MAX_FIT_ROWS",
        "ml_max_fit_rows",
        100_000,
        "`100000`",
        "training rows per model at most (a stratified, deterministic subsample; `0`: no cap); scores still "
        "cover every row",
        _whole_number("TIKTOK_ML_MAX_FIT_ROWS"),
        "ml",
    ),
    Variable(
        "TIKTOK_ML_MAX_IMPORTANCE_ROWS",
        "ml_max_importance_rows",
        10_000,
        "`10000`",
        "rows the permutation importances re-score at most (`0`: no cap)",
        _whole_number("TIKTOK_ML_MAX_IMPORTANCE_ROWS"),
        "ml",
    ),
    Variable(
        "TIKTOK_OEMBED_URL",
        "oembed_url",
        "https://www.tiktok.com/oembed",
        "`https://www.tiktok.com/oembed`",
        "the oEmbed endpoint `make enrich` asks (tests point it at a local server)",
        str.strip,
        "enrich",
    ),
    Variable(
        "TIKTOK_CACHE_DIR",
        "cache_dir",
        _default_cache_dir,
        "the user's cache folder (`~/.cache/tiktok-warehouse`)",
        "`make enrich`'s lookup cache, outside the build dir (`make clean` keeps it)",
        _path,
        "enrich",
    ),
    Variable(
        "TIKTOK_ENRICH_NETWORK",
        "enrich_network",
        False,
        "off",
        "`1` runs the one test that really asks TikTok (`tests/test_enrich.py -k real`); CI never sets it",
        _flag,
        "tests",
    ),
    Variable(
        "TIKTOK_TEST_SPARK",
        "test_spark",
        False,
        "off",
        "`1` runs the Spark comparison (`make test-spark` sets it)",
        _flag,
        "tests",
    ),
    Variable(
        "TIKTOK_LINT_CHANGED_ONLY",
        "lint_changed_only",
        False,
        "off",
        "`1` lints only the SQL changed against `main` (`make test-fast` sets it)",
        _flag,
        "tests",
    ),
    Variable(
        "TIKTOK_UPDATE_SCHEMA_SNAPSHOT",
        "update_schema_snapshot",
        False,
        "off",
        "`1` rewrites `tests/contract/warehouse_schema.txt` from the build instead of comparing with it",
        _flag,
        "tests",
    ),
)
BY_ATTR = {v.attr: v for v in VARIABLES}
BY_NAME = {v.name: v for v in VARIABLES}


class Settings:
    """The settings as one object: `current().raw_dir`, `current().file_mode`, ... Each attribute
    reads its variable from the environment when asked; an empty value counts as unset; a bad
    value raises ValueError naming the variable."""

    raw_dir: Path
    warehouse: Path
    build_dir: Path
    pseudonym_key: str | None
    dbt_vars: str
    file_mode: int
    duckdb_memory_limit: str | None
    engine: str
    seed_dir: str | None
    ml_seed_max_rows: int
    ml_max_fit_rows: int
    ml_max_importance_rows: int
    oembed_url: str
    cache_dir: Path
    enrich_network: bool
    test_spark: bool
    lint_changed_only: bool
    update_schema_snapshot: bool

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ

    def __getattr__(self, attr: str) -> Any:
        variable = BY_ATTR.get(attr)
        if variable is None:
            raise AttributeError(attr)
        environ = os.environ if self._environ is None else self._environ
        given = environ.get(variable.name, "").strip()
        if given:
            return variable.parse(given)
        return variable.default() if callable(variable.default) else variable.default


def current(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings of this process (or of the given environment)."""
    return Settings(environ)


AUDIENCES = {
    "build": "The build",
    "ml": "The ML step",
    "enrich": "Enrichment (`make enrich`)",
    "tests": "The tests",
}


def readme_table() -> str:
    """The README's table of every variable (between its `settings` markers)."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for audience, title in AUDIENCES.items():
        lines.append(f"| **{title}** | | |")
        lines += [f"| `{v.name}` | {v.default_text} | {v.meaning} |" for v in VARIABLES if v.audience == audience]
    return "\n".join(lines) + "\n"
