"""Personal exports: every layout staged from the landed items, exports merged, privacy,
reconciliation, coverage. (Detecting layouts and unreadable files is ingest's: tests/test_bad_inputs.py
and the ingest tests.)"""

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
    # real watch items carry no title; a sentinel never survives as one
    sentinel = one(
        sample_build,
        "select count(*) from staging.stg_tiktok_export__watches where video_title in ('N/A', 'None', '')",
    )
    assert sentinel == 0
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
        > 20
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
    # a post is its time in whole seconds; where its link does name a video, the id encodes it
    posts, bad = sample_build.query(
        "select count(*), count(*) filter (where posted_at_unix <> epoch(posted_at) "
        "or (video_id is not null and video_id >> 32 <> posted_at_unix)) from staging.stg_tiktok_export__posts"
    )[0]
    assert posts > 100 and bad == 0, (posts, bad)


def test_txt_export_account_and_fields(sample_build: Build):
    rows = sample_build.query(
        "select list_name, count(*) from staging.stg_tiktok_export__list_items where export_layout = 'txt' group by 1"
    )
    lists = dict(rows)
    for name in ("likes", "watch_history", "searches", "shares", "posts", "followers", "profile"):
        assert lists.get(name, 0) > 0, lists
    # each TXT export (of every era) is named by its own profile file, as its account's JSON exports are
    txt = sample_build.query(
        "select distinct items.account_id, accounts.account_id_source from staging.stg_tiktok_export__list_items "
        "as items inner join staging.base_tiktok_export__accounts as accounts using (export_root) "
        "where items.export_layout = 'txt'"
    )
    assert {a for a, _ in txt} >= {"dana.sings"} and all(source == "profile" for _, source in txt), txt
    assert {a for a, _ in txt} <= NAMED, txt
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
    # ... and theme the events: a favourite hashtag is one event, tagged once
    n, tagged = sample_build.query(
        "select count(*), count(tags.event_id) from staging.stg_tiktok_export__favorite_hashtags as favourites "
        "left join intermediate.int_events_themes_tagged as tags "
        "on tags.event_id = favourites.favorite_hashtag_id and tags.theme = 'comedy' "
        "where favourites.hashtag in ('comedie', 'comedy')"
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
        "+stg_tiktok_export__watches",
        "+stg_tiktok_export__likes",
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
        "select account_id, list_name, raw_item_count, landed_item_count, staged_row_count, duplicate_row_count, "
        "quarantined_row_count from audit.tiktok_export_reconciliation"
    )
    assert rows
    for acc, lst, raw, landed, staged, dup, quar in rows:
        assert raw == landed == staged + dup + quar, (acc, lst, raw, landed, staged, dup, quar)
    lists = {r[1] for r in rows}
    assert lists >= {"watch_history", "likes", "favorite_sounds", "posts", "comments", "followers", "following"}, lists
    reasons = dict(
        sample_build.query("select quarantine_reason, count(*) from audit.tiktok_export_quarantined_items group by 1")
    )
    # ~0.5% of watch/like links planted without a video id
    assert reasons.get("link holds no video id", 0) > 20, reasons
    # raw items counted independently of the staging models: the JSON array length (cam's like
    # list, capped at 6,000), and the account's count is the sum over its export files
    doc = json.loads((SAMPLE / "export" / "cam" / "user_data_tiktok.json").read_text(encoding="utf-8"))
    n_likes = len(doc["Likes and Favorites"]["Like List"]["ItemFavoriteList"])
    in_json = one(
        sample_build,
        "select sum(item_count) from audit.tiktok_export_coverage "
        "where source_file = 'export/cam/user_data_tiktok.json' and list_name = 'likes'",
    )
    assert in_json == n_likes
    per_file, account = sample_build.query(
        "select (select sum(item_count) from audit.tiktok_export_coverage "
        "where account_id = 'cam.plays' and list_name = 'likes'), "
        "(select raw_item_count from audit.tiktok_export_reconciliation "
        "where account_id = 'cam.plays' and list_name = 'likes')"
    )[0]
    assert per_file == account >= n_likes, (per_file, account)
    capped = sample_build.query(
        "select is_capped, history_known_from is not null from audit.tiktok_export_list_coverage "
        "where account_id = 'cam.plays' and list_name = 'likes'"
    )
    assert capped == [(True, True)], capped


