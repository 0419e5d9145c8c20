"""Nothing leaked: the PII canaries planted in the sample exports never reach the warehouse,
the build's intermediate files or dbt's artifacts; third-party user names are pseudonymised
unless the user opts in."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE, Build, build_env, run_dbt, run_pipeline


def canary_forms(canary: str) -> set[str]:
    """The canary as planted, plus the forms a parser could turn it into (a parsed birth date)."""
    forms = {canary}
    for fmt in ("%d-%b-%Y", "%d-%b-%y"):
        with contextlib.suppress(ValueError):
            forms.add(datetime.strptime(canary, fmt).date().isoformat())
    return forms


def scan_database(path: Path, needles: list[str]) -> list[str]:
    """Every column of every table, cast to text, searched for any needle."""
    pattern = "|".join(re.escape(n) for n in needles)
    hits = []
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        for schema, table in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
            ]
            if not cols:
                continue
            blob = " || '\u241f' || ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in cols)
            found = con.execute(
                f'select regexp_extract({blob}, ?) as hit from "{schema}"."{table}" '
                f"where regexp_matches({blob}, ?) limit 3",
                [pattern, pattern],
            ).fetchall()
            hits += [f"{schema}.{table}: {h[0]!r}" for h in found]
    finally:
        con.close()
    return hits


def pii_needles(canaries: dict) -> list[str]:
    return sorted({form for c in canaries["pii"] for form in canary_forms(c)})


def test_canaries_are_planted_in_the_raw_exports(canaries):
    """The scan below only means something if the canaries are really in the input."""
    assert len(canaries["pii"]) >= 10 and len(canaries["third_party_usernames"]) >= 10
    raw = b"".join(
        p.read_bytes() for p in (SAMPLE / "export").rglob("*") if p.is_file() and p.suffix in (".json", ".txt")
    )
    missing = [c for c in canaries["pii"] if c.encode() not in raw]
    # ZIP members are compressed: canaries of that account are checked through the build
    assert len(missing) < len(canaries["pii"]) / 2, f"canaries not in raw exports: {missing[:5]}"


def test_no_pii_in_published_warehouse(sample_build: Build, canaries):
    hits = scan_database(sample_build.warehouse, pii_needles(canaries))
    assert not hits, f"PII canaries in the warehouse: {hits[:10]}"


def test_no_pii_in_build_artifacts(sample_build: Build, canaries):
    """dbt's compiled SQL, run results, logs, ML seeds, the landed Parquet files and artifacts:
    everything the build wrote, except `unpacked/`, which is a byte copy of the user's own ZIP
    input (raw data, not output)."""
    needles = [n.encode() for n in pii_needles(canaries)]
    offenders = []
    for path in sample_build.build.rglob("*"):
        if not path.is_file() or "unpacked" in path.relative_to(sample_build.build).parts:
            continue
        if path.suffix == ".duckdb":
            continue  # scanned through SQL (compressed on disk)
        data = path.read_bytes()
        offenders += [f"{path}: {n!r}" for n in needles if n in data]
    assert not offenders, offenders[:10]


def test_no_pii_in_build_database_file(sample_build: Build, canaries):
    hits = scan_database(sample_build.build / "warehouse.duckdb", pii_needles(canaries))
    assert not hits, hits[:10]


def test_no_pii_in_landed_files(sample_build: Build, canaries):
    """The landed Parquet files (compressed on disk: read through SQL) hold no PII canary. (They do
    hold followers' names as written: staging pseudonymises those before anything is persisted.)"""
    landed = sample_build.build / "landed"
    files = sorted(landed.rglob("*.parquet"))
    assert files, "no landed files"
    pattern = "|".join(re.escape(n) for n in pii_needles(canaries))
    hits = []
    con = duckdb.connect()
    try:
        for path in files:
            cols = [r[0] for r in con.execute(f"describe select * from read_parquet('{path}')").fetchall()]
            blob = " || '\u241f' || ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in cols)
            found = con.execute(
                f"select regexp_extract({blob}, ?) from read_parquet('{path}') where regexp_matches({blob}, ?) limit 3",
                [pattern, pattern],
            ).fetchall()
            hits += [f"{path.relative_to(landed)}: {h[0]!r}" for h in found]
    finally:
        con.close()
    assert not hits, hits[:10]


def test_third_party_usernames_are_pseudonymised_by_default(sample_build: Build, canaries):
    hits = scan_database(sample_build.warehouse, canaries["third_party_usernames"])
    assert not hits, f"clear-text follower/following names: {hits[:10]}"


@pytest.mark.slow
def test_opt_in_keeps_third_party_usernames(tmp_path, canaries):
    """The var switches pseudonymisation off: the same names then appear in clear."""
    env = build_env(SAMPLE, tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    run_dbt(
        env, "build", "--select", "+path:models/staging/tiktok_export", "--vars", "{keep_third_party_usernames: true}"
    )
    hits = scan_database(tmp_path / "build" / "warehouse.duckdb", canaries["third_party_usernames"])
    assert hits, "with keep_third_party_usernames the names should be kept"
    pii = scan_database(tmp_path / "build" / "warehouse.duckdb", pii_needles(canaries))
    assert not pii, pii[:5]
