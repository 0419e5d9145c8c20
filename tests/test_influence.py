"""Influence marts reproduce the signals planted in the sample (docs/sample_data.md):
posting themes follow engagement themes 3 weeks later; ~35-40% of posts reuse a sound favourited
before the post."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from conftest import REPO, Build

NAMED = ["alex.cooks", "bea.moves", "cam.plays", "dana.sings", "eli.travels"]
# Background themes per account (docs/sample_data.md): engaged with all along, so they carry
# no timing signal; the phase themes do.
BACKGROUND = {
    "alex.cooks": {"food", "travel", "fitness"},
    "bea.moves": {"dance", "fashion", "music"},
    "cam.plays": {"gaming", "tech", "comedy"},
    "dana.sings": {"music", "comedy", "beauty"},
    "eli.travels": {"travel", "pets", "food"},
}
PLANTED_LAG_WEEKS = 3


def test_account_level_best_lag_is_the_planted_lag(sample_build: Build):
    rows = {
        r[0]: r[1:]
        for r in sample_build.query(
            "select account_id, best_lag_weeks, best_lag_correlation, baseline_lag_correlation, lag_p_value "
            "from marts.influence_hypothesis_summary"
        )
    }
    for account in NAMED:
        lag, corr, baseline, p = rows[account]
        assert lag == PLANTED_LAG_WEEKS, (account, lag)
        # far above the same statistic with the engagement timing scrambled (time-shift baseline)
        assert corr > baseline + 0.4 and p < 0.05, (account, corr, baseline, p)


def test_main_phase_themes_peak_at_the_planted_lag(sample_build: Build):
    """For each account, the phase themes it posts most (top 4 by weeks with posts) correlate
    best with engagement 3 weeks earlier, clearly better than in the same week."""
    for account in NAMED:
        rows = sample_build.query(
            "select theme, best_lag_weeks, best_correlation, same_week_correlation "
            "from marts.theme_best_lags where account_id = ? "
            "order by weeks_with_theme_posts desc, theme",
            [account],
        )
        main = [r for r in rows if r[0] not in BACKGROUND[account]][:4]
        assert len(main) == 4, (account, rows)
        lags = Counter(r[1] for r in main)
        assert lags[PLANTED_LAG_WEEKS] >= 3, (account, main)
        for theme, lag, best, same in main:
            if lag == PLANTED_LAG_WEEKS:
                assert best > 0.6 and best > (same or 0) + 0.2, (account, theme, best, same)


def test_lag_correlation_profile_peaks_and_falls_off(sample_build: Build):
    for account in NAMED:
        corr = dict(
            sample_build.query(
                "select lag_weeks, sum(lag_correlation * mean_post_theme_share) / sum(mean_post_theme_share) "
                "from marts.theme_lag_correlations where account_id = ? and lag_correlation is not null "
                "and mean_post_theme_share > 0 group by 1",
                [account],
            )
        )
        assert corr[3] > corr[0] + 0.3 and corr[3] > corr[8] + 0.3, (account, corr)


def test_planted_favourite_sound_reuse_is_found(sample_build: Build):
    """Generator: 38% of posts take a sound favourited before the post, 5% one favourited later."""
    rows = {
        r[0]: r[1:]
        for r in sample_build.query(
            "select account_id, post_count, favorited_sound_post_count, favorited_before_post_count, "
            "favorited_before_post_rate from marts.account_sound_influence"
        )
    }
    for account in NAMED:
        posts, any_time, before, rate = rows[account]
        assert 0.28 <= rate <= 0.48, (account, rate)
        assert before < any_time <= posts, (account, before, any_time, posts)
    top = sample_build.query(
        "select account_id, sound_title, post_after_favorite_count from marts.reused_favorite_sounds "
        "where reuse_rank = 1"
    )
    assert {r[0] for r in top} >= set(NAMED)
    assert all(r[2] >= 3 for r in top), top


def planted_report(tmp_path) -> dict:
    """The generator's own account of what it planted (--describe), for the committed seed/scale
    (tests/test_sample_generator.py checks the committed sample equals a fresh run)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "generate_sample_data.py"),
            "--seed",
            "42",
            "--scale",
            "1",
            "--out",
            str(tmp_path / "sample"),
            "--describe",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return {a["handle"]: a for a in json.loads(proc.stdout)["accounts"]}


def test_posts_with_favourited_sounds_match_the_generator_exactly(sample_build: Build, tmp_path):
    """Per account, posts whose sound was favourited before / only after the post, and posts."""
    planted = planted_report(tmp_path)
    rows = {
        r[0]: tuple(r[1:])
        for r in sample_build.query(
            "select account_id, favorited_before_post_count, "
            "favorited_sound_post_count - favorited_before_post_count, post_count "
            "from marts.account_sound_influence"
        )
    }
    for account in NAMED:
        assert rows[account] == tuple(planted[account]["posts_reuse_before_after_total"]), account


