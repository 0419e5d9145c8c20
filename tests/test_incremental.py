"""Adding exports to a warehouse: ingest lands only the new files (a new load id), the incremental
staging models restage only the accounts of the new loads in a plain `dbt build`, and the result
is the same warehouse as a full rebuild. A landed file that changes in place or disappears, or a
change to the video metadata, forces a full refresh; no change runs neither landing nor dbt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE, assert_same_contents, build_env, run_pipeline, schema_tables, warehouse_script

from ingest.run import IngestResult

EVENTS = "select account_id, watch_id, watched_at, video_id, source_file from staging.stg_tiktok_export__watches"
EXTRA_WATCH = {"Date": "2025-06-30 10:00:00", "Link": "https://www.tiktokv.com/share/video/7455555555555555555/"}


def compiled(target: Path, kind: str, model: str) -> str:
    """A model's own compiled or run SQL (not a unit test's fixture of it, under `<file>.yml/`)."""
    paths = (p for p in (target / kind).rglob(f"{model}.sql") if not any(s.endswith(".yml") for s in p.parts))
    return next(paths).read_text()


# What differs between an incremental build and a fresh one by design: which ingest run landed a
# file (the new files came with load 2 there, load 1 here) and when ingest last looked at it.
RUN_COLUMNS = ("load_id", "ingested_at")


def contents(db: Path, schemas: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every table's rows without the run columns, in a canonical order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for schema, table in schema_tables(con, schemas):
            columns = [r[0] for r in con.execute(f'describe "{schema}"."{table}"').fetchall()]
            keep = ", ".join(f'"{c}"' for c in columns if c not in RUN_COLUMNS) or "1"
            found = con.execute(f'select {keep} from "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted(
                found, key=lambda r: repr(tuple(float(f"{v:.6g}") if isinstance(v, float) else v for v in r))
            )
        return out
    finally:
        con.close()


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
    results = json.loads((tmp_path / "build" / "target" / "run_results.json").read_text())["results"]
    assert results and not [r for r in results if r["unique_id"].startswith("unit_test.")], "make build ran unit tests"
    db = tmp_path / "build" / "warehouse.duckdb"
    before = rows(db, EVENTS)
    others = "select * from staging.stg_tiktok_export__watches where account_id not in ('alex.cooks', 'zed.new')"
    others_before = rows(db, others)
    items_before = rows(db, "select * from staging.stg_tiktok_export__list_items where export_folder <> 'alex'")
    load_before = rows(db, "select max(load_id) from staging.stg_tiktok_export__list_items")

    new_account_export(raw)
    newer_snapshot(raw)
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "ingest: load 2: 2 file(s) landed (2 new, 0 changed)" in log, log[-3000:]
    assert "full refresh" not in log, log[-3000:]
    assert "==> building dbt: new, changed or removed raw files: export/alex/2025-07-01" in log, log[-3000:]
    assert "==> ML: train" not in log
    landed = json.loads((tmp_path / "build" / "landed" / "ingest_state.json").read_text())["files"]
    assert {name for name, record in landed.items() if record["load_id"] == 2} == {
        "export/alex/2025-07-01/user_data_tiktok.json",
        "export/zed/user_data.json",
    }
    target = tmp_path / "build" / "target"
    executed = compiled(target, "run", "stg_tiktok_export__list_items")
    assert "delete from" in executed, "the item model did not run incrementally (delete+insert)"
    # The new files came with the next load id; only their accounts were restaged.
    (load_after,) = rows(db, "select max(load_id) from staging.stg_tiktok_export__list_items")
    (before_max,) = load_before
    assert load_after[0] > before_max[0], (load_after, before_max)
    new_loads = rows(
        db, f"select distinct account_id from staging.stg_tiktok_export__list_items where load_id > {before_max[0]}"
    )
    assert new_loads == {("zed.new",), ("alex.cooks",)}, new_loads
    # The event models and the theme chain after them rebuild only the accounts with rows above
    # the highest load id they held (delete+insert by account).
    for model in (
        "stg_tiktok_export__watches",
        "stg_tiktok_export__likes",
        "stg_tiktok_export__posts",
        "int_export_events_unioned",
        "int_events_themes_tagged",
        "int_theme_weeks_computed",
        "int_lag_baselines_computed",
    ):
        assert "load_id > (" in compiled(target, "compiled", model), f"{model} is not incremental on the load id"
        assert "delete from" in compiled(target, "run", model), (
            f"{model} did not run incrementally (delete+insert of the accounts with newly landed rows)"
        )

    after = rows(db, EVENTS)
    # Nothing already loaded changed: same events, same surviving provenance.
    assert before <= after, f"events changed or vanished: {sorted(before - after)[:5]}"
    appended = after - before
    assert {r[0] for r in appended} == {"zed.new", "alex.cooks"}
    alex_new = {r for r in appended if r[0] == "alex.cooks"}
    assert {(r[3], str(r[2])[:10]) for r in alex_new} == {(7455555555555555555, "2025-06-30")}
    assert all(r[4].startswith("export/zed/") for r in appended if r[0] == "zed.new")
    # Staged rows of accounts that got no new file were kept as they were.
    assert rows(db, others) == others_before
    kept = rows(db, "select * from staging.stg_tiktok_export__list_items where export_folder not in ('alex', 'zed')")
    assert kept == items_before

    # Nothing new: neither landing nor dbt, and the published warehouse is the same file, not
    # copied again; the report is not rendered again either.
    published = Path(env["TIKTOK_WAREHOUSE"])
    published_at = published.stat().st_mtime_ns
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "ingest: nothing changed since load 2" in log, log[-3000:]
    assert "==> building nothing: no input changed since the last complete build" in log, log[-3000:]
    assert "==> dbt build" not in log
    assert "==> nothing to do:" in log and "static report" not in log, log[-3000:]
    assert published.stat().st_mtime_ns == published_at
    # ... unless the published copy is gone: then it is published again, still without dbt.
    published.unlink()
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "==> dbt build" not in log and "==> published" in log and published.exists(), log[-3000:]

    # The same raw folder built from scratch gives the same warehouse.
    fresh = tmp_path / "fresh"
    run_pipeline(build_env(raw, fresh / "build", fresh / "warehouse.duckdb", **key), "build", "--skip-ml")
    schemas = ("staging", "intermediate", "marts", "audit")
    assert_same_contents(
        contents(db, schemas),
        contents(fresh / "build" / "warehouse.duckdb", schemas),
        "incremental vs full build",
    )

    # A landed file that disappears forces a full refresh: its events leave the warehouse.
    shutil.rmtree(raw / "export" / "zed")
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert "full refresh of the incremental models: export/zed/user_data.json is gone" in log, log[-3000:]
    assert rows(db, EVENTS) == before | alex_new

    # New video metadata changes every account's themes: a full refresh too.
    metadata = next((raw / "video_metadata").iterdir())
    # other bytes, same rows: the line endings of a re-save on Windows
    metadata.write_bytes(metadata.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    log = run_pipeline(env, "build", "--skip-ml").stdout
    assert f"full refresh of the incremental models: video_metadata/{metadata.name} changed in place" in log, log[
        -3000:
    ]


# ----------------------------------------------------------------------------- the plan, unit by unit
CURRENT = {
    "version": warehouse_script.BUILD_STATE_VERSION,
    "project_code": "c",
    "incremental_code": "i",
    "settings": "s",
}


def state(completed: dict | None = None, **changes) -> dict:
    done = {**CURRENT, "with_ml": True} if completed is None else completed
    return {**CURRENT, **changes, "completed": done, "pending_full_refresh": None}


def ingested(**fields) -> IngestResult:
    result = IngestResult(load_id=3, changed=bool(fields))
    for name, value in fields.items():
        setattr(result, name, value)
    return result


@pytest.mark.parametrize(
    "previous, result, with_ml, db, expected",
    [
        (state(), ingested(), True, True, ("nothing", "no input changed", None)),
        (
            state(),
            ingested(landed=["export/b/user_data.json"], new=["export/b/user_data.json"]),
            True,
            True,
            ("dbt", "new, changed or removed raw files: export/b/user_data.json", None),
        ),
        (
            state(),
            ingested(landed=["export/b/x.json", "export/c/y.json"], new=["export/b/x.json", "export/c/y.json"]),
            True,
            True,
            ("dbt", "new, changed or removed raw files: export/b/x.json (and 1 more)", None),
        ),
        (
            state(),
            ingested(landed=["export/b/x.json"], changed_in_place=["export/b/x.json"]),
            True,
            True,
            ("dbt", "new, changed", "export/b/x.json changed in place (landed again)"),
        ),
        (
            state(),
            ingested(removed=["export/b/x.json"]),
            True,
            True,
            ("dbt", "new, changed", "export/b/x.json is gone"),
        ),
        (
            state(),
            ingested(landed=["video_metadata/v.csv"], changed_in_place=["video_metadata/v.csv"]),
            True,
            True,
            ("dbt", "new, changed", "video_metadata/v.csv changed in place (landed again)"),
        ),
        (
            state(),
            ingested(landed=["claims/c.csv"], changed_in_place=["claims/c.csv"]),
            True,
            True,
            ("all", "raw file claims/c.csv is new, changed or gone", None),
        ),
        (state(), ingested(removed=["profiles/p.csv"]), True, True, ("all", "raw file profiles/p.csv", None)),
        (state(project_code="old"), ingested(), True, True, ("nothing", "no input changed", None)),
        (
            state(completed={**CURRENT, "project_code": "old", "with_ml": True}),
            ingested(),
            True,
            True,
            ("all", "the project's code changed", None),
        ),
        (state(incremental_code="old"), ingested(), True, True, ("dbt", "rows staged before", "the code of ingest")),
        (state(settings="old"), ingested(), True, True, ("dbt", "rows staged before", "the dbt vars")),
        (
            state(completed={**CURRENT, "with_ml": False}),
            ingested(),
            True,
            True,
            ("all", "the last build skipped the ML step", None),
        ),
        (state(completed={**CURRENT, "with_ml": False}), ingested(), False, True, ("nothing", "no input", None)),
        (state(), ingested(code_changed=True), True, True, ("dbt", "rows staged before", "the ingest code changed")),
        (
            {**state(), "pending_full_refresh": "x is gone", "completed": None},
            ingested(),
            True,
            True,
            ("all", "no", "x is gone"),
        ),
        (None, ingested(), True, False, ("all", "no complete build on record", None)),
        (None, ingested(), True, True, ("all", "no complete build", "no build state of this version")),
        (
            {"files": {}, "completed": {}},
            ingested(),
            True,
            True,
            ("all", "no complete", "no build state of this version"),
        ),
        (state(), ingested(), True, False, ("all", "no complete build on record", None)),
    ],
)
def test_plan_rebuilds_only_what_changed(previous, result, with_ml, db, expected):
    """What `make build` runs after a build: dbt alone for new exports, nothing when nothing
    changed, everything for other changes, and a full refresh (with its reason) whenever rows
    staged before are stale; a build dir from before the ingest layer rebuilds in full."""
    plan = warehouse_script.plan_build(previous, CURRENT, result, with_ml=with_ml, db_exists=db)
    scope, why, refresh = expected
    assert plan.scope == scope and plan.why.startswith(why), plan
    assert (plan.full_refresh or "").startswith(refresh or "") and bool(plan.full_refresh) == bool(refresh), plan
