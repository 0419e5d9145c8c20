"""Shared fixtures: one full build of the sample data per test session.

`make test` never touches a user's build or published warehouse: the session builds into its
own temporary build dir and publishes to a temporary path.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scripts import warehouse as warehouse_script

REPO = Path(__file__).resolve().parent.parent

SAMPLE = REPO / "data" / "sample"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass
class Build:
    raw: Path
    build: Path
    warehouse: Path
    env: dict
    log: str

    def connect(self) -> duckdb.DuckDBPyConnection:
        """Read-only connection to the published warehouse (close it after use)."""
        return duckdb.connect(str(self.warehouse), read_only=True)

    def query(self, sql: str, params=None) -> list[tuple]:
        con = self.connect()
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def df(self, sql: str):
        con = self.connect()
        try:
            return con.sql(sql).df()
        finally:
            con.close()

    def run_results(self) -> dict:
        return json.loads((self.build / "target" / "run_results.json").read_text())

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run dbt against this build's dir (e.g. `dbt show`, `dbt test --select x`)."""
        return run_dbt(self.env, *args, check=check)


def build_env(raw: Path, build: Path, warehouse: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        TIKTOK_RAW_DIR=str(raw),
        TIKTOK_BUILD_DIR=str(build),
        TIKTOK_WAREHOUSE=str(warehouse),
        TIKTOK_SEED_DIR=warehouse_script.dbt_seed_dir(build.resolve()),
        DBT_PROFILES_DIR=str(REPO),
        DBT_TARGET_PATH=str(build / "target"),
        DBT_LOG_PATH=str(build / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        PYTHONPATH=str(REPO),
    )
    env.update(extra)
    return env


def run_dbt(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run([str(dbt), *args], cwd=REPO, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def run_pipeline(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "warehouse.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"warehouse.py {' '.join(args)} failed (exit {proc.returncode}):\n"
            f"{proc.stdout[-8000:]}\n{proc.stderr[-4000:]}"
        )
    return proc


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Build:
    """The whole `make build` pipeline on the committed sample data, in a temp dir."""
    root = tmp_path_factory.mktemp("sample_build")
    raw, build, warehouse = SAMPLE, root / "build", root / "published" / "warehouse.duckdb"
    env = build_env(raw, build, warehouse)
    # with dbt's unit tests, which `make build` leaves to the test suite
    proc = run_pipeline(env, "build", "--unit-tests")
    return Build(raw=raw, build=build, warehouse=warehouse, env=env, log=proc.stdout)


@pytest.fixture(scope="session")
def canaries() -> dict:
    return json.loads((SAMPLE / "pii_canaries.json").read_text())


def schema_tables(con, schemas) -> list[tuple[str, str]]:
    """(schema, table) of every table of the open DuckDB file in the given schemas, sorted."""
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        f"and schema_name in ({', '.join(repr(s) for s in schemas)}) order by 1, 2"
    ).fetchall()


def table_contents(db: Path, schemas=("marts", "ml")) -> dict[str, list[tuple]]:
    """Every table's rows in the given schemas, in a canonical order."""

    def sort_key(row):  # floats coarsely, so last-bit noise never changes the order
        return repr(tuple(float(f"{v:.6g}") if isinstance(v, float) else v for v in row))

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            f"{schema}.{table}": sorted(con.execute(f'select * from "{schema}"."{table}"').fetchall(), key=sort_key)
            for schema, table in schema_tables(con, schemas)
        }
    finally:
        con.close()


def assert_same_contents(actual: dict[str, list[tuple]], expected: dict[str, list[tuple]], what: str) -> None:
    """Same tables, same rows; doubles equal to 1e-9 relative: DuckDB's parallel aggregates
    (sum, avg, stddev, corr) add in thread order, so the last bits differ between builds."""
    assert sorted(actual) == sorted(expected), f"{what}: different tables"
    for name, rows in expected.items():
        got = actual[name]
        assert len(got) == len(rows), f"{what}: {name} has {len(got)} rows, expected {len(rows)}"
        for a, e in zip(got, rows, strict=False):
            same = len(a) == len(e) and all(
                math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
                if isinstance(x, float) and isinstance(y, float)
                else (x == y or (x != x and y != y))
                for x, y in zip(a, e, strict=False)
            )
            assert same, f"{what}: {name} differs:\n  got      {a}\n  expected {e}"


def file_sha256(path: Path) -> str:
    """A file's bytes as a hash: "the published warehouse is unchanged" means this is equal."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
