"""Adding exports to a warehouse (issues 7 and 8): the export parser is incremental by export
folder, so a new download parses only its folder, appends only its new events, and gives the
same warehouse as a full rebuild. A loaded file that changes or disappears forces a full
refresh."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE, assert_same_contents, build_env, run_pipeline, table_contents, warehouse_script

EVENTS = "select account_id, watch_id, watched_at, video_id, source_file from staging.stg_tiktok_export__watches"
EXTRA_WATCH = {"Date": "2025-06-30 10:00:00", "Link": "https://www.tiktokv.com/share/video/7455555555555555555/"}


def model_sql(root: Path, file_name: str) -> Path:
    """A model's compiled or executed SQL file (not a unit test's fixture of the same name,
    which dbt writes under the test's YAML path)."""
    return next(path for path in root.rglob(file_name) if not any(part.endswith(".yml") for part in path.parts))


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
    assert "==> building exports: only new export files since the last build" in log, log[-3000:]
    target = tmp_path / "build" / "target"
    # Only the export lineage ran: nothing of the claims or creators domains was rebuilt.
    ran = {r["unique_id"].split(".")[-1] for r in json.loads((target / "run_results.json").read_text())["results"]}
    assert {"stg_tiktok_export__list_items", "int_events_themes_tagged", "skipped_raw_files"} <= ran
    assert not ran & {"claim_videos", "stg_claims__videos", "creators", "stg_creator_profiles__profiles"}, ran
    compiled = model_sql(target / "compiled", "stg_tiktok_export__list_items.sql").read_text()
    executed = model_sql(target / "run", "stg_tiktok_export__list_items.sql").read_text()
    assert "delete from" in executed, "the export parser did not run incrementally (delete+insert)"
    # Only the folders with a new file are read: alex (a third snapshot) and zed (new).
    read = set(re.findall(r"read_text\('[^']*/(export/[^/']+)/", compiled))
    assert read == {"export/alex", "export/zed"}, f"the incremental parse read {sorted(read)}"
    for events in ("stg_tiktok_export__watches", "stg_tiktok_export__likes", "stg_tiktok_export__posts"):
        compiled = model_sql(target / "compiled", f"{events}.sql").read_text()
        executed = model_sql(target / "run", f"{events}.sql").read_text()
        assert "upstream_versions" in compiled and "delete from" in executed, (
            f"{events} did not run incrementally (delete+insert of the accounts with new items)"
        )
    # The models after the events rebuild only the accounts whose raw export copies changed.
    for chain in (
        "int_export_events_unioned",
        "int_events_themes_tagged",
        "int_theme_weeks_computed",
        "int_lag_baselines_computed",
    ):
        compiled = model_sql(target / "compiled", f"{chain}.sql").read_text()
        executed = model_sql(target / "run", f"{chain}.sql").read_text()
        assert "rebuilt_accounts" in compiled and "delete from" in executed, (
            f"{chain} did not run incrementally (delete+insert of the accounts with new items)"
        )

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
    kept = rows(db, "select * from staging.stg_tiktok_export__list_items where export_folder not in ('alex', 'zed')")
    assert kept == items_before

    # Nothing new: nothing is rebuilt, and the published warehouse is the same.
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "==> building nothing: no input changed since the last complete build" in log, log[-3000:]
    assert "==> dbt build" not in log

    # The same raw folder built from scratch gives the same warehouse.
    fresh = tmp_path / "fresh"
    run_pipeline(build_env(raw, fresh / "build", fresh / "warehouse.duckdb", **key), "build", "--skip-ml")
    schemas = ("staging", "intermediate", "marts", "audit")
    assert_same_contents(
        table_contents(db, schemas),
        table_contents(fresh / "build" / "warehouse.duckdb", schemas),
        "incremental vs full build",
    )

    # A loaded file that disappears forces a full refresh: its events leave the warehouse.
    shutil.rmtree(raw / "export" / "zed")
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "full refresh of the parsed exports: export/zed/user_data.json is gone" in log
    assert rows(db, EVENTS) == before | alex_new

    # New video metadata changes every account's themes: a full refresh too.
    metadata = next((raw / "video_metadata").iterdir())
    metadata.write_bytes(metadata.read_bytes())  # same bytes, a new write
    os.utime(metadata, ns=(metadata.stat().st_atime_ns, metadata.stat().st_mtime_ns + 10**9))
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "full refresh of the parsed exports: the video-metadata files changed" in log, log[-3000:]


def scope_state(**changes) -> dict:
    state = {
        "files": {"export/a/user_data.json": [10, 1]},
        "parser_code": "p",
        "settings": "s",
        "project_code": "c",
        "other_raw_files": {"claims/claims.csv": [5, 1]},
    }
    return {**state, **changes}


@pytest.mark.parametrize(
    "current, with_ml, expected",
    [
        (scope_state(), True, ("nothing", "no input changed")),
        (
            scope_state(files={"export/a/user_data.json": [10, 1], "export/b/user_data.json": [3, 2]}),
            True,
            ("exports", "only new export files since the last build: export/b/user_data.json"),
        ),
        (scope_state(project_code="c2"), True, ("all", "the project's code changed")),
        (scope_state(settings="s2"), True, ("all", "the dbt vars")),
        (scope_state(other_raw_files={"claims/claims.csv": [6, 1]}), True, ("all", "raw file claims/claims.csv")),
        (
            scope_state(other_raw_files={"claims/claims.csv": [5, 1], "profiles/p.csv": [1, 1]}),
            True,
            ("all", "raw file profiles/p.csv"),
        ),
        (scope_state(other_raw_files={}), True, ("all", "raw file claims/claims.csv is new, changed or gone")),
    ],
)
def test_build_scope_rebuilds_only_what_changed(current, with_ml, expected):
    """What `make build` runs after a complete build: only the export lineage for new export files,
    nothing when nothing changed, everything for any other change."""
    completed = {**scope_state(), "with_ml": True}
    scope, why = warehouse_script.build_scope(completed, current, with_ml=with_ml)
    assert (scope, why[: len(expected[1])]) == expected, why
    assert warehouse_script.build_scope(None, current, with_ml=True)[0] == "all"
    # a build without the ML step on record does not stand for a build with it
    assert warehouse_script.build_scope({**completed, "with_ml": False}, scope_state(), with_ml=True)[0] == "all"
    assert warehouse_script.build_scope({**completed, "with_ml": False}, scope_state(), with_ml=False)[0] == "nothing"
