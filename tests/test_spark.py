"""The same project on Apache Spark: build the sample data on local Spark (session
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
import shutil
import time

import duckdb
import pytest
from conftest import REPO, SAMPLE, Build, build_env, run_pipeline, schema_tables

import tiktok_settings

try:
    import pyspark  # noqa: F401

    HAVE_SPARK = True
except ImportError:
    HAVE_SPARK = False

REQUESTED = tiktok_settings.current().test_spark
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


SCHEMAS = ("staging", "intermediate", "marts", "ml_features", "audit", "ml", "reference")
REL_TOL = 1e-6
# Score sets above this many rows go to dbt as Parquet on the Spark side (the sample's score
# sets are larger, its model cards smaller).
SPARK_SEED_MAX_ROWS = 20


# The sample's exports carry no region, so every account would read local time in UTC: both
# builds of the comparison give the accounts zones with summer time on either hemisphere, none, a
# half-hour offset and a past DST rule, so the watching marts compare DST on both engines.
TIME_ZONES = (
    "{local_time_zone: {alex.cooks: Europe/Berlin, bea.moves: America/New_York, cam.plays: Australia/Sydney,"
    " dana.sings: America/Sao_Paulo, eli.travels: Asia/Kolkata}}"
)


@pytest.fixture(scope="module")
def duckdb_build(tmp_path_factory) -> Build:
    """The DuckDB side: the whole pipeline on the sample, with the time zones above."""
    if not HAVE_SPARK:
        pytest.skip("pyspark is not installed (make venv-spark)")
    root = tmp_path_factory.mktemp("duckdb_build")
    build = root / "build"
    env = build_env(SAMPLE, build, root / "published" / "warehouse.duckdb", TIKTOK_DBT_VARS=TIME_ZONES)
    proc = run_pipeline(env, "build")
    return Build(raw=SAMPLE, build=build, warehouse=root / "published" / "warehouse.duckdb", env=env, log=proc.stdout)


@pytest.fixture(scope="module")
def spark_build(duckdb_build, tmp_path_factory):
    if not HAVE_SPARK:
        if IN_CI:
            pytest.fail("pyspark is not installed: `make venv-spark` (requirements-spark.txt)")
        pytest.skip("pyspark is not installed (make venv-spark)")
    root = tmp_path_factory.mktemp("spark_build")
    build = root / "build-spark"
    # Spark reads the very landed Parquet the DuckDB build read: ingest's output is copied, so the
    # Spark pipeline's ingest finds nothing changed and both engines stage the same files (the
    # same load ids and ingest times)
    for folder in ("landed", "unpacked"):
        if (duckdb_build.build / folder).is_dir():
            shutil.copytree(duckdb_build.build / folder, build / folder)
    # same pseudonym key as the DuckDB build, so pseudonymised names compare equal
    key = (duckdb_build.build / "pseudonym.key").read_text()
    # every score set through Parquet (the DuckDB build keeps the sample's scores in seeds), so
    # the comparison covers both hand-off paths and Spark's Parquet reader; the model cards (a
    # few rows, quotes in their text) stay seeds, so Spark's seed loading is compared too
    env = build_env(
        duckdb_build.raw,
        build,
        root / "unused.duckdb",
        TIKTOK_PSEUDONYM_KEY=key,
        TIKTOK_ML_SEED_MAX_ROWS=str(SPARK_SEED_MAX_ROWS),
        TIKTOK_DBT_VARS=TIME_ZONES,
    )
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
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=False))
    return a == b


# Columns whose values differ between the engines by design (Spark reads the DuckDB side's
# column list, so leaving one out here leaves it out on both). Their meaning is checked in
# MACRO_CASES instead.
ENGINE_SPECIFIC_COLUMNS = {
    # row_fingerprint: DuckDB's 64-bit hash of the values, md5 on Spark
    "staging.base_creator_profiles__profile_rows": {"raw_row_fingerprint"},
}


def duckdb_tables(db) -> dict[str, tuple[list[str], list[tuple]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for schema, table in schema_tables(con, SCHEMAS):
            rel = con.sql(f'select * from "{schema}"."{table}"')
            skipped = ENGINE_SPECIFIC_COLUMNS.get(f"{schema}.{table}", set())
            if skipped:
                rel = rel.select(*[f'"{c}"' for c in rel.columns if c not in skipped])
            rows = [tuple(normalise(v) for v in r) for r in rel.fetchall()]
            out[f"{schema}.{table}"] = (rel.columns, sorted(rows, key=sort_key))
        return out
    finally:
        con.close()


def spark_tables(build, wanted: dict) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every Spark table, read in a child process: its JVM holds the embedded Derby metastore
    until it exits, and the dbt calls that follow need it."""
    import pickle
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        columns, result = f"{tmp}/columns.pickle", f"{tmp}/tables.pickle"
        with open(columns, "wb") as fh:
            pickle.dump({name: cols for name, (cols, _) in wanted.items()}, fh)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "tests")]))
        proc = subprocess.run(
            [sys.executable, __file__, str(build), columns, result], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, f"reading the Spark tables failed:\n{proc.stderr[-4000:]}"
        with open(result, "rb") as fh:
            return pickle.load(fh)


def _read_spark_tables(build, wanted_columns: dict) -> dict[str, tuple[list[str], list[tuple]]]:
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
            columns = wanted_columns.get(name) or spark.table(name).columns
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
        for d, s in zip(drows, srows, strict=False):
            if not all(same_value(a, b) for a, b in zip(d, s, strict=False)):
                diff = [(c, a, b) for c, a, b in zip(dcols, d, s, strict=False) if not same_value(a, b)]
                problems.append(f"{name}: rows differ, first at {diff[:4]}\n    duckdb {d}\n    spark  {s}")
                break
    return problems


@pytest.mark.spark
@pytest.mark.skipif(not REQUESTED, reason="Spark comparison runs with `make test-spark`")
def test_spark_build_matches_duckdb(duckdb_build, spark_build):
    build, _log = spark_build
    duck = duckdb_tables(duckdb_build.build / "warehouse.duckdb")
    zones = {z for (z,) in duckdb_build.query("select time_zone from intermediate.int_account_time_zones_resolved")}
    assert "Europe/Berlin" in zones and "Australia/Sydney" in zones, zones
    spark = spark_tables(build, duck)
    assert any(n.startswith("marts.") for n in duck), "the DuckDB build has no marts"
    # the seeds of the larger score sets differ by design (Spark's went through Parquet);
    # ml.<score set> not
    parquet_sets = []
    for name in [n for n in duck if n.startswith("ml.") and n.endswith("_seed")]:
        rows = duck[name][1]
        assert rows, f"{name}: the DuckDB build's seed is empty"
        if len(rows) > SPARK_SEED_MAX_ROWS:
            parquet_sets.append(name)
            duck.pop(name)
            assert not spark.pop(name, (None, []))[1], f"{name}: Spark's seed should be empty (Parquet)"
    seeded = [n for n in duck if n.startswith("ml.") and n.endswith("_seed")]
    assert parquet_sets and seeded, f"both hand-off paths on Spark: Parquet {parquet_sets}, seeds {seeded}"
    problems = compare(duck, spark)
    report = REPO / "build" / "spark_comparison.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(problems) + "\n")
    compared = len(duck)
    assert not problems, (
        f"{len(problems)} of {compared} tables differ between Spark and DuckDB "
        f"(full list: {report}):\n" + "\n".join(problems[:40])
    )


# ------------------------------------------------------------------ each dispatched macro, both engines
# (expression, expected): one `dbt show --inline` per engine evaluates them all. The landed
# tables (register_landed_tables) and the score-file reader (read_parquet_file) are checked by the
# table comparison above (every staging and audit table reads them).
LIST = "regex_extract_list(\"'#a #b'\", '#([a-z]+)')"
MACRO_CASES = {
    "regex_extract": ("{{ regex_extract(\"'abc123'\", '([0-9]+)') }}", "123"),
    "regex_extract_no_match": ("{{ regex_extract(\"'abc'\", '([0-9]+)') }}", None),
    "regex_matches": ("{{ regex_matches(\"'abc'\", '^a[a-z]') }}", True),
    "regex_replace_all": ("{{ regex_replace_all(\"'a1b2'\", '([0-9])', '<\\\\1>') }}", "a<1>b<2>"),
    "regex_extract_list": ("{{ list_element(" + LIST + ", 1) }}", "a"),
    "regex_split_list": ("{{ list_element(regex_split_list(\"'a,b;c'\", '[,;]'), 3) }}", "c"),
    "list_element": ("{{ list_element(" + LIST + ", 2) }}", "b"),
    "list_length": ("{{ list_length(" + LIST + ") }}", 2),
    "unnest_list": ("(select count(*) from (select {{ unnest_list(" + LIST + ") }} as w) as u)", 2),
    "unnest_with_positions": (
        "(select sum(cast(v as int) * p) from (select {{ unnest_with_positions("
        "regex_extract_list(\"'10 20'\", '([0-9]+)'), 'v', 'p') }}) as u)",
        50,
    ),
    "fold_accents": ("{{ fold_accents(\"'Café Ñandú оригинальный Ἀθῆναι'\") }}", "Cafe Nandu оригинальныи Αθηναι"),
    "parse_export_timestamp": (
        "cast({{ parse_export_timestamp(\"'2023-01-02 03:04:05 UTC'\") }} as {{ dbt.type_string() }})",
        "2023-01-02 03:04:05",
    ),
    "parse_export_timestamp_bad": ("{{ parse_export_timestamp(\"'yesterday'\") }}", None),
    "creators_parse_timestamp": (
        "cast({{ creators_parse_timestamp(\"'3/4/2023'\") }} as {{ dbt.type_string() }})",
        "2023-03-04 00:00:00",
    ),
    "video_id_created_at": (
        "cast({{ video_id_created_at('cast(7000000000000000000 as bigint)') }} as {{ dbt.type_string() }})",
        dt.datetime.fromtimestamp(7000000000000000000 >> 32, dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
    ),
    "day_of_week": ("{{ day_of_week(\"cast('2024-01-07 10:00:00' as timestamp)\") }}", 7),
    "percentile": (
        "(select {{ percentile('x', 0.25) }} from (select 1.0 as x union all select 2.0 union all select 4.0) as t)",
        1.5,
    ),
    "percentiles": (
        "(select {{ list_element(percentile('x', [0.25, 0.5]), 2) }} "
        "from (select 1.0 as x union all select 2.0 union all select 4.0) as t)",
        2.0,
    ),
    "pseudonymise_user_name": ("{{ pseudonymise_user_name(\"' Alice '\") }}", "KEYED:alice"),
    "unix_seconds": ("{{ unix_seconds(\"cast('2024-03-01 12:00:00' as timestamp)\") }}", 1709294400),
    "sound_id_from_link": (
        "{{ sound_id_from_link(\"'https://m.tiktok.com/h5/share/music/7012345678901234567.html'\") }}",
        7012345678901234567,
    ),
    "post_sound_title": ("{{ post_sound_title(\"'Song - Remix - Artist'\") }}", "Song - Remix"),
    "is_photo_link": ("{{ is_photo_link(\"'https://p16.ibyteimg.com/a~photomode.jpeg?x=1'\") }}", True),
    # the influence analysis' sound keys and texts, built on the dispatched regex/accent macros
    "sound_title_key": ("{{ sound_title_key(\"'FLÔWERS (feat. Ana) [Remix]'\") }}", "flowers remix"),
    "sound_title_key_original": ("{{ sound_title_key(\"'Sonido Original'\") }}", "original sound"),
    "sound_artist_key": ("{{ sound_artist_key(\"'Miley Cyrus ft. Bob'\") }}", "miley cyrus"),
    "text_hashtags": ("{{ text_hashtags(\"'so good #Recipe lol #fyp'\") }}", "#Recipe #fyp"),
    "thousands_text": ("{{ thousands_text('cast(1234567 as bigint)') }}", "1,234,567"),
    # Berlin enters summer time at 01:00 UTC that day: 01:30 UTC is 03:30 local (a fixed +1 h: 02:30)
    "utc_to_local": (
        "cast({{ utc_to_local(\"cast('2024-03-31 01:30:00' as timestamp)\", \"'Europe/Berlin'\") }}"
        " as {{ dbt.type_string() }})",
        "2024-03-31 03:30:00",
    ),
    # an hour's offset added to each event's UTC time (int_activity_events_localized)
    "add_seconds": (
        "cast({{ add_seconds(\"cast('2024-03-31 01:30:00' as timestamp)\", '5400') }} as {{ dbt.type_string() }})",
        "2024-03-31 03:00:00",
    ),
    "add_seconds_null": ("{{ add_seconds('cast(null as timestamp)', '60') }}", None),
    # equal for equal rows (nulls equal), different when a value differs, moves or turns blank
    "row_fingerprint": (
        "{{ row_fingerprint([\"'a'\", 'null']) }} = {{ row_fingerprint([\"'a'\", 'null']) }}"
        " and {{ row_fingerprint([\"'a'\", 'null']) }} <> {{ row_fingerprint(['null', \"'a'\"]) }}"
        " and {{ row_fingerprint([\"'a'\", 'null']) }} <> {{ row_fingerprint([\"'a'\", \"''\"]) }}"
        " and {{ row_fingerprint([\"'ab'\", \"'c'\"]) }} <> {{ row_fingerprint([\"'a'\", \"'bc'\"]) }}",
        True,
    ),
}


def macro_values(env: dict, target: str) -> dict:
    import json

    from conftest import run_dbt

    sql = "select\n" + ",\n".join(f"    {expr} as {name}" for name, (expr, _) in MACRO_CASES.items())
    proc = run_dbt(env, "show", "--target", target, "--inline", sql, "--output", "json", "--log-format", "text")
    text = proc.stdout
    start = text.index("{", text.index('"show"') - 10 if '"show"' in text else 0)
    rows = json.loads(text[start : text.rindex("}") + 1])["show"]
    return rows[0]


def expected_value(name: str, expected, build) -> object:
    import hashlib

    if expected == "KEYED:alice":
        key = (build / "pseudonym.key").read_text().strip()
        return hashlib.sha256(f"{key}:alice".encode()).hexdigest()
    return expected


@pytest.mark.spark
@pytest.mark.skipif(not REQUESTED, reason="Spark comparison runs with `make test-spark`")
def test_dispatched_macros_on_both_engines(duckdb_build, spark_build):
    build, _ = spark_build
    spark_env = build_env(duckdb_build.raw, build, build / "unused.duckdb")
    results = {
        "duckdb": (macro_values(duckdb_build.env, "duckdb"), duckdb_build.build),
        "spark": (macro_values(spark_env, "spark"), build),
    }
    wrong = []
    for engine, (values, engine_build) in results.items():
        for name, (_, expected) in MACRO_CASES.items():
            want = normalise(expected_value(name, expected, engine_build))
            got = normalise(values.get(name))
            if not same_value(got, want):
                wrong.append(f"{engine}: {name} = {got!r}, expected {want!r}")
    assert not wrong, "\n".join(wrong)


# Covered by the table comparison (they make the landed and score files readable behind every
# staging, audit and scored table); raw_folder_listing feeds the landed-data currency test (none
# on Spark, by design; its DuckDB side is checked in tests/test_exports.py).
FILE_READERS = {
    "read_parquet_file",
    "register_landed_tables",
    "raw_folder_listing",
}


def test_every_dispatched_macro_has_a_spark_version_and_a_check():
    """Static (no Spark needed, part of `make test`): the dispatch list stays short and covered."""
    import re

    text = "\n".join(p.read_text() for p in (REPO / "macros").rglob("*.sql"))
    dispatched = set(re.findall(r"adapter\.dispatch\('([a-z_]+)', 'tiktok_warehouse'\)", text))
    assert dispatched, "no dispatched macros found"
    no_spark = sorted(m for m in dispatched if f"macro spark__{m}(" not in text)
    no_default = sorted(m for m in dispatched if f"macro default__{m}(" not in text)
    unchecked = sorted(m for m in dispatched - FILE_READERS if m not in MACRO_CASES)
    assert not no_spark and not no_default and not unchecked, (
        f"without spark__: {no_spark}; without default__: {no_default}; no case in MACRO_CASES: {unchecked}"
    )
    # 31 since the ML score hand-off reads Parquet (read_parquet_file), 32 since the watching marts
    # read UTC in local time (utc_to_local: ICU vs from_utc_timestamp), 33 since the events' local
    # times add each hour's offset (add_seconds: dbt's dateadd on Spark keeps whole seconds and
    # fails on a null), 34 since the profile rows' fingerprint is DuckDB's hash (md5 of the long
    # rows' text was a large share of their parse); each new one needs a reason
    assert len(dispatched) <= 34, f"{len(dispatched)} dispatched macros: keep the list short"


def test_sparks_accent_table_folds_as_duckdb_does():
    """Static (no Spark needed): spark__fold_accents' translate table maps each letter to what
    DuckDB's strip_accents makes of it, and holds every letter below U+2000 that DuckDB folds to
    one letter (a sound title in Cyrillic or Vietnamese keys the same on both engines)."""
    import re
    import unicodedata

    text = (REPO / "macros" / "tiktok_export" / "engine.sql").read_text()
    body = text[text.index("macro spark__fold_accents(") :]
    body = body[: body.index("endmacro")]

    def table(name):
        block = re.search(r"set " + name + r" = \((.*?)\) -%}", body, re.S).group(1)
        return "".join(re.findall(r"'([^']*)'", block))

    accented, folded = table("accented"), table("folded")
    assert len(accented) == len(folded) and len(set(accented)) == len(accented)
    con = duckdb.connect()
    try:
        wrong = [
            (a, f, duck)
            for a, f in zip(accented, folded, strict=True)
            if (duck := con.execute("select strip_accents(?)", [a]).fetchone()[0]) != f
        ]
        letters = [chr(c) for c in range(0xC0, 0x2000) if unicodedata.category(chr(c)).startswith("L")]
        folds = con.execute("select unnest(?), unnest(list_transform(?, x -> strip_accents(x)))", [letters, letters])
        missing = [a for a, duck in folds.fetchall() if duck != a and len(duck) == 1 and a not in accented]
    finally:
        con.close()
    assert not wrong, f"folded differently from DuckDB: {wrong[:10]}"
    assert not missing, f"letters DuckDB folds that the Spark table lacks: {''.join(missing[:40])}"


if __name__ == "__main__":  # child process of spark_tables: <build> <columns.pickle> <out.pickle>
    import pickle
    import sys
    from pathlib import Path

    with open(sys.argv[2], "rb") as fh:
        wanted_columns = pickle.load(fh)
    tables = _read_spark_tables(Path(sys.argv[1]), wanted_columns)
    with open(sys.argv[3], "wb") as fh:
        pickle.dump(tables, fh)
