"""The dbt sources on the landed files declare exactly the columns ingest writes: one declaration
(ingest/schema.py LANDED_TABLES) kept in step with the YAML dbt reads, name for name and type
for type."""

from __future__ import annotations

import yaml
from conftest import REPO

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