# ----------------------------------------------------------------------------- no exports
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
        "+tiktok_export_list_coverage",
        "--exclude",
        "test_type:unit",
    )
    con = duckdb.connect(str(tmp_path / "build" / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from staging.stg_tiktok_export__watches").fetchone()[0] == 0
        assert con.execute("select count(*) from marts.influence_hypothesis_summary").fetchone()[0] == 0
        assert con.execute("select count(*) from audit.tiktok_export_list_coverage").fetchone()[0] == 0
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'staging' and table_name = 'stg_tiktok_export__watches'"
            ).fetchall()
        )
    finally:
        con.close()
    assert types["watched_at"] == "TIMESTAMP" and types["video_id"] == "BIGINT"


# ----------------------------------------------------------------------------- audit of the raw folder
def test_every_raw_file_is_in_the_audit_with_a_status(sample_build: Build):
    on_disk = {p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file()}
    rows = dict(sample_build.query("select source_file, file_status from audit.raw_files"))
    missing = sorted(on_disk - rows.keys())
    assert not missing, f"raw files missing from audit.raw_files: {missing[:5]}"
    # ZIP members are listed too, under the ZIP's path
    assert any(".zip/" in f for f in rows), sorted(rows)[:5]
    assert set(rows.values()) <= {"loaded", "not_analysed", "unknown", "unreadable"}
    # the sensitive TXT files of the TXT export are listed and never loaded
    sensitive = [f for f in rows if f.endswith(("Chat History.txt", "Login History.txt"))]
    assert sensitive and all(rows[f] == "not_analysed" for f in sensitive), {f: rows[f] for f in sensitive}


def test_coverage_counts_every_section_and_each_list_reaches_back(sample_build: Build):
    # sensitive sections appear only as counts
    sensitive = one(
        sample_build,
        "select count(*) from audit.tiktok_export_coverage where coverage_status = 'sensitive' and item_count > 0",
    )
    assert sensitive > 0
    # one coverage row per account and list of the reconciliation, with the same staged count
    rows = sample_build.query(
        "select r.account_id, r.list_name, r.staged_row_count, c.event_count, c.first_event_at, c.last_event_at "
        "from audit.tiktok_export_reconciliation as r left join audit.tiktok_export_list_coverage as c "
        "using (account_id, list_name) where r.list_name <> 'video_metadata'"
    )
    assert rows
    for account, list_name, staged, events, first, last in rows:
        assert events == staged, (account, list_name, staged, events)
        if list_name != "hashtags_used":
            assert first is not None and first <= last, (account, list_name, first, last)


def test_posts_shares_and_sounds_are_never_quarantined_for_their_links(sample_build: Build):
    wrong = sample_build.query(
        "select list_name, quarantine_reason, count(*) from audit.tiktok_export_quarantined_items "
        "where list_name in ('posts', 'deleted_posts', 'shares') group by 1, 2"
    )
    assert not wrong, wrong
    sounds, with_id = sample_build.query(
        "select count(*), count(sound_id) from staging.stg_tiktok_export__favorite_sounds"
    )[0]
    assert sounds > 0 and sounds == with_id


@pytest.mark.slow
def test_a_bare_dbt_build_on_stale_landed_data_warns(tmp_path):
    """The landed data describes the raw folder as ingest found it: a file added afterwards (or
    one gone) makes the manifest's currency test warn, naming the file."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE / "export" / "cam", raw / "export" / "cam")
    env = build_env(raw, tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    fresh = run_dbt(env, "test", "--select", "source:ingest")
    assert "landed_data_is_current_with_the_raw_folder" in fresh.stdout and "WARN 1" not in fresh.stdout
    (raw / "export" / "cam" / "notes.txt").write_text("added after ingest ran\n")
    stale = run_dbt(env, "test", "--select", "source:ingest")
    assert "WARN 1 landed_data_is_current_with_the_raw_folder" in stale.stdout, stale.stdout[-3000:]
