"""The ML training frames (models/ml_features) and the per-row reference time of the active label.

The label logic itself has dbt unit tests (models/ml_features/_ml_features__models.yml,
models/intermediate/creators/_creators__intermediate.yml); here: every model reads only its
frame, the frames hold what the models need and never a label input as a feature, and a build on
a file shaped like Bright Data's official 36-column sample (tests/brightdata36.py) labels every
row from its own picture-URL expiry, trains the active model with both classes, and names the
segments apart although nearly every creator is in one tier.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from datetime import UTC, timedelta

import brightdata36
import duckdb
import pytest
from conftest import REPO, SAMPLE, Build, build_env, run_dbt, run_pipeline

from ml import claims, creators
from ml.score_sets import ml_seed_dir

ML_FILES = sorted((REPO / "ml").glob("*.py"))
FRAMES = {
    claims.CLASSIFIER: claims.CLASSIFIER_FRAME,
    claims.REGRESSION: claims.REGRESSION_FRAME,
    creators.ACTIVE: creators.ACTIVE_FRAME,
    creators.SUCCESS: creators.SUCCESS_FRAME,
    creators.SEGMENTS: creators.SEGMENTS_FRAME,
}


def test_every_model_has_a_frame_named_after_it():
    for model, frame in FRAMES.items():
        assert frame == f"ml_features.ml_features__{model}"
        assert (REPO / "models" / "ml_features" / f"ml_features__{model}.sql").exists(), frame


def _code_strings(path) -> list[str]:
    """Every string literal of a module but its docstrings (f-string parts included)."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_ml_layer_reads_no_sql_of_its_own_over_marts():
    """Python only reads the frames: no joins and no mart names in its SQL strings."""
    for path in ML_FILES:
        for text in _code_strings(path):
            assert not re.search(r"\b(left |inner |outer )?join\s+\(?\s*(select\b|\w+\.\w)", text, re.I), (
                f"{path.name}: a join in {text!r}"
            )
            assert not re.search(r"\bfrom\s+marts\.\w", text, re.I), f"{path.name}: reads a mart: {text!r}"


def test_frames_hold_every_feature_and_the_label(sample_build: Build):
    wanted = {
        claims.CLASSIFIER_FRAME: [*claims.CLASSIFIER_FEATURES, "is_claim", "is_labelled"],
        claims.REGRESSION_FRAME: [
            *claims.REGRESSION_FEATURES,
            claims.REGRESSION_TARGET,
            *claims.REGRESSION_TARGET_INPUTS,
        ],
        creators.ACTIVE_FRAME: [*creators.ACTIVE_FEATURES, "is_active"],
        creators.SUCCESS_FRAME: [*creators.SUCCESS_FEATURES, "is_success", *creators.SUCCESS_TARGET_COMPONENTS],
        creators.SEGMENTS_FRAME: [*creators.SEGMENT_COUNTS, *creators.SEGMENT_RATES, "tier"],
    }
    for frame, columns in wanted.items():
        have = {c for (c,) in sample_build.query(f"select column_name from (describe {frame})")}
        assert set(columns) <= have, f"{frame} lacks {set(columns) - have}"
    # one row per entity
    for frame, key in ((claims.CLASSIFIER_FRAME, "video_id"), (creators.ACTIVE_FRAME, "creator_handle")):
        n, distinct = sample_build.query(f"select count(*), count(distinct {key}) from {frame}")[0]
        assert n == distinct > 0


def test_active_label_inputs_are_in_the_frame_but_never_features(sample_build: Build):
    have = {c for (c,) in sample_build.query(f"select column_name from (describe {creators.ACTIVE_FRAME})")}
    inputs = {"reference_at", "reference_source", "latest_video_at", "top_video_count", "days_since_latest_video"}
    assert inputs <= have and inputs <= creators.ACTIVE_LABEL_INPUTS
    assert not set(creators.ACTIVE_FEATURES) & creators.ACTIVE_LABEL_INPUTS
    # a labelled row is dated by its own scrape timestamp or picture expiry, never by nothing;
    # the sample's main profile file has a timestamp column
    rows = dict(
        sample_build.query(
            f"select reference_source, count(*) from {creators.ACTIVE_FRAME} where is_active is not null group by 1"
        )
    )
    assert rows.get("scrape_timestamp", 0) > 0
    assert set(rows) <= {"scrape_timestamp", "profile_pic_expiry"}, rows


