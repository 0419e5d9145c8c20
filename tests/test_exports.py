"""Personal exports (issue 3): every layout staged, exports merged, privacy, reconciliation,
unknown layouts stop the build."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE, Build, build_env, run_dbt, run_pipeline

NAMED = {"alex.cooks", "bea.moves", "cam.plays", "dana.sings", "eli.travels"}
STAGED_LISTS = [
    "watches",
    "likes",
    "favorite_videos",
    "favorite_sounds",
    "favorite_hashtags",
    "favorite_effects",
    "searches",
    "shares",
    "followings",
    "followers",
    "used_hashtags",
    "posts",
    "deleted_posts",
    "comments",
    "profiles",
]


def one(build: Build, sql: str):
    return build.query(sql)[0][0]


# ----------------------------------------------------------------------------- layouts
def test_every_layout_and_the_txt_export_are_staged(sample_build: Build):
    rows = dict(
        sample_build.query(
            "select export_layout, count(distinct account_id) from staging.stg_tiktok_export__list_items group by 1"
        )
    )
    assert {"v1", "v2", "v3", "txt"} <= set(rows), rows
    accounts = {r[0] for r in sample_build.query("select distinct account_id from staging.stg_tiktok_export__profiles")}
    assert accounts >= NAMED, accounts


@pytest.mark.parametrize("model", STAGED_LISTS)
def test_each_list_model_exists_with_provenance(sample_build: Build, model):
    cols = {
        r[0]
        for r in sample_build.query(
            "select column_name from information_schema.columns where table_schema = 'staging' and table_name = ?",
            [f"stg_tiktok_export__{model}"],
        )
    }
    assert {"account_id", "source_file", "export_layout"} <= cols, cols
    if model != "profiles":
        assert "item_position" in cols


def test_layout_quirks_are_parsed(sample_build: Build):
    # bea (v1) watch items use `VideoLink`; v2/v3 likes use lowercase keys: all carry ids
    for account, table in (("bea.moves", "watches"), ("alex.cooks", "likes"), ("cam.plays", "likes")):
        n, with_id = sample_build.query(
            f"select count(*), count(video_id) from staging.stg_tiktok_export__{table} where account_id = ?", [account]
        )[0]
        assert n > 500 and n == with_id, (account, table, n, with_id)
    # cam's v3 watch items carry titles; sentinels become null
    titled, sentinel = sample_build.query(
        "select count(video_title), count(*) filter (where video_title in ('N/A', '')) "
        "from staging.stg_tiktok_export__watches where account_id = 'cam.plays'"
    )[0]
    assert titled > 1000 and sentinel == 0
    # v3 comment dates carry ' UTC'
    assert (
        one(
            sample_build,
            "select count(*) from staging.stg_tiktok_export__comments "
            "where account_id = 'cam.plays' and commented_at is not null",
        )
        > 10
    )
    # the ZIP member is read (unpacked by the pipeline), with a relative source_file
    assert (
        one(
            sample_build,
            "select count(*) from staging.stg_tiktok_export__posts "
            "where source_file like 'export/eli/%.zip/user_data_tiktok.json'",
        )
        > 100
    )
    # bea's likesReceived is "None" -> null; elsewhere an integer
    prof = dict(
        sample_build.query(
            "select account_id, max(likes_received_count) from staging.stg_tiktok_export__profiles group by 1"
        )
    )
    assert prof["bea.moves"] is None and prof["alex.cooks"] > 0


def test_video_created_at_comes_from_the_id(sample_build: Build):
    rows = sample_build.query(
        "select video_id, epoch(video_created_at), epoch(liked_at) from staging.stg_tiktok_export__likes "
        "order by like_id limit 200"
    )
    for vid, created, liked in rows:
        assert created == vid >> 32
        assert created <= liked
    # a post's id encodes its own date
    assert (
        one(sample_build, "select count(*) from staging.stg_tiktok_export__posts where video_created_at <> posted_at")
        == 0
    )


def test_txt_export_account_and_fields(sample_build: Build):
    rows = sample_build.query(
        "select list_name, count(*) from staging.stg_tiktok_export__list_items where export_layout = 'txt' group by 1"
    )
    lists = dict(rows)
    for name in ("likes", "watch_history", "searches", "shares", "posts", "followers", "profile"):
        assert lists.get(name, 0) > 0, lists
    assert (
        one(
            sample_build,
            "select count(distinct account_id) from staging.stg_tiktok_export__list_items where export_layout = 'txt'",
        )
        == 1
    )
    assert (
        one(
            sample_build,
            "select count(*) from staging.stg_tiktok_export__posts "
            "where account_id = 'dana.sings' and is_comment_allowed is not null",
        )
        > 100
    )


def test_hashtags_are_normalised(sample_build: Build):
    bad = sample_build.query(
        "select hashtag from staging.stg_tiktok_export__favorite_hashtags "
        "where hashtag <> lower(strip_accents(hashtag)) or hashtag like '%#%' limit 5"
    )
    assert not bad, bad
    # accented spellings planted in the sample fold onto the taxonomy's keywords
    accented = sample_build.query(
        "select hashtag from staging.stg_tiktok_export__favorite_hashtags "
        "where hashtag_link <> strip_accents(hashtag_link)"
    )
    assert accented and all(r[0] in ("cafe", "comedie", "musica") for r in accented), accented
    n, tagged = sample_build.query(
        "select count(*), count(tags.event_id) from staging.stg_tiktok_export__posts as posts "
        "left join intermediate.int_events_themes_tagged as tags "
        "on tags.event_id = posts.post_id and tags.theme = 'comedy' "
        "where lower(posts.caption) like '%#comédie%'"
    )[0]
    assert n > 0 and n == tagged, (n, tagged)


# ----------------------------------------------------------------------------- merge
def test_overlapping_exports_merge_into_a_longer_history(sample_build: Build):
    per_file = sample_build.query(
        "select source_file, min(event_at), max(event_at), count(*) from staging.stg_tiktok_export__list_items "
        "where account_id = 'alex.cooks' and list_name = 'watch_history' group by 1 order by 1"
    )
    assert len(per_file) == 2
    raw_total = sum(r[3] for r in per_file)
    merged = sample_build.query(
        "select min(watched_at), max(watched_at), count(*), sum(export_copies) "
        "from staging.stg_tiktok_export__watches where account_id = 'alex.cooks'"
    )[0]
    assert merged[0] == min(r[1] for r in per_file) and merged[1] == max(r[2] for r in per_file)
    assert merged[2] < raw_total, "the overlap must be deduplicated"
    assert merged[2] > max(r[3] for r in per_file), "merged history is longer than any one export"
    dups = one(
        sample_build,
        "select count(*) from (select account_id, watched_at, video_id "
        "from staging.stg_tiktok_export__watches group by all having count(*) > 1)",
    )
    assert dups == 0
    # the docs plant ~696 identical watch items in both files
    assert 600 <= raw_total - merged[2] <= 800


def _stage_only(raw: Path, tmp: Path) -> duckdb.DuckDBPyConnection:
    env = build_env(raw, tmp / "build", tmp / "wh.duckdb")
    run_pipeline(env, "prepare")
    run_dbt(
        env,
        "build",
        "--select",
        "stg_tiktok_export__watches",
        "stg_tiktok_export__likes",
        "stg_tiktok_export__list_items",
        "--exclude",
        "test_type:unit",
    )
    return duckdb.connect(str(tmp / "build" / "warehouse.duckdb"), read_only=True)


@pytest.mark.slow
def test_merge_result_does_not_depend_on_export_order(tmp_path):
    """The same two exports under names that sort the other way round give the same events,
    each keeping the copy of the smallest source_file."""
    src = SAMPLE / "export" / "alex"
    a, b = tmp_path / "a" / "export" / "alex", tmp_path / "b" / "export" / "alex"
    shutil.copytree(src / "2024-12-15", a / "1_old")
    shutil.copytree(src / "2025-06-30", a / "2_new")
    shutil.copytree(src / "2024-12-15", b / "2_old")
    shutil.copytree(src / "2025-06-30", b / "1_new")
    results = []
    for raw in (tmp_path / "a", tmp_path / "b"):
        con = _stage_only(raw, raw)
        try:
            results.append(
                con.execute(
                    "select watch_id, watched_at, video_id, export_copies, source_file "
                    "from staging.stg_tiktok_export__watches order by watch_id"
                ).fetchall()
            )
        finally:
            con.close()
    events_a = [r[:4] for r in results[0]]
    events_b = [r[:4] for r in results[1]]
    assert events_a == events_b
    # overlapping items keep the smallest source_file: 1_old in a, 1_new in b
    shared_a = {r[4] for r in results[0] if r[3] > 1}
    shared_b = {r[4] for r in results[1] if r[3] > 1}
    assert shared_a == {"export/alex/1_old/user_data_tiktok.json"}
    assert shared_b == {"export/alex/1_new/user_data_tiktok.json"}


# ----------------------------------------------------------------------------- privacy
def test_no_planted_pii_anywhere_in_the_warehouse(sample_build: Build, canaries):
    """Every column of every table, as text, searched for every PII canary."""
    needles = canaries["pii"] + canaries["third_party_usernames"]
    con = sample_build.connect()
    try:
        con.execute("create temp table needles as select unnest(?::varchar[]) as needle", [needles])
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        hits = []
        for schema, table in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
            ]
            blob = " || ' ' || ".join(f"coalesce(cast(\"{c}\" as varchar), '')" for c in cols)
            found = con.execute(
                f'select needle from (select {blob} as blob from "{schema}"."{table}") as t '
                "join needles on contains(t.blob, needles.needle) limit 3"
            ).fetchall()
            hits += [f"{schema}.{table}: {h[0]}" for h in found]
    finally:
        con.close()
    assert not hits, hits[:10]
    # the canaries really are in the raw exports (the scan would prove nothing otherwise)
    raw = (SAMPLE / "export" / "cam" / "user_data_tiktok.json").read_text(encoding="utf-8")
    assert "CANARY-DM-cam-1" in raw and "canary.cam@example.com" in raw


def test_third_party_names_are_keyed_hashes(sample_build: Build, canaries):
    key = (sample_build.build / "pseudonym.key").read_text().strip()
    followers = {
        r[0]
        for r in sample_build.query(
            "select user_name_key from staging.stg_tiktok_export__followers "
            "union all select user_name_key from staging.stg_tiktok_export__followings"
        )
    }
    names = [n for n in canaries["third_party_usernames"] if "dmfriend" not in n]
    expected = {hashlib.sha256(f"{key}:{n.lower()}".encode()).hexdigest() for n in names}
    assert len(followers & expected) > 0.9 * len(followers)
    unkeyed = {hashlib.sha256(n.lower().encode()).hexdigest() for n in names}
    assert not followers & unkeyed, "names must be hashed with the per-install key"


def test_sensitive_lists_are_never_read(sample_build: Build):
    cols = {
        r[0]
        for r in sample_build.query(
            "select column_name from information_schema.columns where table_schema = 'staging' "
            "and table_name like 'stg_tiktok_export%'"
        )
    }
    allowed = {"shared_content", "content_disclosure", "ai_generated_content"}
    for forbidden in ("content", "email", "phone", "birth", "ip_", "device", "idfa", "gaid", "chat", "address"):
        assert not [c for c in cols if forbidden in c.lower() and c not in allowed], forbidden


# ----------------------------------------------------------------------------- reconciliation
def test_counts_reconcile_and_quarantine_has_reasons(sample_build: Build):
    rows = sample_build.query(
        "select account_id, list_name, raw_item_count, staged_row_count, duplicate_row_count, "
        "quarantined_row_count from audit.tiktok_export_reconciliation"
    )
    assert rows
    for acc, lst, raw, staged, dup, quar in rows:
        assert raw == staged + dup + quar, (acc, lst, raw, staged, dup, quar)
    reasons = dict(
        sample_build.query("select quarantine_reason, count(*) from audit.tiktok_export_quarantined_items group by 1")
    )
    # ~0.5% of watch/like links planted without a video id
    assert reasons.get("link holds no video id", 0) > 20, reasons
    # raw items counted independently of the staging models: JSON array lengths
    doc = json.loads((SAMPLE / "export" / "cam" / "user_data_tiktok.json").read_text(encoding="utf-8"))
    n_likes = len(doc["Likes and Favorites"]["Like List"]["ItemFavoriteList"])
    assert (
        one(
            sample_build,
            "select raw_item_count from audit.tiktok_export_reconciliation "
            "where account_id = 'cam.plays' and list_name = 'likes'",
        )
        == n_likes
    )


# ----------------------------------------------------------------------------- bad files
def _one_file_raw(tmp_path: Path, name: str, content: bytes) -> Path:
    raw = tmp_path / "raw"
    (raw / "export" / "zed").mkdir(parents=True)
    (raw / "export" / "zed" / name).write_bytes(content)
    return raw


@pytest.mark.slow
@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"Foo Section": {}, "Bar": []}', "unknown TikTok export layout; top-level keys found: Foo Section, Bar"),
        (b'{"Activity": {"Like List": ', "not valid JSON"),
    ],
)
def test_unreadable_or_unknown_export_stops_the_build_naming_the_file(tmp_path, content, message):
    raw = _one_file_raw(tmp_path, "user_data.json", content)
    env = build_env(raw, tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    proc = run_dbt(
        env, "build", "--select", "stg_tiktok_export__list_items", "--exclude", "test_type:unit", check=False
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "export/zed/user_data.json" in out and message in out, out[-3000:]


@pytest.mark.slow
def test_no_exports_give_empty_typed_relations(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    env = build_env(raw, tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    run_dbt(
        env,
        "build",
        "--select",
        "+influence_hypothesis_summary",
        "+tiktok_export_reconciliation",
        "--exclude",
        "test_type:unit",
    )
    con = duckdb.connect(str(tmp_path / "build" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from staging.stg_tiktok_export__watches").fetchone()[0] == 0
        assert con.execute("select count(*) from marts.influence_hypothesis_summary").fetchone()[0] == 0
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'staging' and table_name = 'stg_tiktok_export__watches'"
            ).fetchall()
        )
    finally:
        con.close()
    assert types["watched_at"] == "TIMESTAMP" and types["video_id"] == "BIGINT"
