"""Claims vs opinions, warehouse side: staging of the course CSVs with their quirks, audit and
reconciliation, the engagement marts, and the scored marts.

The sample's planted facts (docs/sample_data.md, scripts/generate_sample_data.py): 2,030 rows in
claims/tiktok_dataset.csv of which 30 trailing rows are unlabelled with `#N/A` counts, and 50
rows in claims/redownload/tiktok_dataset.csv, 38 of them repeating videos (every third with
counts that moved on). Three abridged re-saved copies repeat videos of the course file: a pandas
re-save of its last 200 rows (index column, float counts, empty NaN), those rows without the 30
unlabelled ones, and its first 200 rows under an `id` header. Claims have far more views than
opinions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, Build, build_env, run_dbt, run_pipeline

HEADER = (
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,video_download_count,"
    "video_comment_count"
)


# ----------------------------------------------------------------------------- sample build
def test_one_staged_row_per_video_and_unlabelled_rows_flagged(sample_build: Build):
    n, distinct, unlabelled, unlabelled_with_counts = sample_build.query(
        "select count(*), count(distinct video_id), count(*) filter (where not is_labelled), "
        "count(*) filter (where not is_labelled and video_view_count is not null) "
        "from staging.stg_claims__videos"
    )[0]
    assert n == distinct
    assert unlabelled == 30, "the 30 trailing `#N/A` rows stay in the warehouse, flagged"
    assert unlabelled_with_counts == 0, "`#N/A` counts must be null, not zero"
    # every raw row is accounted for: 2,030 + 50 raw rows, 38 re-downloaded videos
    assert n == 2030 + 50 - 38


RESAVED_COPIES = {
    "claims/pandas_resave/tiktok_dataset.csv": 200,
    "claims/labelled_only/tiktok_dataset.csv": 170,
    "claims/id_header/tiktok_dataset.csv": 200,
}


def test_reconciliation_adds_up_per_file(sample_build: Build):
    rows = sample_build.df("select * from audit.claims_videos_reconciliation order by source_file").set_index(
        "source_file"
    )
    assert set(rows.index) == {"claims/tiktok_dataset.csv", "claims/redownload/tiktok_dataset.csv", *RESAVED_COPIES}
    assert (rows["raw_rows"] == rows["staged_rows"] + rows["quarantined_rows"] + rows["duplicate_rows"]).all()
    for copy, n in RESAVED_COPIES.items():
        assert rows.loc[copy, "raw_rows"] == n, copy
    assert rows["raw_rows"].sum() == 2080 + sum(RESAVED_COPIES.values())
    # every row of a re-saved copy repeats a video of the course file, with the same values
    assert rows["duplicate_rows"].sum() == 38 + sum(RESAVED_COPIES.values())
    # every third re-downloaded row had counts that moved on: those are conflicting duplicates
    assert rows["conflicting_duplicate_rows"].sum() == 13
    assert rows["exact_duplicate_rows"].sum() == 25 + sum(RESAVED_COPIES.values())
    assert rows["quarantined_rows"].sum() == 0


def test_duplicates_keep_the_smallest_source_file_then_position(sample_build: Build):
    bad = sample_build.query(
        "select count(*) from audit.claims_videos_duplicates "
        "where not (kept_source_file < source_file "
        "or (kept_source_file = source_file and kept_source_row < source_row))"
    )[0][0]
    assert bad == 0
    # the kept row is the one staged
    missing = sample_build.query(
        "select count(*) from audit.claims_videos_duplicates as d "
        "left join staging.stg_claims__videos as v "
        "on d.video_id = v.video_id and d.kept_source_file = v.source_file and d.kept_source_row = v.source_row "
        "where v.video_id is null"
    )[0][0]
    assert missing == 0


def test_claim_videos_rates_are_fractions_of_views(sample_build: Build):
    off = sample_build.query(
        "select count(*) from marts.claim_videos where has_counts and not ("
        "abs(like_rate - video_like_count / video_view_count) < 1e-12 "
        "and abs(total_engagement_rate - (video_like_count + video_comment_count + video_share_count "
        "+ video_download_count) / video_view_count) < 1e-12)"
    )[0][0]
    assert off == 0
    types = dict(
        sample_build.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'claim_videos'"
        )
    )
    assert types["video_id"] == "BIGINT" and types["total_engagement_rate"] == "DOUBLE"


def test_engagement_summary_shows_claims_reach_far_more_views(sample_build: Build):
    medians = dict(
        sample_build.query(
            "select claim_status, median_value from marts.claim_engagement_summary "
            "where verified_status = 'all' and author_ban_status = 'all' and measure = 'video_view_count'"
        )
    )
    assert medians["claim"] > 5 * medians["opinion"]
    total = sample_build.query(
        "select n_videos from marts.claim_engagement_summary where claim_status = 'all' "
        "and verified_status = 'all' and author_ban_status = 'all' and measure = 'video_view_count'"
    )[0][0]
    labelled = sample_build.query("select count(*) from marts.claim_videos where has_counts")[0][0]
    assert total == labelled
    # every cell of claim status x verified x ban status is there for each measure
    cells = sample_build.query(
        "select count(distinct (claim_status, verified_status, author_ban_status)) "
        "from marts.claim_engagement_summary where measure = 'like_rate' and 'all' not in "
        "(claim_status, verified_status, author_ban_status)"
    )[0][0]
    assert cells >= 10


def test_correlations_are_symmetric_with_unit_diagonal(sample_build: Build):
    df = sample_build.df("select * from marts.claim_engagement_correlations")
    assert set(df["population"]) == {"all", "claim", "opinion"}
    diagonal = df[df["measure_x"] == df["measure_y"]]
    assert (diagonal["pearson_correlation"].sub(1).abs() < 1e-9).all()
    merged = df.merge(
        df, left_on=["population", "measure_x", "measure_y"], right_on=["population", "measure_y", "measure_x"]
    )
    assert (merged["pearson_correlation_x"] - merged["pearson_correlation_y"]).abs().max() < 1e-9
    likes_views = df[
        (df.population == "all") & (df.measure_x == "video_view_count") & (df.measure_y == "video_like_count")
    ]["spearman_correlation"].iloc[0]
    assert likes_views > 0.8, "likes scale with views in the sample"


def test_scored_marts_join_the_seeds(sample_build: Build):
    n_videos = sample_build.query("select count(*) from marts.claim_videos")[0][0]
    n_scores, n_joined = sample_build.query(
        "select count(*), count(v.video_id) from ml.claim_scores as s "
        "left join marts.claim_videos as v using (video_id)"
    )[0]
    assert n_scores == n_videos == n_joined
    queue = sample_build.df("select * from marts.claim_review_queue order by queue_position")
    assert len(queue) > 0
    assert list(queue["queue_position"]) == list(range(1, len(queue) + 1))
    assert queue["claim_probability"].is_monotonic_decreasing
    # unlabelled rows carry no counts and no transcript: a human must look at them
    unlabelled = sample_build.query(
        "select count(*) from marts.claim_review_queue where not is_labelled and needs_review"
    )[0][0]
    assert unlabelled == 30
    perf = sample_build.query(
        "select count(*) from marts.claim_model_performance where model = 'claim_classifier' "
        "and split = 'test' and group_name = 'all' and recall_score is not null"
    )[0][0]
    assert perf == 1


# ----------------------------------------------------------------------------- quirks
def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())


@pytest.fixture(scope="module")
def quirky_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("claims_quirks") / "raw"
    _write(
        raw / "claims" / "tiktok_dataset.csv",
        [
            HEADER,
            "1,claim,7017666017,59,someone shared with me that x,not verified,under review,343296,19425,241,1,0",
            "2,opinion,4014381136,32,i think that y,verified,active,140,56,5,0,0",
            # a line wrapped whole in quotes because its transcript holds commas
            '"3,claim,9859838091,31,""someone shared, with me, that z"",not verified,active,902185,97690,2858,833,329"',
            "4,claim,12ab34,30,someone shared with me that x,not verified,active,100,1,1,1,1",
            "5,maybe,1234567890,30,someone shared with me that x,not verified,active,100,lots,1,1,1",
            "6,,4380513697,39,,not verified,active,#N/A,#N/A,#N/A,#N/A,#N/A",
        ],
    )
    _write(
        raw / "claims" / "redownload" / "tiktok_dataset.csv",
        [
            HEADER,
            "1,claim,7017666017,59,someone shared with me that x,not verified,under review,350000,19425,241,1,0",
            "2,opinion,4014381136,32,i think that y,verified,active,140,56,5,0,0",
        ],
    )
    return raw


@pytest.mark.slow
def test_quirky_files_stage_quarantine_and_reconcile(quirky_raw: Path, tmp_path):
    env = build_env(quirky_raw, tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    # the claims chain including the scored marts, on header-only seeds (first pass)
    run_dbt(
        env,
        "build",
        "--select",
        "+claim_review_queue",
        "+claim_model_performance",
        "path:models/audit/claims",
        "--exclude",
        "tag:creators",
    )
    import duckdb

    con = duckdb.connect(str(tmp_path / "build" / "warehouse.duckdb"), read_only=True)
    try:
        staged = dict(
            con.execute("select video_id, video_transcription_text from staging.stg_claims__videos").fetchall()
        )
        quarantined = con.execute(
            "select source_row, quarantine_column, raw_value, reason "
            "from audit.claims_videos_quarantined order by source_row"
        ).fetchall()
        recon = con.execute(
            "select sum(raw_rows), sum(staged_rows), sum(quarantined_rows), sum(duplicate_rows), "
            "sum(wrapped_line_rows), sum(unlabelled_rows) from audit.claims_videos_reconciliation"
        ).fetchone()
        kept = con.execute(
            "select source_file, video_view_count from staging.stg_claims__videos where video_id = 7017666017"
        ).fetchone()
        queue_rows = con.execute("select count(*) from marts.claim_review_queue").fetchone()[0]
    finally:
        con.close()
    assert staged[9859838091] == "someone shared, with me, that z", "wrapped line split back into fields"
    assert staged[4380513697] is None and 4380513697 in staged, "unlabelled row kept"
    assert [(r[0], r[1], r[2]) for r in quarantined] == [(4, "video_id", "12ab34"), (5, "claim_status", "maybe")]
    assert "count" in quarantined[1][3], "every reason is listed"
    assert tuple(int(x) for x in recon) == (8, 4, 2, 2, 1, 1)
    # the smallest file name wins, whatever order the files were read in
    assert kept == ("claims/redownload/tiktok_dataset.csv", 350000)
    assert queue_rows == 0, "scored marts build empty before the ML step has run"


@pytest.mark.slow
def test_a_csv_that_is_not_the_course_format_fails_naming_the_file(quirky_raw: Path, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(quirky_raw, raw)
    (raw / "claims" / "other.csv").write_text("a,b\n1,2\n")
    env = build_env(raw, tmp_path / "build", tmp_path / "wh.duckdb")
    proc = run_pipeline(env, "prepare", check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "raw file claims/other.csv cannot be read: header lacks claim_status" in out, out[-3000:]


@pytest.mark.slow
def test_full_size_resaved_copies_reconcile(tmp_path):
    """The re-saved copies in the wild at full size, made the way they are made: `df.to_csv()`
    of the course file with pandas (unnamed index column, float counts, empty NaN), the course
    file without its unlabelled rows, and with `id` for `#`. Each reconciles (raw rows = staged +
    quarantined + duplicates), nothing is quarantined, and they add no video."""
    import duckdb
    import pandas as pd

    course = SAMPLE / "claims" / "tiktok_dataset.csv"
    raw = tmp_path / "raw" / "claims"
    raw.mkdir(parents=True)
    shutil.copy(course, raw / "tiktok_dataset.csv")
    frame = pd.read_csv(course)
    assert frame["video_view_count"].dtype == "float64", "pandas reads #N/A counts as NaN: floats"
    for name in ("pandas", "labelled", "renamed"):
        (raw / name).mkdir()
    frame.to_csv(raw / "pandas" / "tiktok_dataset.csv")
    labelled = course.read_bytes().decode().split("\r\n")
    _write(raw / "labelled" / "tiktok_dataset.csv", [line for line in labelled if line and line.split(",")[1]])
    _write(raw / "renamed" / "tiktok_dataset.csv", ["id" + labelled[0][1:], *[line for line in labelled[1:] if line]])
    env = build_env(tmp_path / "raw", tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    run_dbt(env, "build", "--select", "+claims_videos_reconciliation", "--exclude", "tag:creators")
    con = duckdb.connect(str(tmp_path / "build" / "warehouse.duckdb"), read_only=True)
    try:
        recon = {
            r[0]: r[1:]
            for r in con.execute(
                "select source_file, raw_rows, staged_rows, quarantined_rows, duplicate_rows, unlabelled_rows "
                "from audit.claims_videos_reconciliation"
            ).fetchall()
        }
        videos, labelled_videos = con.execute(
            "select count(*), count(*) filter (where is_labelled) from staging.stg_claims__videos"
        ).fetchone()
    finally:
        con.close()
    n_rows, n_unlabelled = len(frame), int(frame["claim_status"].isna().sum())
    assert recon["claims/pandas/tiktok_dataset.csv"][0] == n_rows
    assert recon["claims/labelled/tiktok_dataset.csv"][0] == n_rows - n_unlabelled
    assert recon["claims/renamed/tiktok_dataset.csv"][0] == n_rows
    for file, (raw_rows, staged, quarantined, duplicates, _) in recon.items():
        assert raw_rows == staged + quarantined + duplicates, file
        assert quarantined == 0, file
    assert videos == n_rows and labelled_videos == n_rows - n_unlabelled