def test_active_label_matches_its_definition_on_the_sample(sample_build: Build):
    df = sample_build.df(f"select * from {creators.ACTIVE_FRAME} where is_active is not null")
    window = timedelta(days=int(df["label_window_days"].iloc[0]))
    expected = df["latest_video_at"] >= df["reference_at"] - window
    assert (expected == df["is_active"].astype(bool)).all()
    assert 0 < df["is_active"].mean() < 1


# ----------------------------------------------------------------------------- 36-column shape
@pytest.mark.slow
def test_36_column_sample_shape_labels_each_row_and_trains_the_active_model(tmp_path):
    raw = tmp_path / "raw"
    truth = brightdata36.write(raw)
    shutil.copytree(SAMPLE / "top_creators", raw / "top_creators")
    build = tmp_path / "build"
    env = build_env(raw, build, tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")  # ingest lands the files, ML seed stubs
    frames = ["+ml_features__creators_active", "+ml_features__creators_success", "+ml_features__creator_segments"]
    run_dbt(env, "build", "--indirect-selection", "cautious", "--select", *frames)
    db = build / "warehouse.duckdb"

    con = duckdb.connect(str(db), read_only=True)
    try:
        frame = con.sql(f"select * from {creators.ACTIVE_FRAME}").df()
        file_max = con.sql("select max(scraped_at) from staging.stg_creator_profiles__profiles").fetchone()[0]
    finally:
        con.close()
    assert len(frame) == len(truth)
    assert set(frame["reference_source"]) == {"profile_pic_expiry"}, "no scrape timestamp: every row by its expiry"
    by_handle = frame.set_index("creator_handle")
    for handle, t in truth.items():
        row = by_handle.loc[handle]
        assert row["reference_at"].replace(tzinfo=UTC) == (t.expires_at - brightdata36.EXPIRY_MARGIN).replace(
            microsecond=0
        ), handle
        assert bool(row["is_active"]) == t.is_active, handle
    # the rows were scraped months apart: one file-wide time would have mislabelled many
    latest = max(t.expires_at for t in truth.values()) - brightdata36.EXPIRY_MARGIN
    wrong = sum(t.is_active != (t.latest_video_at >= latest - brightdata36.WINDOW) for t in truth.values())
    assert wrong > len(truth) * 0.1
    assert file_max is not None  # staging's file-modification time exists, and is not used

    out = subprocess.run(
        [sys.executable, "-m", "ml", "run", "--only", "creators"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    assert "active-creator model skipped" not in out.stdout, out.stdout
    print(out.stdout)
    seeds = ml_seed_dir(build)
    test = dict(
        duckdb.sql(
            f"select metric, value from read_csv('{seeds / 'model_metrics.csv'}') "
            "where model = 'creators_active' and split = 'test' and group_name = 'all'"
        ).fetchall()
    )
    assert test["n"] >= 100 and 0 < test["label_positive_rate"] < 1, "both classes on test"
    for name in ("precision", "recall", "f1"):
        assert 0 < test[name] <= 1 and test[f"{name}_ci_low"] <= test[name] <= test[f"{name}_ci_high"], name
    assert test["recall"] >= 0.9, "the recall-first threshold"
    card = duckdb.sql(f"select * from read_csv('{seeds / 'model_cards.csv'}') where model = 'creators_active'").df()
    assert card["status"].iloc[0] == "trained"
    assert f"minus a margin (48 hours before the URL's expiry) ({len(truth):,})" in card["reference_time"].iloc[0]
    print("active card:", card["headline_metrics"].iloc[0], card["notes"].iloc[0], sep="\n")

    segments = duckdb.sql(f"select * from read_csv('{seeds / 'creator_segments.csv'}')").df()
    names = segments.groupby("segment_id")["segment_name"].first()
    assert names.nunique() == len(names) == creators.N_SEGMENTS
    leads = {n.split(":")[0] for n in names}
    assert len(leads) >= 2, names.tolist()
    con = duckdb.connect(str(db), read_only=True)
    try:
        nano = con.sql(
            f"select avg(case when tier = 'nano' then 1.0 else 0 end) from {creators.SEGMENTS_FRAME}"
        ).fetchone()[0]
    finally:
        con.close()
    assert nano > 0.5, "the shape's point: most creators share one tier, so tiers cannot name segments"
