"""The dbt sources on the landed files declare exactly the columns ingest writes: one declaration
(ingest/schema.py LANDED_TABLES) kept in step with the YAML dbt reads, name for name and type
for type."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from conftest import REPO, build_env, run_dbt

from ingest.schema import LANDED_TABLES

SOURCE_FILES = sorted((REPO / "models" / "staging").glob("*/_*__sources.yml"))


def landed_source_entries() -> list[dict]:
    """Every source of schema `landed`, from every sources YAML of the staging folders."""
    return [
        source
        for path in SOURCE_FILES
        for source in yaml.safe_load(path.read_text())["sources"]
        if source.get("schema") == "landed"
    ]


def landed_sources() -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, type)]} of every source table of schema `landed`."""
    declared = {}
    for source in landed_source_entries():
        for table in source["tables"]:
            name = table.get("identifier", table["name"])
            declared[name] = [(c["name"], c["data_type"].upper()) for c in table["columns"]]
    return declared


def test_source_columns_are_the_landed_schema():
    declared = landed_sources()
    assert declared.keys() == LANDED_TABLES.keys(), "every landed table is a source, once"
    for table, columns in declared.items():
        assert table in LANDED_TABLES, f"source table {table} is no landed table of ingest/schema.py"
        assert columns == list(LANDED_TABLES[table]), f"{table}: the source YAML and ingest/schema.py differ"


def test_sources_read_the_landed_folders():
    for source in landed_source_entries():
        if source.get("schema") == "landed":
            location = source["meta"]["external_location"]
            assert "/landed/{identifier}/*.parquet" in location and "union_by_name = true" in location, location


def test_dbt_compiles_and_documents_without_raw_or_landed_files(tmp_path):
    """dbt never opens a raw file: `dbt compile` and `dbt docs generate` (what `make docs` runs)
    work with TIKTOK_RAW_DIR pointing at a missing folder and no landed file at all (a query
    reading a file would stop on the missing paths), and the compiled staging reads the landed
    Parquet only."""
    raw, build = tmp_path / "missing", tmp_path / "build"
    env = build_env(raw, build, tmp_path / "warehouse.duckdb")
    prepare = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "warehouse.py"), "prepare", "--no-ingest"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert prepare.returncode == 0, prepare.stdout + prepare.stderr
    run_dbt(env, "compile")
    run_dbt(env, "docs", "generate", "--no-compile")
    assert not raw.exists() and not (build / "landed").exists()
    assert (build / "target" / "catalog.json").exists()
    models = [p for p in (build / "target" / "compiled").rglob("*.sql") if ".yml" not in p.parent.name]
    compiled = "\n".join(p.read_text() for p in models)
    assert "/landed/" in compiled
    # the models read files of the build dir only: the landed Parquet, the score Parquet and the
    # pseudonym key (at run time); nothing under the raw folder, no CSV, JSON or blob reader
    readers = re.findall(r"\b(read_\w+|glob)\s*\(\s*'([^']*)'", compiled)
    assert readers
    for reader, path in readers:
        assert path.startswith(str(build)), (reader, path)
        assert reader == "read_parquet" or (reader == "read_text" and path.endswith("/pseudonym.key")), (reader, path)
    assert str(raw) not in compiled
