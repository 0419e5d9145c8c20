"""Shared fixtures: one full build of the sample data per test session.

`make test` never touches a user's build or published warehouse: the session builds into its
own temporary build dir and publishes to a temporary path.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

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
    proc = subprocess.run(
        [str(dbt), *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def run_pipeline(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "warehouse.py"), *args],
        cwd=REPO, env=env, capture_output=True, text=True,
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
    proc = run_pipeline(env, "build")
    return Build(raw=raw, build=build, warehouse=warehouse, env=env, log=proc.stdout)


@pytest.fixture(scope="session")
def canaries() -> dict:
    return json.loads((SAMPLE / "pii_canaries.json").read_text())
