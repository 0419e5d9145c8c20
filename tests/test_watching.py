"""Watching habits (models/marts/watching): sessions, local time, the year in review.

The session and local-time logic has dbt unit tests beside the models; these tests check the
sample build against an independent pandas version of the same rules, that nothing is lost or
counted twice between the staged watch history and the marts (alex.cooks has two exports with
overlapping watch windows), and the time-zone rule's inputs (seed, var).
"""

from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest
from conftest import REPO, Build

from scripts import region_time_zones

GAPS = (5, 10, 30)  # dbt_project.yml: watch_session_gap_minutes + watch_session_other_gaps_minutes
LAST_VIDEO_SECONDS = 10


# ----------------------------------------------------------------------------- time zones
def test_region_seed_is_generated_from_the_pinned_tz_database():
    assert region_time_zones.main(["--check"]) == 0, "run scripts/region_time_zones.py"


def test_region_seed_maps_single_zone_regions_only():
    rows = dict(csv.reader(io.StringIO(region_time_zones.seed_text())))
    assert rows.pop("region_code") == "time_zone"
    assert rows["TR"] == "Europe/Istanbul" and rows["DE"] == "Europe/Berlin" and rows["GB"] == "Europe/London"
    assert rows["JP"] == "Asia/Tokyo" and rows["IN"] == "Asia/Kolkata" and rows["UK"] == "Europe/London"
    # several local times (or one only since 2024, like Kazakhstan): no row, UTC unless the var says
    for code in ("US", "CA", "BR", "RU", "MX", "AU", "ID", "ES", "PT", "KZ", "CN"):
        assert code not in rows, code
    assert all(len(code) == 2 and code.isupper() for code in rows)


def test_every_seed_zone_is_known_to_duckdb():
    con = duckdb.connect()
    known = {name for (name,) in con.execute("select name from pg_timezone_names()").fetchall()}
    rows = list(csv.DictReader(io.StringIO(region_time_zones.seed_text())))
    assert {r["time_zone"] for r in rows} <= known


def test_same_local_time_tells_zones_apart():
    assert region_time_zones.same_local_time(["Europe/Berlin", "Europe/Busingen"])
    # same offsets in winter, different DST rules
    assert not region_time_zones.same_local_time(["Europe/London", "Africa/Abidjan"])
    assert not region_time_zones.same_local_time(["America/New_York", "America/Chicago"])


def _show(build: Build, tmp_path, *args: str):
    """`dbt show` against the sample build, with its own target dir (vars change the parse)."""
    return build.dbt("show", "--target-path", str(tmp_path / "target"), "--output", "json", *args, check=False)


