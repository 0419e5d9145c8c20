"""Claims vs opinions, ML side: the claim classifier, its review band and fairness rows, the
engagement-rate regression and its leakage check, determinism of the seeds.

Metric floors are what the sample supports: the generator gives 1.5% of claims opinion-sized
reach (as in the real file), while every transcript keeps its class's phrasing (the real file's
transcripts separate the classes completely).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import Build

from ml import cards, claims, io
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


CANDIDATES = (
    "transcript_logistic_regression",
    "logistic_regression",
    "naive_bayes",
    "random_forest",
    "gradient_boosting",
)


def test_five_candidates_compared_on_validation(sample_build: Build):
    models = {
        m
        for (m,) in sample_build.query(
            "select distinct model from ml.model_metrics where model like 'claim_classifier\\_\\_%' escape '\\' "
            "and split = 'validation'"
        )
    }
    assert models == {f"claim_classifier__{n}" for n in CANDIDATES}
    assert list(claims.classifier_candidates()) == list(CANDIDATES), "simplest first: ties go to the simpler"
    # the candidates never report on test: the test split stays untouched until the end
    candidates_on_test = sample_build.query(
        "select count(*) from ml.model_metrics where model like 'claim_classifier\\_\\_%' escape '\\' "
        "and split = 'test' and model not like '%\\_\\_baseline\\_%' escape '\\'"
    )[0][0]
    assert candidates_on_test == 0
    # every candidate, and the baselines, in the public mart
    performance = {
        c
        for (c,) in sample_build.query(
            "select distinct candidate_name from marts.claim_model_performance "
            "where model_family = 'claim_classifier' and candidate_name is not null"
        )
    }
    assert performance == {*CANDIDATES, "baseline_prior", "baseline_view_count_rule"}


def test_candidates_compared_on_a_capped_validation_sample_the_threshold_on_all(
    sample_build: Build, tmp_path, monkeypatch
):
    """On millions of rows the candidates are compared on at most TIKTOK_ML_MAX_FIT_ROWS
    validation rows (scoring each on the whole split costs more than fitting it); the chosen
    one's threshold and its validation metrics use the whole split."""
    monkeypatch.setenv("TIKTOK_ML_MAX_FIT_ROWS", "150")
    ctx = io.Context(
        warehouse=io.Warehouse(sample_build.warehouse), seeds_dir=tmp_path / "seeds", artifacts_dir=tmp_path / "ml"
    )
    videos = claims.load_videos(ctx)
    result = claims.train_classifier(videos, ctx)
    rows = pd.DataFrame(ctx.metrics, columns=io.MODEL_METRICS_COLUMNS)
    n = rows[(rows["metric"] == "n") & (rows["split"] == "validation") & (rows["group_name"] == "all")]
    n = dict(zip(n["model"], n["value"], strict=True))
    assert {n[f"claim_classifier__{c}"] for c in CANDIDATES} == {150}
    assert n["claim_classifier"] == result["n"]["validation"] > 150
    # the threshold is the recall-first one on every validation row's score
    labelled = videos[videos["is_labelled"].astype(bool)].reset_index(drop=True)
    y = labelled["is_claim"].astype(int).to_numpy()
    _, val, _ = ev.stratified_split(y, seed=claims.SEED)
    scores = pd.read_csv(ctx.seeds_dir / "claim_scores.csv").set_index("video_id")["claim_probability"]
    p_val = scores.loc[labelled["video_id"].astype("int64").to_numpy()[val]].to_numpy()
    assert result["threshold"] == pytest.approx(claims.choose_recall_first_threshold(y[val], p_val), abs=1e-6)


def test_transcript_candidate_separates_the_sample_as_the_real_file(sample_build: Build):
    """The real file's transcripts separate the classes completely (a TF-IDF logistic regression
    on them alone reaches 1.000 / 1.000); so do the sample's: the candidate must see it on
    validation, and the chosen model keeps it on the untouched test split."""
    val = metrics(sample_build, "claim_classifier__transcript_logistic_regression", "validation")
    assert val["precision"] == 1.0 and val["recall"] == 1.0
    test = metrics(sample_build, "claim_classifier", "test")
    assert test["precision"] >= 0.999 and test["recall"] >= 0.999
    # and the seed's random forest stays a reported candidate
    forest = metrics(sample_build, "claim_classifier__random_forest", "validation")
    assert {"precision", "recall", "f2", "pr_auc"} <= set(forest)


