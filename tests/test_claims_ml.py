"""Claims vs opinions, ML side: the claim classifier, its review band and fairness rows, the
engagement-rate regression and its leakage check, determinism of the seeds (issue 4).

Metric floors are what the sample supports: the generator gives 1.5% of claims opinion-sized
reach (as in the real file), while every transcript keeps its class's phrasing (the real file's
transcripts separate the classes completely).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import Build

from ml import claims, io
from ml import evaluation as ev

CLASSIFIER_FLOORS = {"precision": 0.97, "recall": 0.97, "f1": 0.97, "roc_auc": 0.98, "pr_auc": 0.98}


def metrics(build: Build, model: str, split: str, group: str = "all") -> dict[str, float]:
    return dict(
        build.query(
            "select metric, value from ml.model_metrics where model = ? and split = ? and group_name = ?",
            [model, split, group],
        )
    )


def test_classifier_beats_the_floors_on_the_untouched_test_split(sample_build: Build):
    test = metrics(sample_build, "claim_classifier", "test")
    for name, floor in CLASSIFIER_FLOORS.items():
        assert test[name] >= floor, f"test {name} {test[name]:.4f} < {floor}"
    assert test["n"] >= 300


def test_four_candidates_compared_on_validation(sample_build: Build):
    models = {
        m
        for (m,) in sample_build.query(
            "select distinct model from ml.model_metrics where model like 'claim_classifier__%' "
            "and split = 'validation'"
        )
    }
    assert models == {
        f"claim_classifier__{n}" for n in ("logistic_regression", "naive_bayes", "random_forest", "gradient_boosting")
    }
    # the candidates never report on test: the test split stays untouched until the end
    assert (
        sample_build.query(
            "select count(*) from ml.model_metrics where model like 'claim_classifier__%' and split = 'test'"
        )[0][0]
        == 0
    )


def test_fairness_rows_by_verified_and_ban_status(sample_build: Build):
    groups = {
        g
        for (g,) in sample_build.query(
            "select distinct group_name from ml.model_metrics where model = 'claim_classifier' "
            "and split = 'test' and group_name <> 'all'"
        )
        if not g.startswith("feature=")
    }
    assert {
        "verified_status=verified",
        "verified_status=not verified",
        "author_ban_status=active",
        "author_ban_status=under review",
        "author_ban_status=banned",
    } <= groups
    for group in groups:
        m = metrics(sample_build, "claim_classifier", "test", group)
        assert {"precision", "recall", "positive_rate", "n"} <= set(m), group


def test_review_band_brackets_the_threshold_and_flags_a_minority(sample_build: Build):
    val = metrics(sample_build, "claim_classifier", "validation")
    assert val["review_band_low"] <= val["threshold"] <= val["review_band_high"]
    assert claims.MIN_REVIEW_SHARE - 0.02 <= val["review_share"] <= claims.MAX_REVIEW_SHARE
    scores = sample_build.df("select * from ml.claim_scores")
    labels = np.where(scores["claim_probability"] >= val["threshold"] - 5e-7, "claim", "opinion")
    assert (labels == scores["predicted_label"]).mean() > 0.999
    assert 0 < scores["needs_review"].mean() < 0.2
    assert scores["model_version"].nunique() == 1


def test_regression_reports_r2_mae_and_never_uses_engagement_counts(sample_build: Build):
    test = metrics(sample_build, "claim_engagement_regression", "test")
    assert {"r2", "mae", "rmse", "n"} <= set(test)
    baseline = metrics(sample_build, "claim_engagement_regression__baseline_mean", "test")
    # the sample draws engagement independently of everything known about a video: an honest
    # model cannot beat the mean by much, and a leaky one would score ~1
    assert test["r2"] < 0.5
    assert test["mae"] <= baseline["mae"] * 1.1
    train = metrics(sample_build, "claim_engagement_regression", "train")
    assert train["leakage_r2"] < claims.LEAKAGE_LIMIT
    assert not set(claims.REGRESSION_FEATURES) & set(claims.ENGAGEMENT_COUNTS)


def test_leakage_check_fails_a_deliberately_leaky_feature_set(sample_build: Build):
    videos = sample_build.df("select * from marts.claim_videos where has_counts order by video_id")
    target = videos[claims.REGRESSION_TARGET]
    honest, _ = claims.leakage_check(videos, claims.REGRESSION_NUMERIC, target)
    leaky, detail = claims.leakage_check(videos, [*claims.REGRESSION_NUMERIC, *claims.ENGAGEMENT_COUNTS], target)
    assert honest < 0.5
    assert leaky > claims.LEAKAGE_LIMIT, detail


def test_training_refuses_a_leaky_feature_set(sample_build: Build, tmp_path, monkeypatch):
    ctx = io.Context(
        warehouse=io.Warehouse(sample_build.warehouse), seeds_dir=tmp_path / "seeds", artifacts_dir=tmp_path / "ml"
    )
    videos = claims.load_videos(ctx)
    monkeypatch.setattr(claims, "REGRESSION_NUMERIC", [*claims.REGRESSION_NUMERIC, *claims.ENGAGEMENT_COUNTS])
    with pytest.raises(RuntimeError, match="leakage"):
        claims.train_regression(videos, ctx)


def _rerun(build: Build, root) -> io.Context:
    ctx = io.Context(warehouse=io.Warehouse(build.warehouse), seeds_dir=root / "seeds", artifacts_dir=root / "ml")
    claims.run(ctx)
    rows = pd.DataFrame(ctx.metrics, columns=io.MODEL_METRICS_COLUMNS)
    rows = rows.sort_values(["model", "split", "group_name", "metric"], kind="mergesort")
    io.write_seed(rows, ctx.seeds_dir / "model_metrics.csv", io.MODEL_METRICS_COLUMNS)
    return ctx


def test_rerun_writes_byte_identical_seeds(sample_build: Build, tmp_path):
    first, second = _rerun(sample_build, tmp_path / "a"), _rerun(sample_build, tmp_path / "b")
    for name in ("claim_scores.csv", "model_metrics.csv"):
        assert (first.seeds_dir / name).read_bytes() == (second.seeds_dir / name).read_bytes(), name
    # and the pipeline's run wrote the same scores
    mine = pd.read_csv(first.seeds_dir / "claim_scores.csv").sort_values("video_id", ignore_index=True)
    built = sample_build.df("select * from ml.claim_scores order by video_id")
    assert (mine["video_id"].to_numpy() == built["video_id"].to_numpy()).all()
    assert np.allclose(mine["claim_probability"], built["claim_probability"], atol=1e-6)
    assert (mine["model_version"] == built["model_version"]).all()


def test_plots_and_report_written(sample_build: Build):
    plots = sample_build.build / "ml" / "plots"
    for name in (
        "claims_pr_curve.png",
        "claims_confusion.png",
        "claims_importances.png",
        "claims_regression_importances.png",
    ):
        assert (plots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    report = (sample_build.build / "ml" / "claims_report.md").read_text()
    assert "Test split" in report and "Review band" in report


# ----------------------------------------------------------------------------- no build needed
def test_recall_first_threshold_prefers_recall_without_dropping_to_the_floor():
    y = np.array([0] * 50 + [1] * 50)
    p = np.r_[np.linspace(0.0, 0.4, 50), np.linspace(0.6, 1.0, 50)]
    t = claims.choose_recall_first_threshold(y, p)
    m = ev.classification_metrics(y, p, t)
    assert m["recall"] == 1.0 and m["precision"] == 1.0
    # a floor-only rule would stop at 95% recall here
    assert ev.classification_metrics(y, p, ev.choose_threshold(y, p, 0.95))["recall"] < 1.0


def test_review_band_catches_errors_near_the_threshold():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 1000)
    p = np.clip(np.where(y == 1, 0.8, 0.2) + rng.normal(0, 0.15, 1000), 0, 1)
    band = claims.choose_review_band(y, p, 0.5)
    assert band.low < 0.5 <= band.high
    assert claims.MIN_REVIEW_SHARE <= band.share <= claims.MAX_REVIEW_SHARE
    assert band.errors_outside < band.errors_total
    inside = band.contains(p)
    assert abs(inside.mean() - band.share) < 1e-9