def test_time_zone_var_is_applied_and_validated(sample_build: Build, tmp_path):
    proc = _show(
        sample_build,
        tmp_path,
        "--select",
        "int_account_time_zones_resolved",
        "--vars",
        "{local_time_zone: {alex.cooks: Europe/Istanbul}}",
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert '"time_zone": "Europe/Istanbul"' in proc.stdout and '"time_zone_source": "var"' in proc.stdout
    assert proc.stdout.count('"time_zone_source": "UTC fallback"') == 4  # the sample's regions: US or none
    bad = _show(
        sample_build,
        tmp_path,
        "--select",
        "int_account_time_zones_resolved",
        "--vars",
        "{local_time_zone: Mars/Olympus}",
    )
    assert bad.returncode != 0
    assert "'Mars/Olympus' is not an IANA time zone name" in bad.stdout


def test_a_session_gap_that_is_not_whole_minutes_fails_compilation(sample_build: Build, tmp_path):
    proc = _show(sample_build, tmp_path, "--select", "watch_sessions", "--vars", "{watch_session_gap_minutes: 2.5}")
    assert proc.returncode != 0 and "whole minutes" in proc.stdout


# ----------------------------------------------------------------------------- sessions on the sample
def _pandas_sessions(watches: pd.DataFrame, gap_minutes: int) -> pd.DataFrame:
    """The session rule written again in pandas: a new session when the previous watch of the
    account is more than gap_minutes earlier."""
    w = watches.sort_values(["account_id", "watched_at", "watch_id"]).copy()
    gap = w.groupby("account_id")["watched_at"].diff().dt.total_seconds()
    w["start"] = gap.isna() | (gap > gap_minutes * 60)
    w["session_number"] = w.groupby("account_id")["start"].cumsum()
    return (
        w.groupby(["account_id", "session_number"])
        .agg(started_at=("watched_at", "min"), ended_at=("watched_at", "max"), video_count=("watch_id", "size"))
        .reset_index()
    )


def test_sessions_match_an_independent_implementation(sample_build: Build):
    watches = sample_build.df("select watch_id, account_id, watched_at from staging.stg_tiktok_export__watches")
    sessions = sample_build.df(
        "select account_id, gap_minutes, session_number, started_at, ended_at, video_count, span_seconds, "
        "estimated_duration_seconds from marts.watch_sessions"
    )
    assert sorted(sessions["gap_minutes"].unique()) == list(GAPS)
    for gap in GAPS:
        ours = sessions[sessions["gap_minutes"] == gap].sort_values(["account_id", "session_number"])
        theirs = _pandas_sessions(watches, gap).sort_values(["account_id", "session_number"])
        key = ["account_id", "session_number", "started_at", "ended_at", "video_count"]
        pd.testing.assert_frame_equal(
            ours[key].reset_index(drop=True), theirs[key].reset_index(drop=True), check_dtype=False
        )
        span = (ours["ended_at"] - ours["started_at"]).dt.total_seconds()
        assert (ours["estimated_duration_seconds"] == span + LAST_VIDEO_SECONDS).all()


def test_every_watch_event_sits_in_exactly_one_session_per_gap(sample_build: Build):
    """Staged watches = session videos per account and gap; and the staged history itself is
    the raw items less duplicates (alex.cooks' two exports overlap) and quarantined rows."""
    rows = sample_build.query(
        """
        with staged as (
            select account_id, count(*) as watches from staging.stg_tiktok_export__watches group by 1
        ),
        sessions as (
            select account_id, gap_minutes, sum(video_count) as videos from marts.watch_sessions group by 1, 2
        )
        select staged.account_id, sessions.gap_minutes, staged.watches, sessions.videos,
               rec.raw_item_count, rec.duplicate_row_count, rec.quarantined_row_count
        from staged
        left join sessions using (account_id)
        left join audit.tiktok_export_reconciliation as rec
            on rec.account_id = staged.account_id and rec.list_name = 'watch_history'
        order by 1, 2
        """
    )
    assert len(rows) == 5 * len(GAPS), rows
    for account, gap, watches, videos, raw, duplicates, quarantined in rows:
        assert videos == watches, (account, gap, watches, videos)
        assert watches == raw - duplicates - quarantined, (account, raw, duplicates, quarantined)
    overlap = {r[0]: r[5] for r in rows}
    assert overlap["alex.cooks"] > 0, "the sample's two alex.cooks exports overlap"
    files = sample_build.query(
        "select count(distinct source_file) from staging.stg_tiktok_export__watches where account_id = 'alex.cooks'"
    )[0][0]
    assert files == 2
    # no two sessions of one gap overlap in time (an overlap counted twice would)
    overlapping = sample_build.query(
        """
        select count(*) from (
            select started_at, lag(ended_at) over (partition by account_id, gap_minutes order by session_number) as prev
            from marts.watch_sessions
        ) where prev >= started_at
        """
    )[0][0]
    assert overlapping == 0
    # the audit table says the same, per account and gap
    audit = sample_build.query(
        "select count(*), count(case when staged_watch_count = session_video_count and unbroken_session_count = 0 "
        "then 1 end) from audit.watch_sessions_reconciliation"
    )[0]
    assert audit == (5 * len(GAPS), 5 * len(GAPS))


def test_daily_monthly_and_summary_reconcile_with_the_sessions(sample_build: Build):
    daily = sample_build.df("select * from marts.daily_watch_sessions")
    sessions = sample_build.df("select * from marts.watch_sessions where is_primary_gap")
    summary = sample_build.df("select * from marts.account_watching_summary").set_index("account_id")
    monthly = sample_build.df("select * from marts.monthly_watch_patterns")
    staged = sample_build.df(
        "select account_id, count(*) as n, count(case when hour(watched_at) < 5 then 1 end) as night "
        "from staging.stg_tiktok_export__watches group by 1"
    ).set_index("account_id")
    by_account = daily.groupby("account_id")[["video_count", "session_count", "estimated_watch_minutes"]].sum()
    for account, row in by_account.iterrows():
        s = sessions[sessions["account_id"] == account]
        assert row["video_count"] == staged.loc[account, "n"] == summary.loc[account, "video_count"]
        assert row["session_count"] == len(s) == summary.loc[account, "session_count"]
        assert row["estimated_watch_minutes"] == pytest.approx(s["estimated_minutes"].sum())
        assert summary.loc[account, "estimated_watch_hours"] == pytest.approx(s["estimated_minutes"].sum() / 60)
        # the sample's accounts have no single-zone region: UTC, so the night is 00:00-04:59 UTC
        assert summary.loc[account, "time_zone"] == "UTC"
        assert summary.loc[account, "night_watch_share"] == pytest.approx(
            staged.loc[account, "night"] / staged.loc[account, "n"]
        )
        m = monthly[monthly["account_id"] == account]
        assert m["video_count"].sum() == staged.loc[account, "n"]
        assert m["session_count"].sum() == len(s)
        assert m["longest_session_minutes"].max() == pytest.approx(summary.loc[account, "longest_session_minutes"])
    # the band: a longer gap never gives more sessions overall, nor fewer estimated hours
    assert (summary["session_count_low"] <= summary["session_count"]).all()
    assert (summary["estimated_watch_hours_high"] >= summary["estimated_watch_hours"]).all()


def test_local_time_profile_is_a_full_grid_of_every_watch_and_post(sample_build: Build):
    rows = sample_build.query(
        "select account_id, activity, count(*), sum(event_count), sum(event_share) "
        "from marts.local_time_profile group by 1, 2 order by 1, 2"
    )
    posts = dict(
        sample_build.query(
            "select account_id, count(*) from (select account_id from staging.stg_tiktok_export__posts "
            "union all select account_id from staging.stg_tiktok_export__deleted_posts) group by 1"
        )
    )
    watches = dict(sample_build.query("select account_id, count(*) from staging.stg_tiktok_export__watches group by 1"))
    assert len(rows) == 10
    for account, activity, slots, events, share in rows:
        assert slots == 7 * 24
        assert events == (watches if activity == "watched" else posts)[account]
        assert share == pytest.approx(1.0)


def test_year_in_review_counts_its_window(sample_build: Build):
    review = sample_build.df("select * from marts.year_in_review").set_index("account_id")
    assert len(review) == 5 and (review["window_source"] == "last 12 months of data").all()
    for account, r in review.iterrows():
        start, end = r["window_start_date"], r["window_end_date"]
        assert (pd.Timestamp(end) - pd.Timestamp(start)).days in (364, 365)
        watched = sample_build.query(
            "select count(*), min(cast(watched_at as date)), max(cast(watched_at as date)) "
            "from staging.stg_tiktok_export__watches where account_id = ? "
            "and cast(watched_at as date) between ? and ?",
            [account, start, end],
        )[0]
        assert r["watched_video_count"] == watched[0]
        assert (r["first_watch_date"], r["last_watch_date"]) == (pd.Timestamp(watched[1]), pd.Timestamp(watched[2]))
        liked = sample_build.query(
            "select count(*) from staging.stg_tiktok_export__likes where account_id = ? "
            "and cast(liked_at as date) between ? and ?",
            [account, start, end],
        )[0][0]
        assert r["liked_count"] == liked
        assert start <= r["busiest_date"] <= end and 0 <= r["busiest_hour_of_day"] <= 23
        assert r["longest_posting_streak_days"] >= 1 and r["top_themes"]
        # the sample ships a video-metadata file: top creators come from it
        assert r["metadata_watched_video_count"] > 0 and r["top_creators"]


def test_search_to_post_pairs_follow_the_rule(sample_build: Build):
    bad = sample_build.query(
        "select count(*) from marts.search_to_post_themes "
        "where not (first_matched_posted_at > searched_at "
        "and first_matched_posted_at <= searched_at + interval (window_weeks * 7) day)"
    )[0][0]
    assert bad == 0
    assert sample_build.query("select count(*) from marts.search_to_post_themes")[0][0] > 0


def test_the_account_page_has_a_watching_section():
    page = (REPO / "reports" / "pages" / "influence" / "[account].md").read_text()
    assert "## Watching" in page and "### Year in review" in page
    assert "warehouse.posting_time_profile" not in page, "posting hours are shown in local time"
    for source in ("account_watching_summary", "local_time_profile", "daily_watch_sessions", "year_in_review"):
        assert f"warehouse.{source}" in page, source
