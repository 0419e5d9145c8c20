"""The same project on Apache Spark (issue 9): build the sample data on local Spark (session
mode, `warehouse.py build --target spark`: dbt build with its data and unit tests, then the ML
step reading the Spark marts) and compare every table of every schema with the DuckDB build of
the same data: same tables, same row counts, same rows (strings, ids and booleans equal,
numbers within a relative 1e-6, timestamps equal).

Runs with `make test-spark` (CI runs it after `make test`). Without pyspark installed it skips
(`make venv-spark` installs it); under `make test-spark` in CI a missing pyspark fails.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import time

import duckdb
import pytest

from conftest import REPO, build_env, run_pipeline

try:
    import pyspark  # noqa: F401
    HAVE_SPARK = True
except ImportError:
    HAVE_SPARK = False

REQUESTED = os.environ.get("TIKTOK_TEST_SPARK", "") == "1"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(not REQUESTED, reason="Spark comparison runs with `make test-spark`"),
]

SCHEMAS = ("staging", "intermediate", "marts", "audit", "ml", "reference")
REL_TOL = 1e-6


@pytest.fixture(scope="module")
def spark_build(sample_build, tmp_path_factory):
    if not HAVE_SPARK:
        if IN_CI:
            pytest.fail("pyspark is not installed: `make venv-spark` (requirements-spark.txt)")
        pytest.skip("pyspark is not installed (make venv-spark)")
    root = tmp_path_factory.mktemp("spark_build")
    build = root / "build-spark"
    # same pseudonym key as the DuckDB build, so pseudonymised names compare equal
    key = (sample_build.build / "pseudonym.key").read_text()
    env = build_env(sample_build.raw, build, root / "unused.duckdb", TIKTOK_PSEUDONYM_KEY=key)
    started = time.monotonic()
    proc = run_pipeline(env, "build", "--target", "spark")
    print(f"Spark build: {time.monotonic() - started:.0f} s")
    return build, proc.stdout


def normalise(value):
    """A value as plain Python, the same on both engines (numbers as float, times as text)."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # numpy scalars/arrays
        value = value.tolist()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        f = float(value)
        return None if math.isnan(f) else f
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return normalise(value.to_pydatetime())
    if isinstance(value, (list, tuple)):
        return tuple(normalise(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, normalise(v)) for k, v in value.items()))
    if hasattr(value, "asDict"):  # Spark Row (struct)
        return normalise(value.asDict())
    return value


def sort_key(row):
    return repr(tuple(float(f"{v:.6g}") if isinstance(v, float) else v for v in row))


def same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return a == b


def duckdb_tables(db) -> dict[str, tuple[list[str], list[tuple]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
            f"and schema_name in ({', '.join(repr(s) for s in SCHEMAS)}) order by 1, 2"
        ).fetchall()
        out = {}
        for schema, table in names:
            rel = con.sql(f'select * from "{schema}"."{table}"')
            rows = [tuple(normalise(v) for v in r) for r in rel.fetchall()]
            out[f"{schema}.{table}"] = (rel.columns, sorted(rows, key=sort_key))
        return out
    finally:
        con.close()


def spark_tables(build, wanted: dict) -> dict[str, tuple[list[str], list[tuple]]]:
    from ml.io import SparkWarehouse

    wh = SparkWarehouse(build)
    spark = wh.session()
    out = {}
    for schema in SCHEMAS:
        if not spark.catalog.databaseExists(schema):
            continue
        for t in spark.catalog.listTables(schema):
            if t.isTemporary:
                continue
            name = f"{schema}.{t.name}"
            columns = wanted.get(name, ([], []))[0] or spark.table(name).columns
            df = spark.table(name)
            present = {c.lower() for c in df.columns}
            df = df.select(*[f"`{c}`" for c in columns if c.lower() in present])
            rows = [tuple(normalise(v) for v in r) for r in df.collect()]
            out[name] = (list(df.columns), sorted(rows, key=sort_key))
    spark.stop()
    return out


def compare(duck: dict, spark: dict) -> list[str]:
    problems = []
    for name in sorted(set(duck) | set(spark)):
        if name not in spark:
            problems.append(f"{name}: not built on Spark")
            continue
        if name not in duck:
            problems.append(f"{name}: only on Spark")
            continue
        dcols, drows = duck[name]
        scols, srows = spark[name]
        if [c.lower() for c in dcols] != [c.lower() for c in scols]:
            problems.append(f"{name}: columns differ: duckdb {dcols} spark {scols}")
            continue
        if len(drows) != len(srows):
            problems.append(f"{name}: {len(srows)} rows on Spark, {len(drows)} on DuckDB")
            continue
        for d, s in zip(drows, srows):
            if not all(same_value(a, b) for a, b in zip(d, s)):
                diff = [(c, a, b) for c, a, b in zip(dcols, d, s) if not same_value(a, b)]
                problems.append(f"{name}: rows differ, first at {diff[:4]}\n    duckdb {d}\n    spark  {s}")
                break
    return problems


def test_spark_build_matches_duckdb(sample_build, spark_build):
    build, log = spark_build
    duck = duckdb_tables(sample_build.build / "warehouse.duckdb")
    spark = spark_tables(build, duck)
    assert any(n.startswith("marts.") for n in duck), "the DuckDB build has no marts"
    problems = compare(duck, spark)
    report = REPO / "build" / "spark_comparison.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(problems) + "\n")
    compared = len(duck)
    assert not problems, (f"{len(problems)} of {compared} tables differ between Spark and DuckDB "
                          f"(full list: {report}):\n" + "\n".join(problems[:40]))
