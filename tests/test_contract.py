"""The warehouse's public names: every table and column (with its type) that analysts, BI
dashboards, the reports and the ML layer read, compared with a committed snapshot.

A difference fails with a diff. When it is on purpose, regenerate the snapshot and say so in
CHANGELOG.md (a renamed table keeps a view with the old name for a while):

    TIKTOK_UPDATE_SCHEMA_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_contract.py
"""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import REPO, Build

import tiktok_settings

SNAPSHOT = REPO / "tests" / "contract" / "warehouse_schema.txt"
PUBLIC_SCHEMAS = ("marts", "audit", "ml")
# Staging tables that are public names too (analysts' SQL reads them).
PUBLIC_STAGING = ("stg_tiktok_export__watches", "stg_video_metadata__videos")
HEADER = (
    "# schema.table  column  type: the warehouse's public names (tests/test_contract.py).\n"
    "# Regenerate on purpose only, with a line in CHANGELOG.md.\n"
)


def schema_lines(db: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            f"""
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            where table_catalog = current_database()
              and (table_schema in ({", ".join(f"'{s}'" for s in PUBLIC_SCHEMAS)})
                   or (table_schema = 'staging'
                       and table_name in ({", ".join(f"'{t}'" for t in PUBLIC_STAGING)})))
            order by table_schema, table_name, ordinal_position
            """
        ).fetchall()
    finally:
        con.close()
    return [f"{schema}.{table}  {column}  {data_type}" for schema, table, column, data_type in rows]


def snapshot_diff(expected: list[str], actual: list[str]) -> str:
    return "\n".join(difflib.unified_diff(expected, actual, "committed snapshot", "this build", lineterm="", n=1))


def test_public_schema_matches_the_snapshot(sample_build: Build):
    actual = schema_lines(sample_build.warehouse)
    assert actual, "the sample build published no public table"
    if tiktok_settings.current().update_schema_snapshot:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(HEADER + "\n".join(actual) + "\n")
    expected = [line for line in SNAPSHOT.read_text().splitlines() if line and not line.startswith("#")]
    assert actual == expected, (
        "the warehouse's public tables or columns changed; if on purpose, regenerate "
        "tests/contract/warehouse_schema.txt (see this file's docstring) and add a line to CHANGELOG.md:\n"
        + snapshot_diff(expected, actual)
    )


def test_snapshot_diff_names_an_added_and_a_removed_column():
    diff = snapshot_diff(["marts.a  x  INTEGER", "marts.a  y  VARCHAR"], ["marts.a  x  INTEGER", "marts.a  z  VARCHAR"])
    assert "-marts.a  y  VARCHAR" in diff and "+marts.a  z  VARCHAR" in diff


def test_snapshot_holds_the_names_the_project_promises():
    """The names the README and the reports promise are in the snapshot, so dropping one fails here."""
    text = SNAPSHOT.read_text()
    for line in (
        "audit.tiktok_export_reconciliation  account_id  VARCHAR",
        "audit.tiktok_export_reconciliation  list_name  VARCHAR",
        "audit.tiktok_export_reconciliation  raw_item_count",
        "audit.tiktok_export_reconciliation  staged_row_count",
        "audit.tiktok_export_reconciliation  duplicate_row_count",
        "audit.tiktok_export_reconciliation  quarantined_row_count",
        "marts.influence_hypothesis_summary  verdict  VARCHAR",
        "marts.influence_hypothesis_summary  best_lag_weeks",
        "marts.influence_hypothesis_summary  post_count",
        "marts.influence_hypothesis_summary  favorited_before_post_count",
        "ml.model_metrics  model  VARCHAR",
        "ml.model_metrics  split  VARCHAR",
        "ml.model_metrics  group_name  VARCHAR",
        "ml.model_metrics  metric  VARCHAR",
        "ml.model_metrics  value  DOUBLE",
        "marts.claim_model_performance  model  VARCHAR",
        "marts.account_theme_distribution  account_id  VARCHAR",
        "staging.stg_tiktok_export__watches  source_file  VARCHAR",
        "staging.stg_video_metadata__videos  video_id",
        "audit.claims_videos_reconciliation  source_file  VARCHAR",
    ):
        assert line in text, f"the snapshot lost a promised name: {line}"