def test_hypothesis_summary_states_a_supported_verdict(sample_build: Build):
    rows = sample_build.query(
        "select account_id, verdict, verdict_text, evidence_count from marts.influence_hypothesis_summary"
    )
    by_account = {r[0]: r[1:] for r in rows}
    for account in NAMED:
        verdict, text, evidence = by_account[account]
        assert verdict == "supported", (account, verdict, text)
        assert "3 week(s) later" in text and "% of your posts use a sound" in text, text
        assert evidence >= 2


def test_theme_overlap_beats_its_permutation_baseline(sample_build: Build):
    rows = sample_build.query(
        "select account_id, distribution_overlap, baseline_overlap, overlap_p_value, jaccard_similarity, "
        "post_themes_in_engagement_rate from marts.account_theme_overlap"
    )
    assert {r[0] for r in rows} >= set(NAMED)
    for account, overlap, baseline, p, jaccard, rate in rows:
        assert overlap > baseline, (account, overlap, baseline)
        assert 0 < p <= 1 and 0 <= jaccard <= 1 and 0 <= rate <= 1


def test_theme_tagging_recovers_planted_phase_themes(sample_build: Build):
    """alex's likes in the phase 2025-03-14 -> 2025-04-18 (comedy) are mostly comedy."""
    rows = dict(
        sample_build.query(
            "select theme, count(*) from intermediate.int_events_themes_tagged "
            "where account_id = 'alex.cooks' and theme_source = 'liked' "
            "and event_at >= '2025-03-21' and event_at < '2025-04-11' group by 1"
        )
    )
    top = max(rows, key=rows.get)
    assert top == "comedy", rows
    tagged_share = sample_build.query(
        "select avg(case when tagged_event_count > 0 then tagged_event_count * 1.0 / source_event_count end) "
        "from (select distinct account_id, theme_source, tagged_event_count, source_event_count "
        "from marts.account_theme_distribution where theme_source in ('liked', 'watched'))"
    )[0][0]
    assert tagged_share > 0.75, tagged_share


def test_theme_distribution_counts_each_event_once(sample_build: Build):
    """source_event_count is the account's events of that source, however many themes each
    carries; tagged_event_count the distinct events with a theme."""
    wrong = sample_build.query(
        "with events as (select account_id, theme_source, count(*) as n "
        "from intermediate.int_export_events_unioned where theme_source is not null group by 1, 2), "
        "tagged as (select account_id, theme_source, count(distinct event_id) as n "
        "from intermediate.int_events_themes_tagged group by 1, 2) "
        "select d.account_id, d.theme_source, d.source_event_count, events.n, d.tagged_event_count, tagged.n "
        "from (select distinct account_id, theme_source, source_event_count, tagged_event_count "
        "from marts.account_theme_distribution) as d "
        "join events using (account_id, theme_source) join tagged using (account_id, theme_source) "
        "where d.source_event_count <> events.n or d.tagged_event_count <> tagged.n"
    )
    assert not wrong, wrong[:5]
    multi = sample_build.query(
        "select count(*) from (select event_id from intermediate.int_events_themes_tagged "
        "group by event_id having count(*) > 1)"
    )[0][0]
    assert multi > 0, "the sample has no event with several themes: this check would not bite"


def test_daily_activity_and_trends_add_up(sample_build: Build):
    totals = sample_build.query(
        "select sum(watched_count), sum(liked_count), sum(posted_count) from marts.account_daily_activity"
    )[0]
    staged = sample_build.query(
        "select (select count(*) from staging.stg_tiktok_export__watches), "
        "(select count(*) from staging.stg_tiktok_export__likes), "
        "(select count(*) from staging.stg_tiktok_export__posts)"
    )[0]
    assert tuple(totals) == tuple(staged)
    weekly = sample_build.query("select sum(post_count) from marts.weekly_posting_trends")[0][0]
    profile = sample_build.query("select sum(post_count) from marts.posting_time_profile")[0][0]
    assert weekly == profile == staged[2]
    hashtags = sample_build.query(
        "select min(mean_hashtags_per_post), max(mean_hashtags_per_post) from marts.weekly_posting_trends"
    )[0]
    assert hashtags[0] >= 1 and hashtags[1] <= 6


def test_deleted_posts_are_compared_with_kept_posts(sample_build: Build):
    rows = sample_build.query(
        "select account_id, sum(deleted_post_count), sum(kept_post_count), "
        "sum(deleted_theme_share), sum(kept_theme_share) from marts.deleted_post_themes group by 1"
    )
    by_account = {r[0]: r[1:] for r in rows}
    for account in ("alex.cooks", "cam.plays"):
        deleted, kept, dshare, kshare = by_account[account]
        assert deleted >= 3 and kept > 100
        assert abs(dshare - 1) < 1e-9 and abs(kshare - 1) < 1e-9