def test_test_metrics_carry_bootstrap_intervals_and_beat_the_baselines(sample_build: Build):
    test = metrics(sample_build, "claim_classifier", "test")
    for name in ("precision", "recall", "f1"):
        assert test[f"{name}_ci_low"] <= test[name] <= test[f"{name}_ci_high"], name
    rows = dict(
        sample_build.query(
            "select candidate_name, f1_score from marts.claim_model_performance "
            "where split = 'test' and group_name = 'all' and model_family = 'claim_classifier'"
        )
    )
    chosen = rows.pop(None)
    assert rows and all(chosen > f1 for f1 in rows.values()), rows


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
    assert train["leakage_r2_target_components"] > claims.LEAKAGE_LIMIT, "the check bites on the counts"
    assert not set(claims.REGRESSION_FEATURES) & set(claims.REGRESSION_TARGET_INPUTS)
    # only what is known before anyone engages
    assert set(claims.REGRESSION_FEATURES) == {
        "video_duration_sec",
        "verified_status",
        "author_ban_status",
        "video_transcription_text",
    }
    assert test["r2_ci_low"] <= test["r2"] <= test["r2_ci_high"]


def test_leakage_check_fails_a_deliberately_leaky_feature_set(sample_build: Build):
    videos = sample_build.df(f"select * from {claims.REGRESSION_FRAME} order by video_id")
    target = videos[claims.REGRESSION_TARGET]
    honest, _ = claims.leakage_check(videos, claims.REGRESSION_NUMERIC, target)
    leaky, detail = claims.leakage_check(videos, [*claims.REGRESSION_NUMERIC, *claims.REGRESSION_TARGET_INPUTS], target)
    assert honest < 0.5
    assert leaky > claims.LEAKAGE_LIMIT, detail


def test_training_refuses_a_leaky_feature_set(sample_build: Build, tmp_path, monkeypatch):
    ctx = io.Context(
        warehouse=io.Warehouse(sample_build.warehouse), seeds_dir=tmp_path / "seeds", artifacts_dir=tmp_path / "ml"
    )
    rated = claims.load_rated_videos(ctx)
    monkeypatch.setattr(claims, "REGRESSION_NUMERIC", [*claims.REGRESSION_NUMERIC, *claims.REGRESSION_TARGET_INPUTS])
    with pytest.raises(RuntimeError, match="leakage"):
        claims.train_regression(rated, ctx)


def _rerun(build: Build, root) -> io.Context:
    ctx = io.Context(warehouse=io.Warehouse(build.warehouse), seeds_dir=root / "seeds", artifacts_dir=root / "ml")
    claims.run(ctx)
    rows = pd.DataFrame(ctx.metrics, columns=io.MODEL_METRICS_COLUMNS)
    rows = rows.sort_values(["model", "split", "group_name", "metric"], kind="mergesort")
    io.write_seed(rows, ctx.seeds_dir / "model_metrics.csv", io.MODEL_METRICS_COLUMNS)
    cards.write(ctx)
    return ctx


def test_rerun_writes_byte_identical_seeds(sample_build: Build, tmp_path):
    first, second = _rerun(sample_build, tmp_path / "a"), _rerun(sample_build, tmp_path / "b")
    for name in ("claim_scores.csv", "model_metrics.csv", "model_cards.csv"):
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


def test_recall_first_threshold_sits_midway_in_the_gap_below_the_chosen_score():
    """Separable validation scores: the cut goes between the last opinion and the first claim,
    not on the least confident claim (a test claim scored a hair lower would be missed)."""
    y = np.array([0, 0, 0, 1, 1, 1])
    p = np.array([0.05, 0.1, 0.3, 0.7, 0.8, 0.95])
    t = claims.choose_recall_first_threshold(y, p)
    assert t == pytest.approx(0.5)
    assert ev.classification_metrics(y, p, t)["recall"] == 1.0
    # a test claim just below the least confident validation claim is still caught
    assert t <= 0.69
    # the same validation predictions as the score itself
    assert ((p >= t) == (p >= 0.7)).all()


def test_bootstrap_intervals_of_classification_metrics():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    pred = np.where(rng.random(400) < 0.9, y, 1 - y)  # 90% right
    intervals = ev.bootstrap_classification_intervals(y, pred)
    m = ev.classification_metrics(y, pred, 0.5)
    for name in ("precision", "recall", "f1", "accuracy"):
        low, high = intervals[name]
        assert low < m[name] < high, name
        assert 0.02 < high - low < 0.15, (name, low, high)  # about +-1.96 * sqrt(0.09 / 200)
    assert ev.bootstrap_classification_intervals(y, pred) == intervals, "deterministic"
    # no error at all: the percentile interval is the point itself
    assert ev.bootstrap_classification_intervals(y, y)["recall"] == (1.0, 1.0)


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
