"""Adding exports to a warehouse (issues 7 and 8): the export parser is incremental by export
folder, so a new download parses only its folder, appends only its new events, and gives the
same warehouse as a full rebuild. A loaded file that changes or disappears forces a full
refresh."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLE, assert_same_contents, build_env, run_pipeline, table_contents

EVENTS = "select account_id, watch_id, watched_at, video_id, source_file from staging.stg_tiktok_export__watches"
EXTRA_WATCH = {"Date": "2025-06-30 10:00:00", "Link": "https://www.tiktokv.com/share/video/7455555555555555555/"}


def rows(db: Path, sql: str) -> set[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(con.execute(sql).fetchall())
    finally:
        con.close()


def new_account_export(raw: Path) -> None:
    """bea's v1 export re-issued as a new account, `zed.new`, in its own folder."""
    doc = json.loads((SAMPLE / "export" / "bea" / "user_data.json").read_text())
    doc["Profile"]["Profile Information"]["ProfileMap"]["userName"] = "zed.new"
    (raw / "export" / "zed").mkdir(parents=True)
    (raw / "export" / "zed" / "user_data.json").write_text(json.dumps(doc))


def newer_snapshot(raw: Path) -> Path:
    """alex's latest download again, one watch longer, as a third snapshot of the same account."""
    src = SAMPLE / "export" / "alex" / "2025-06-30" / "user_data_tiktok.json"
    doc = json.loads(src.read_text())
    doc["Your Activity"]["Watch History"]["VideoList"].insert(0, EXTRA_WATCH)
    out = raw / "export" / "alex" / "2025-07-01" / "user_data_tiktok.json"
    out.parent.mkdir(parents=True)
    out.write_text(json.dumps(doc))
    return out


@pytest.mark.slow
def test_new_exports_append_only_their_events_and_match_a_full_rebuild(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    key = {"TIKTOK_PSEUDONYM_KEY": "incremental-test-key"}  # same pseudonyms in both builds
    env = build_env(raw, tmp_path / "build", tmp_path / "published" / "warehouse.duckdb", **key)
    run_pipeline(env, "build", "--skip-ml")
    db = tmp_path / "build" / "warehouse.duckdb"
    before = rows(db, EVENTS)
    items_before = rows(db, "select * from staging.stg_tiktok_export__list_items where export_folder <> 'alex'")

    new_account_export(raw)
    newer_snapshot(raw)
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "full refresh" not in log, log[-3000:]
    target = tmp_path / "build" / "target"
    compiled = next((target / "compiled").rglob("stg_tiktok_export__list_items.sql")).read_text()
    executed = next((target / "run").rglob("stg_tiktok_export__list_items.sql")).read_text()
    assert "delete from" in executed, "the export parser did not run incrementally (delete+insert)"
    # Only the folders with a new file are read: alex (a third snapshot) and zed (new).
    read = set(re.findall(r"read_text\('[^']*/(export/[^/']+)/", compiled))
    assert read == {"export/alex", "export/zed"}, f"the incremental parse read {sorted(read)}"
    for events in ("stg_tiktok_export__watches", "stg_tiktok_export__likes", "stg_tiktok_export__posts"):
        compiled = next((target / "compiled").rglob(f"{events}.sql")).read_text()
        executed = next((target / "run").rglob(f"{events}.sql")).read_text()
        assert "staged_counts" in compiled and "delete from" in executed, (
            f"{events} did not run incrementally (delete+insert of the accounts with new items)")

    after = rows(db, EVENTS)
    # Nothing already loaded changed: same events, same surviving provenance.
    assert before <= after, f"events changed or vanished: {sorted(before - after)[:5]}"
    appended = after - before
    accounts = {r[0] for r in appended}
    assert accounts == {"zed.new", "alex.cooks"}, accounts
    alex_new = {r for r in appended if r[0] == "alex.cooks"}
    assert {(r[3], str(r[2])[:10]) for r in alex_new} == {(7455555555555555555, "2025-06-30")}
    assert all(r[4].startswith("export/zed/") for r in appended if r[0] == "zed.new")
    # Parsed rows of folders that got no new file were kept as they were.
    kept = rows(db, "select * from staging.stg_tiktok_export__list_items "
                    "where export_folder not in ('alex', 'zed')")
    assert kept == items_before

    # The same raw folder built from scratch gives the same warehouse.
    fresh = tmp_path / "fresh"
    run_pipeline(build_env(raw, fresh / "build", fresh / "warehouse.duckdb", **key), "build", "--skip-ml")
    schemas = ("staging", "intermediate", "marts", "audit")
    assert_same_contents(table_contents(db, schemas), table_contents(fresh / "build" / "warehouse.duckdb", schemas),
                         "incremental vs full build")

    # A loaded file that disappears forces a full refresh: its events leave the warehouse.
    shutil.rmtree(raw / "export" / "zed")
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "full refresh of the parsed exports: export/zed/user_data.json is gone" in log
    assert rows(db, EVENTS) == before | alex_new
