"""Creator models, each one scikit-learn Pipeline trained on its dbt training frame
(models/ml_features: one row per creator, features and label).

- creators_active: is a profiled creator active? Label (ml_features__creators_active): the
  newest video on the profile's top-videos list was created at most 30 days before the
  profile's reference time, which is per row: the scrape timestamp when the file has one, else
  the expiry of the row's signed profile-picture URL minus a margin. Nothing the label is
  computed from (top videos, their times, the reference time) nor anything derived from them is
  a feature. Two candidates (a logistic regression on the bio's words, the bio link, counts and
  their PCA, as the seed project; gradient boosting on the same) are compared on validation.
- creators_success: is a creator on the top-creator lists "successful" (total engagement in
  the top 25% of its list)? Likes, comments and shares are the target's own components and
  never features; the leakage check (`evaluation.leakage_r2`) is reported with and without
  them so the difference is on record.
- creator_segments: KMeans on scaled log-counts, rates and growth of profiled creators, each
  cluster named by what sets it apart from the others (segment_names).

Each classifier's test metrics carry 95% bootstrap intervals and are compared with simple
baselines on the same test split; every model writes a model card (ml.cards).

Outputs: score sets `creator_scores` and `creator_segments` (ml.io.write_scores: seed CSVs,
Parquet files when large), metrics into the shared model_metrics, plots as
<build>/ml/plots/creators_*.png.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import mutual_info_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import silhouette_samples
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from ml import cards, evaluation, io, score_sets

SEED = 42
MIN_LABELLED = 40
ACTIVE_MIN_RECALL = 0.95
SUCCESS_MIN_RECALL = 0.8

ACTIVE = "creators_active"
SUCCESS = "creators_success"
SEGMENTS = "creator_segments"
# The models this module writes metrics and cards for.
MODELS = (ACTIVE, SUCCESS, SEGMENTS)
ACTIVE_FRAME = "ml_features.ml_features__creators_active"
SUCCESS_FRAME = "ml_features.ml_features__creators_success"
SEGMENTS_FRAME = "ml_features.ml_features__creator_segments"

# ----------------------------------------------------------------------------- feature lists
# What the active label is computed from: none of it (nor anything derived from it) may be a
# feature. tests/test_creators_ml.py checks the lists are disjoint. (The first group are the
# frame's label columns; the second the names these inputs have elsewhere in the warehouse.)
ACTIVE_LABEL_INPUTS = {
    "reference_at",
    "reference_source",
    "profile_pic_expires_at",
    "latest_video_at",
    "top_video_count",
    "days_since_latest_video",
    "label_window_days",
    "is_active",
    "video_created_at",
    "profile_scraped_at",
    "days_before_scrape",
    "video_id",
    "n_top_videos",
    "scraped_at",
}
ACTIVE_TEXT = "biography"
ACTIVE_COUNTS = ["followers", "following_count", "likes", "videos", "likes_per_video"]
ACTIVE_RATES = ["engagement_rate", "comment_engagement_rate"]
# The account's creation date (days since 1970): a date, not an age (an age needs the
# reference time).
ACTIVE_DATES = ["account_created_epoch_day"]
ACTIVE_FLAGS = ["has_bio_link", "is_verified", "is_commerce_user", "bio_has_contact"]
ACTIVE_CATEGORIES = ["language_code", "region"]
ACTIVE_NUMERIC = [*ACTIVE_COUNTS, *ACTIVE_RATES, *ACTIVE_DATES]
ACTIVE_FEATURES = [ACTIVE_TEXT, *ACTIVE_NUMERIC, *ACTIVE_FLAGS, *ACTIVE_CATEGORIES]
# What the seed project reported for this model (bio NLP, bio link, likes per video, PCA).
SEED_PROJECT_ACTIVE = {"f1": 0.93, "precision": 0.91, "recall": 0.96}

# The success target is likes + comments + shares: those three are its components.
SUCCESS_TARGET_COMPONENTS = {"average_likes", "average_comments", "average_shares", "total_engagement"}
SUCCESS_NUMERIC = ["followers", "average_views"]
SUCCESS_CATEGORICAL = ["country"]
SUCCESS_FEATURES = [*SUCCESS_NUMERIC, *SUCCESS_CATEGORICAL]

SEGMENT_COUNTS = ["followers", "following_count", "likes", "videos", "followers_per_day"]
SEGMENT_RATES = ["engagement_rate", "comment_engagement_rate"]
N_SEGMENTS = 4
SILHOUETTE_SAMPLE = 10_000


def _log1p(x):
    return np.log1p(np.clip(np.asarray(x, dtype=float), 0, None))


def _log_rate(x):
    """Rates are skewed: log10 of the rate (floored at 1e-4, capped at 1)."""
    return np.log10(np.clip(np.asarray(x, dtype=float), 1e-4, 1.0))


def _as_float(x):
    """Numbers as float64 with NaN for missing (the engines' readers give nullable Int64)."""
    if isinstance(x, (pd.DataFrame, pd.Series)):
        dtypes = x.dtypes if isinstance(x, pd.DataFrame) else [x.dtype]
        if all(isinstance(d, np.dtype) and d.kind == "f" for d in dtypes):
            # already plain floats (the frames are converted once on load): a masked copy of
            # every scored row's columns would be most of this step's work
            return x.to_numpy(dtype=float)
        return x.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(x, dtype=float)


def _bio_text(x) -> np.ndarray:
    """The bios as a 1-D array of strings; an empty bio is the token `emptybio`, so a file
    without any bio still has a vocabulary (and having no bio is itself a signal)."""
    arr = np.asarray(x, dtype=object).reshape(-1)
    return np.array([str(v) if isinstance(v, str) and v.strip() else "emptybio" for v in arr], dtype=object)


def _log_counts() -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("log", FunctionTransformer(_log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]
    )


def _log_rates() -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("log", FunctionTransformer(_log_rate, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]
    )


def _categories(min_frequency: int = 5) -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="unknown", keep_empty_features=True)),
            ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=min_frequency)),
        ]
    )


def _flags() -> Pipeline:
    # unknown (the file has no such column) counts as "no"
    return Pipeline(
        [
            ("float", FunctionTransformer(_as_float, feature_names_out="one-to-one")),
            ("impute", SimpleImputer(strategy="constant", fill_value=0.0, keep_empty_features=True)),
        ]
    )


def _bio_words(max_features: int | None = None) -> Pipeline:
    return Pipeline(
        [
            ("as_text", FunctionTransformer(_bio_text, feature_names_out="one-to-one")),
            ("tfidf", TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True, max_features=max_features)),
        ]
    )


def as_flags(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Boolean columns (with nulls) as 1.0 / 0.0 / NaN."""
    for column in columns:
        df[column] = df[column].map({True: 1.0, False: 0.0}).astype(float)
    return df


def threshold_rule(min_recall: float, threshold: float) -> str:
    return (
        f"the highest threshold whose validation recall is >= {min_recall} (missed positives are the costly "
        f"error): {threshold:.4f}"
    )


def prior_and_rule_baselines(y, score, train, val, test, min_recall: float) -> dict[str, dict]:
    """The prior (everyone positive: recall 1, precision the base rate) and a one-feature rule
    (`score` >= a cut-off chosen on validation by the same recall-first rule), on test."""
    base = float(np.mean(y[train]))
    score = np.nan_to_num(np.asarray(score, dtype=float), nan=0.0)
    cut = evaluation.choose_threshold(y[val], score[val], min_recall=min_recall)
    return {
        "prior": evaluation.classification_metrics(y[test], np.full(len(test), base), base),
        "rule": evaluation.classification_metrics(y[test], score[test], cut),
    }


def classifier_headline(t: dict, ci: dict) -> list[str]:
    return [
        cards.with_interval("precision", t["precision"], ci["precision"]),
        cards.with_interval("recall", t["recall"], ci["recall"]),
        cards.with_interval("F1", t["f1"], ci["f1"]),
        f"ROC-AUC {cards.fmt(t['roc_auc'])}, PR-AUC {cards.fmt(t['pr_auc'])}",
    ]


# ----------------------------------------------------------------------------- active model
def active_candidates() -> dict[str, Pipeline]:
    """Simplest first. The logistic regression is the seed project's recipe (bio words, bio
    link, counts and likes per video with a PCA of the counts); gradient boosting sees the same
    inputs (missing numbers handled natively, the bio's 200 commonest n-grams)."""
    linear = ColumnTransformer(
        [
            ("bio", _bio_words(), ACTIVE_TEXT),
            ("counts", _log_counts(), ACTIVE_COUNTS),
            # The label uses video creation times, not video counts: a PCA of the counts is allowed.
            (
                "counts_pca",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                        ("log", FunctionTransformer(_log1p, feature_names_out="one-to-one")),
                        ("scale", StandardScaler()),
                        ("pca", PCA(n_components=2, random_state=SEED)),
                    ]
                ),
                ACTIVE_COUNTS,
            ),
            ("rates", _log_rates(), ACTIVE_RATES),
            (
                "dates",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                        ("scale", StandardScaler()),
                    ]
                ),
                ACTIVE_DATES,
            ),
            ("flags", _flags(), ACTIVE_FLAGS),
            ("categories", _categories(), ACTIVE_CATEGORIES),
        ]
    )
    boosted = ColumnTransformer(
        [
            ("bio", _bio_words(max_features=200), ACTIVE_TEXT),
            ("numeric", FunctionTransformer(_as_float, feature_names_out="one-to-one"), ACTIVE_NUMERIC),
            ("flags", FunctionTransformer(_as_float, feature_names_out="one-to-one"), ACTIVE_FLAGS),
            ("categories", _categories(), ACTIVE_CATEGORIES),
        ],
        sparse_threshold=0.0,
    )
    return {
        "logistic_regression": Pipeline(
            [
                ("features", linear),
                ("model", LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=SEED)),
            ]
        ),
        "gradient_boosting": Pipeline(
            [
                ("features", boosted),
                ("column_major", evaluation.column_major()),
                (
                    "model",
                    HistGradientBoostingClassifier(
                        max_iter=200, learning_rate=0.05, class_weight="balanced", random_state=SEED
                    ),
                ),
            ]
        ),
    }


def active_pipeline() -> Pipeline:
    """The seed project's recipe (the first candidate)."""
    return active_candidates()["logistic_regression"]


def load_active_frame(wh: io.Warehouse) -> tuple[pd.DataFrame | None, str]:
    """The active model's frame, flags as numbers; (None, why) when no label can be computed."""
    df = wh.frame(ACTIVE_FRAME, "creator_handle")
    if df.empty:
        return None, "no creator profiles in the warehouse"
    if not (df["top_video_count"].fillna(0) > 0).any():
        return None, (
            "the profile files carry no `top_videos` (needed for the label: posted within "
            f"{int(df['label_window_days'].iloc[0])} days before the profile's reference time)"
        )
    df = as_flags(df, ACTIVE_FLAGS)
    df[ACTIVE_NUMERIC] = _as_float(df[ACTIVE_NUMERIC])
    df["is_active"] = df["is_active"].map({True: 1.0, False: 0.0}).astype(float)
    return df, ""


def reference_summary(df: pd.DataFrame, rows: np.ndarray | None = None) -> dict[str, int]:
    """How many rows took each reference time."""
    sources = df["reference_source"] if rows is None else df["reference_source"].iloc[rows]
    counts = sources.fillna("none").value_counts()
    return {k: int(counts.get(k, 0)) for k in ("scrape_timestamp", "profile_pic_expiry", "none")}


def train_active(ctx: io.Context) -> pd.DataFrame | None:
    df, why = load_active_frame(ctx.warehouse)
    if df is None:
        print(f"ml.creators: active-creator model skipped: {why}")
        ctx.cards.append(_active_skipped(why).row())
        return None
    window = int(df["label_window_days"].iloc[0])
    # Labelled rows by position in df (no copy of the frame: on large inputs nearly all rows are labelled).
    labelled = np.flatnonzero(df["is_active"].notna().to_numpy())
    y = df["is_active"].to_numpy()[labelled].astype(int)
    if len(labelled) < MIN_LABELLED or len(np.unique(y)) < 2:
        refs = reference_summary(df)
        why = (
            f"{len(labelled)} labelled profiles ({int(y.sum()) if len(y) else 0} active); need {MIN_LABELLED} "
            f"with both classes (reference time per profile: {refs['scrape_timestamp']} scrape timestamps, "
            f"{refs['profile_pic_expiry']} picture-URL expiries, {refs['none']} unknown)"
        )
        print(f"ml.creators: active-creator model skipped: {why}")
        ctx.cards.append(_active_skipped(why).row())
        return None
    data_hash = io.frame_hash(df, columns=["creator_handle", *ACTIVE_FEATURES, "is_active"], rows=labelled)
    train, val, test = evaluation.stratified_split(y, seed=SEED)
    fit = evaluation.fit_subsample(train, y)
    compare = evaluation.selection_subsample(val, y)
    fit_rows = df.iloc[labelled[fit]]
    compare_rows = df.iloc[labelled[compare]]

    results = {}
    for name, pipe in active_candidates().items():
        pipe.fit(fit_rows[ACTIVE_FEATURES], y[fit])
        p_val = evaluation.predict_positive(pipe, compare_rows[ACTIVE_FEATURES])
        threshold = evaluation.choose_threshold(y[compare], p_val, min_recall=ACTIVE_MIN_RECALL)
        metrics = evaluation.classification_metrics(y[compare], p_val, threshold)
        results[name] = (pipe, threshold, metrics)
    chosen = evaluation.choose_candidate({n: r[2] for n, r in results.items()}, "f1", "pr_auc")
    pipe = results[chosen][0]
    params = {"window_days": window, "features": ACTIVE_FEATURES, "candidate": chosen}
    version = io.model_version(data_hash, params)
    rows = []
    for name, (_, _, metrics) in results.items():
        rows += evaluation.metric_rows(f"{ACTIVE}__{name}", version, "validation", "all", metrics, data_hash)

    # Every profiled creator is scored once; the labelled ones' scores are read off that.
    p_all = evaluation.predict_positive(pipe, df, columns=ACTIVE_FEATURES)
    p = p_all[labelled]
    # the threshold on the whole validation split (the candidates' on `compare`: the same when that is all of it)
    threshold = evaluation.choose_threshold(y[val], p[val], min_recall=ACTIVE_MIN_RECALL)
    split_metrics = {}
    for split, idx in (("train", train), ("validation", val), ("test", test)):
        m = evaluation.classification_metrics(y[idx], p[idx], threshold)
        m["label_positive_rate"] = float(y[idx].mean())
        if split == "test":
            intervals = evaluation.bootstrap_classification_intervals(y[idx], p[idx] >= threshold)
            m.update(evaluation.interval_metrics(intervals))
        split_metrics[split] = m
        rows += evaluation.metric_rows(ACTIVE, version, split, "all", m, data_hash)
    baselines = prior_and_rule_baselines(
        y, df["videos"].to_numpy(dtype=float)[labelled], train, val, test, ACTIVE_MIN_RECALL
    )
    for name, m in baselines.items():
        label = "videos_rule" if name == "rule" else name
        rows += evaluation.metric_rows(f"{ACTIVE}__baseline_{label}", version, "test", "all", m, data_hash)
    groups = {}
    group_columns = {
        "is_verified": df["is_verified"].iloc[labelled[test]].map({1.0: "verified", 0.0: "not verified"}),
        "reference_source": df["reference_source"].iloc[labelled[test]],
    }
    for column, values in group_columns.items():
        for g, m in evaluation.group_metrics(y[test], p[test], threshold, values.fillna("unknown")).items():
            groups[f"{column}={g}"] = m
            rows += evaluation.metric_rows(ACTIVE, version, "test", f"{column}={g}", m, data_hash)
    # Mutual information of each non-text feature with the label, on the rows the model was
    # fitted on (the estimator is nearest-neighbour based: minutes on millions of rows).
    num = fit_rows[ACTIVE_NUMERIC + ACTIVE_FLAGS]
    num = pd.DataFrame(
        SimpleImputer(strategy="median", keep_empty_features=True).fit_transform(num), columns=num.columns
    )
    num[ACTIVE_COUNTS] = _log1p(num[ACTIVE_COUNTS])
    mi = mutual_info_classif(num, y[fit], discrete_features=[c in ACTIVE_FLAGS for c in num.columns], random_state=SEED)
    mutual_information = dict(zip(num.columns, (float(v) for v in mi), strict=True))
    for name, value in mutual_information.items():
        rows += evaluation.metric_rows(ACTIVE, version, "train", name, {"mutual_information": value}, data_hash)
    ctx.add_metrics(rows)

    plots = ctx.artifacts_dir / "plots"
    evaluation.plot_pr_curve(
        y[test],
        p[test],
        threshold,
        plots / "creators_active_pr_curve.png",
        title="Active creator: precision-recall (test)",
    )
    evaluation.plot_confusion(
        y[test],
        (p[test] >= threshold).astype(int),
        plots / "creators_active_confusion.png",
        labels=("inactive", "active"),
        title="Active creator (test)",
    )
    sample = evaluation.fit_subsample(val, y, evaluation.max_importance_rows())
    _plot_active_weights(
        pipe, chosen, df.iloc[labelled[sample]][ACTIVE_FEATURES], y[sample], plots / "creators_active_coefficients.png"
    )
    test_m = split_metrics["test"]
    print(
        f"ml.creators: active model {version} ({chosen}): {len(labelled)} labelled, test precision "
        f"{test_m['precision']:.3f} recall {test_m['recall']:.3f} f1 {test_m['f1']:.3f} (threshold {threshold:.3f})"
    )
    ctx.cards.append(
        _active_card(
            df,
            labelled,
            {
                "version": version,
                "chosen": chosen,
                "threshold": threshold,
                "window": window,
                "test": test_m,
                "intervals": intervals,
                "candidates": {n: r[2] for n, r in results.items()},
                "baselines": baselines,
                "groups": groups,
                "mutual_information": mutual_information,
                "n": {"train": len(train), "validation": len(val), "test": len(test)},
            },
        ).row()
    )

    # Every profiled creator's score, labelled or not, from above.
    return pd.DataFrame(
        {
            "creator_handle": df["creator_handle"],
            "active_probability": p_all,
            "is_predicted_active": p_all >= threshold,
            "active_model_version": version,
        }
    )


def _plot_active_weights(pipe: Pipeline, chosen: str, X: pd.DataFrame, y, path) -> None:
    """The logistic coefficients, or the boosted model's permutation importances (validation)."""
    model = pipe.named_steps["model"]
    if hasattr(model, "coef_"):
        names = pipe.named_steps["features"].get_feature_names_out()
        evaluation.plot_importances(names, model.coef_[0], path, title="Active creator: logistic coefficients")
        return
    importances = evaluation.permutation_importances(pipe, X, y, "average_precision", n_repeats=5, seed=SEED)
    evaluation.plot_importances(
        list(importances.index),
        importances.to_numpy(),
        path,
        title=f"Active creator ({chosen}): permutation importance (validation PR-AUC)",
    )


def _active_reference_text(df: pd.DataFrame, labelled: np.ndarray) -> str:
    refs = reference_summary(df, labelled)
    unknown = reference_summary(df)["none"]
    expiry = df["reference_source"].eq("profile_pic_expiry")
    margin = ""
    if expiry.any():
        hours = (df.loc[expiry, "profile_pic_expires_at"] - df.loc[expiry, "reference_at"]).dt.total_seconds() / 3600
        margin = f" ({hours.median():.0f} hours before the URL's expiry)"
    return (
        "per profile, from its own row: the file's scrape `timestamp` where the row has one "
        f"({refs['scrape_timestamp']:,} of the labelled profiles), else the `x-expires` of the row's signed "
        f"profile_pic_url minus a margin{margin} ({refs['profile_pic_expiry']:,}); never a file-wide time. "
        f"{unknown:,} profiles have neither and are scored but not trained on."
    )


def _seed_comparison(t: dict, ci: dict, mutual_information: dict) -> str:
    seed = SEED_PROJECT_ACTIVE
    claim = (
        f"The seed project reports F1 {seed['f1']:.2f} (precision {seed['precision']:.2f}, recall "
        f"{seed['recall']:.2f}) from bio NLP, the bio link, likes per video and PCA features."
    )
    strongest = max(mutual_information.items(), key=lambda kv: (kv[1], kv[0])) if mutual_information else None
    evidence = (
        f" The strongest single non-text feature, {strongest[0]}, carries {strongest[1]:.3f} nats of mutual "
        "information with the label (ml.model_metrics, metric mutual_information)."
        if strongest
        else ""
    )
    if t["f1"] >= seed["f1"]:
        return f"{claim} This model reaches it: test F1 {cards.fmt(t['f1'])}."
    if ci["f1"][1] < seed["f1"]:
        return (
            f"{claim} This file does not support that with features the label is not computed from: test F1 "
            f"{cards.fmt(t['f1'])}, and the 95% bootstrap interval ends at {cards.fmt(ci['f1'][1])}, below "
            f"{seed['f1']:.2f}, with both candidates tried and the threshold kept recall-first.{evidence}"
        )
    return (
        f"{claim} Test F1 here is {cards.fmt(t['f1'])}; its 95% interval ({cards.fmt(ci['f1'][0])}-"
        f"{cards.fmt(ci['f1'][1])}) still includes {seed['f1']:.2f}, so this test split cannot tell.{evidence}"
    )


def _active_card(df: pd.DataFrame, labelled: np.ndarray, r: dict) -> cards.ModelCard:
    t, ci = r["test"], r["intervals"]
    candidates = ", ".join(
        f"{n} F1 {cards.fmt(m['f1'])} (PR-AUC {cards.fmt(m['pr_auc'])})" for n, m in r["candidates"].items()
    )
    return cards.ModelCard(
        model=ACTIVE,
        model_version=r["version"],
        title="Active creator",
        task="binary classification: did the creator post recently (1) or not (0)",
        training_frame=ACTIVE_FRAME,
        chosen_candidate=r["chosen"],
        label_definition=(
            f"is_active: the newest video on the profile's top-videos list (creation time from the video id) was "
            f"created at most {r['window']} days before the profile's reference time. Rows without a reference time "
            f"or without top videos are scored, not trained on. {int(df['is_active'].sum()):,} of {len(labelled):,} "
            "labelled profiles are active."
        ),
        reference_time=_active_reference_text(df, labelled),
        features=(
            f"{ACTIVE_TEXT} (TF-IDF of 1-2 word n-grams), "
            + ", ".join(ACTIVE_NUMERIC + ACTIVE_FLAGS + ACTIVE_CATEGORIES)
        ),
        excluded_features=(
            "the label's inputs and anything derived from them: the top videos, their creation times, the newest "
            "one's age, the top-video count, the reference time and its source, and the account's age (it needs "
            "the reference time; the creation date itself is a feature)"
        ),
        threshold_rule=threshold_rule(ACTIVE_MIN_RECALL, r["threshold"]),
        headline_metrics=cards.headline("test", classifier_headline(t, ci), int(t["n"])),
        group_metrics=cards.group_pointer(ACTIVE, r["groups"], "recall"),
        baselines="On test: "
        + cards.baseline_sentence(
            [
                ("prior (every creator active)", r["baselines"]["prior"]["f1"], t["f1"]),
                ("videos-count rule (cut-off chosen on validation)", r["baselines"]["rule"]["f1"], t["f1"]),
            ],
            "F1",
        ),
        notes=(
            f"Candidates on validation (same training rows, recall-first threshold each): {candidates}; chosen "
            f"{r['chosen']} (best validation F1, then PR-AUC, then the simpler). "
            + _seed_comparison(t, ci, r["mutual_information"])
        ),
        n_train=r["n"]["train"],
        n_validation=r["n"]["validation"],
        n_test=r["n"]["test"],
    )


def _active_skipped(why: str) -> cards.ModelCard:
    return cards.skipped(ACTIVE, "Active creator", "binary classification", ACTIVE_FRAME, why)


# ----------------------------------------------------------------------------- success model
def success_pipeline() -> Pipeline:
    pre = ColumnTransformer(
        [
            ("numeric", _log_counts(), SUCCESS_NUMERIC),
            (
                "country",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="unknown")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=5)),
                    ]
                ),
                SUCCESS_CATEGORICAL,
            ),
        ]
    )
    return Pipeline(
        [
            ("features", pre),
            ("model", LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=SEED)),
        ]
    )


def train_success(ctx: io.Context) -> pd.DataFrame | None:
    df = ctx.warehouse.frame(SUCCESS_FRAME, "creator_handle")
    if len(df) < MIN_LABELLED or df["is_success"].nunique() < 2:
        why = f"{len(df)} creators on the top-creator lists; need {MIN_LABELLED} with both classes"
        print(f"ml.creators: success model skipped: {why}")
        ctx.cards.append(
            cards.skipped(SUCCESS, "Top-engagement creator", "binary classification", SUCCESS_FRAME, why).row()
        )
        return None
    df["country"] = df["country"].astype(object).where(df["country"].notna(), None)
    y = df["is_success"].astype(int).to_numpy()
    X = df[SUCCESS_FEATURES]
    data_hash = io.frame_hash(df[["creator_handle", *SUCCESS_FEATURES, "is_success"]].astype(str))
    version = io.model_version(data_hash, {"features": SUCCESS_FEATURES, "C": 1.0})
    train, val, test = evaluation.stratified_split(y, seed=SEED)
    fit = evaluation.fit_subsample(train, y)
    pipe = success_pipeline().fit(X.iloc[fit], y[fit])
    p = pipe.predict_proba(X)[:, 1]
    threshold = evaluation.choose_threshold(y[val], p[val], min_recall=SUCCESS_MIN_RECALL)
    rows = []
    for split, idx in (("train", train), ("validation", val), ("test", test)):
        m = evaluation.classification_metrics(y[idx], p[idx], threshold)
        if split == "test":
            intervals = evaluation.bootstrap_classification_intervals(y[idx], p[idx] >= threshold)
            m.update(evaluation.interval_metrics(intervals))
            test_m = m
        rows += evaluation.metric_rows(SUCCESS, version, split, "all", m, data_hash)
    baselines = prior_and_rule_baselines(y, df["followers"].to_numpy(dtype=float), train, val, test, SUCCESS_MIN_RECALL)
    for name, m in baselines.items():
        label = "followers_rule" if name == "rule" else name
        rows += evaluation.metric_rows(f"{SUCCESS}__baseline_{label}", version, "test", "all", m, data_hash)
    groups = {
        f"tier={g}": m
        for g, m in evaluation.group_metrics(
            y[test], p[test], threshold, df["tier"].iloc[test].fillna("unknown").to_numpy()
        ).items()
    }
    for g, m in groups.items():
        rows += evaluation.metric_rows(SUCCESS, version, "test", g, m, data_hash)
    # Leakage check: how much of total engagement is arithmetic of the features. The features
    # used stay well below 0.999; the original analysis' features (the components) reach ~1.
    r2_used, _ = evaluation.leakage_r2(df[SUCCESS_NUMERIC], df["total_engagement"])
    r2_components, _detail = evaluation.leakage_r2(
        df[["average_likes", "average_comments", "average_shares"]], df["total_engagement"]
    )
    rows += evaluation.metric_rows(
        SUCCESS,
        version,
        "all",
        "leakage_check",
        {"leakage_r2_features": r2_used, "leakage_r2_target_components": r2_components},
        data_hash,
    )
    ctx.add_metrics(rows)
    plots = ctx.artifacts_dir / "plots"
    evaluation.plot_pr_curve(
        y[test],
        p[test],
        threshold,
        plots / "creators_success_pr_curve.png",
        title="Top-25% engagement: precision-recall (test)",
    )
    print(
        f"ml.creators: success model {version}: {len(df)} creators, test precision {test_m['precision']:.3f} "
        f"recall {test_m['recall']:.3f} roc_auc {test_m['roc_auc']:.3f}; leakage R^2 of the features "
        f"{r2_used:.3f} (target components would give {r2_components:.4f})"
    )
    ctx.cards.append(
        cards.ModelCard(
            model=SUCCESS,
            model_version=version,
            title="Top-engagement creator",
            task="binary classification: is a listed creator's engagement in the top 25% of its list",
            training_frame=SUCCESS_FRAME,
            chosen_candidate="logistic_regression",
            label_definition=(
                "is_success: total engagement (average likes + comments + shares per video) at or above the 75th "
                f"percentile of the creator's latest top-creator list; {int(y.sum()):,} of {len(y):,} creators."
            ),
            reference_time="the latest list snapshot each creator appears in",
            features=", ".join(SUCCESS_FEATURES) + " (log followers and views, one-hot country)",
            excluded_features=(
                "average likes, comments and shares and their total: the label is computed from them. Leakage "
                f"check (R^2 of total engagement on the numeric features and their ratios): {cards.fmt(r2_used)} "
                f"with the features used, {cards.fmt(r2_components, 4)} with the excluded components."
            ),
            threshold_rule=threshold_rule(SUCCESS_MIN_RECALL, threshold),
            headline_metrics=cards.headline("test", classifier_headline(test_m, intervals), int(test_m["n"])),
            group_metrics=cards.group_pointer(SUCCESS, groups, "recall"),
            baselines="On test: "
            + cards.baseline_sentence(
                [
                    ("prior (every creator successful)", baselines["prior"]["f1"], test_m["f1"]),
                    ("followers rule (cut-off chosen on validation)", baselines["rule"]["f1"], test_m["f1"]),
                ],
                "F1",
            ),
            notes=(
                "Analyses built on these lists often regress engagement on its own components and report "
                f"R^2 = 1 (here {cards.fmt(r2_components, 4)}): that is arithmetic, not skill."
            ),
            n_train=len(train),
            n_validation=len(val),
            n_test=len(test),
        ).row()
    )
    return pd.DataFrame(
        {
            "creator_handle": df["creator_handle"],
            "success_probability": p,
            "is_predicted_success": p >= threshold,
            "success_model_version": version,
        }
    )


# ----------------------------------------------------------------------------- segments
def segment_pipeline(k: int = N_SEGMENTS) -> Pipeline:
    pre = ColumnTransformer(
        [
            ("counts", _log_counts(), SEGMENT_COUNTS),
            ("rates", _log_rates(), SEGMENT_RATES),
        ]
    )
    return Pipeline([("features", pre), ("kmeans", KMeans(n_clusters=k, n_init=10, random_state=SEED))])


# What can tell segments apart, in words: (column, how it is compared, word when the segment is
# above the others, word when below). `log` columns are compared on log1p, `rate` on log10,
# `share` columns are flags (share of the segment), `category` the segment's most
# over-represented value.
SEGMENT_DESCRIPTORS = [
    ("followers_per_day", "log", "fast growth", "slow growth"),
    ("engagement_rate", "rate", "high engagement", "low engagement"),
    ("videos", "log", "heavy posting", "light posting"),
    ("followers", "log", "large audiences", "small audiences"),
    ("comment_engagement_rate", "rate", "many comments", "few comments"),
    ("following_count", "log", "follows many", "follows few"),
    ("is_verified", "share", "more verified", "fewer verified"),
    ("is_commerce_user", "share", "more commerce accounts", "fewer commerce accounts"),
    ("language_code", "category", "language", None),
    ("region", "category", "region", None),
]
# A difference smaller than this (in standard deviations of all creators) names nothing.
MIN_NAMING_EFFECT = 0.15


def _descriptor_values(df: pd.DataFrame, column: str, kind: str) -> pd.Series:
    values = df[column]
    if kind == "log":
        return pd.Series(_log1p(values.astype(float)), index=df.index)
    if kind == "rate":
        return pd.Series(_log_rate(values.astype(float)), index=df.index)
    if kind == "share":
        return values.map({True: 1.0, False: 0.0}).astype(float)
    return values


def segment_effects(df: pd.DataFrame, labels: np.ndarray) -> list[tuple[float, int, str, str]]:
    """Every (effect, segment, column, words) that could name a segment: how far the segment's
    mean (or share) sits from all creators', in standard deviations of all creators. Numbers
    compare means of their log; flags compare shares; a category gives the value the segment
    holds most above its overall share. Columns with no data (a file without them) name nothing."""
    out = []
    for column, kind, high, low in SEGMENT_DESCRIPTORS:
        if column not in df.columns:
            continue
        values = _descriptor_values(df, column, kind)
        if values.notna().sum() < 2:
            continue
        if kind == "category":
            known = values.dropna().astype(str)
            overall = known.value_counts(normalize=True)
            for c in sorted(set(labels)):
                members = known[labels[known.index.to_numpy()] == c] if len(known) else known
                if not len(members):
                    continue
                shares = members.value_counts(normalize=True)
                best = None
                for value, share in shares.items():
                    q = overall[value]
                    if 0 < q < 1:
                        effect = (share - q) / math.sqrt(q * (1 - q))
                        if best is None or (effect, value) > best[:2]:
                            best = (effect, value, share)
                if best and best[0] > 0:
                    effect, value, share = best
                    words = f"{'mostly' if share >= 0.5 else 'more'} {high} {value}"
                    out.append((float(effect), c, column, words))
            continue
        mean, sd = values.mean(), values.std(ddof=0)
        if not np.isfinite(sd) or sd == 0:
            continue
        for c in sorted(set(labels)):
            segment_mean = values[labels == c].mean()
            if not np.isfinite(segment_mean):
                continue
            effect = float((segment_mean - mean) / sd)
            out.append((effect, c, column, high if effect >= 0 else low))
    return out


def segment_names(df: pd.DataFrame, labels: np.ndarray) -> dict[int, str]:
    """A name per segment saying what sets it apart: `<leading label>: <second label>, <tier>`,
    e.g. "fast growth: light posting, mostly nano".

    Leading labels are handed out greedily, largest difference first, never twice: every
    segment leads with something no other segment leads with (so the names differ, and differ
    by what separates the segments, not by their follower tier, which most real samples share).
    The second label is the segment's next largest difference on another column, handed out the
    same way (no label twice in all the names); the tier its members mostly share closes it."""
    effects = segment_effects(df, labels)
    ranked = sorted(effects, key=lambda e: (-round(abs(e[0]), 9), e[1], e[2]))
    lead: dict[int, tuple[str, str]] = {}
    used = set()
    for effect, c, column, words in ranked:
        if abs(effect) < MIN_NAMING_EFFECT or c in lead or words in used:
            continue
        lead[c] = (column, words)
        used.add(words)
    # Second labels, handed out the same way: never another segment's leading or second label
    # (two names sharing one would blur the difference between them).
    second_of: dict[int, str] = {}
    for effect, c, column, words in ranked:
        if abs(effect) < MIN_NAMING_EFFECT or c in second_of or words in used:
            continue
        if column == lead.get(c, (None, None))[0]:
            continue
        second_of[c] = words
        used.add(words)
    names: dict[int, str] = {}
    for c in sorted(set(labels)):
        words = lead.get(c, (None, "typical"))[1]
        second = second_of.get(c)
        tiers = df.loc[labels == c, "tier"].dropna()
        if len(tiers):
            share = tiers.value_counts(normalize=True)
            top = sorted(share.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            tier = f"mostly {top[0]}" if top[1] >= 0.5 else "mixed tiers"
        else:
            tier = "tier unknown"
        name = f"{words}: {', '.join(p for p in (second, tier) if p)}"
        names[c] = name if name not in names.values() else f"{name} ({c})"
    return names


def segment_profile(df: pd.DataFrame, members: np.ndarray) -> dict[str, float]:
    """What a segment looks like, for the report: its size, medians and shares."""
    part = df[members]
    out = {"n": float(members.sum())}
    for column in ("followers", "engagement_rate", "videos", "followers_per_day"):
        out[f"median_{column}"] = float(part[column].median()) if part[column].notna().any() else float("nan")
    for column, name in (("is_verified", "verified_share"), ("is_commerce_user", "commerce_share")):
        values = _descriptor_values(part, column, "share")
        out[name] = float(values.mean()) if values.notna().any() else float("nan")
    return out


def train_segments(ctx: io.Context) -> pd.DataFrame | None:
    df = ctx.warehouse.frame(SEGMENTS_FRAME, "creator_handle")
    if len(df) < N_SEGMENTS * 5:
        why = f"{len(df)} profiled creators with followers and an engagement rate; need {N_SEGMENTS * 5}"
        print(f"ml.creators: segments skipped: {why}")
        ctx.cards.append(cards.skipped(SEGMENTS, "Creator segments", "clustering", SEGMENTS_FRAME, why).row())
        return None
    X = df[SEGMENT_COUNTS + SEGMENT_RATES]
    data_hash = io.frame_hash(df)
    version = io.model_version(
        data_hash,
        {
            "k": N_SEGMENTS,
            "counts": SEGMENT_COUNTS,
            "rates": SEGMENT_RATES,
            "rate_transform": "log10",
            "fit": "rates <= 1",
        },
    )
    # Rates above 1 are scrape artifacts: fitted without them (so no cluster is spent on one
    # outlier), then assigned like everyone else.
    plausible = (df["engagement_rate"] <= 1.0).to_numpy()
    fit = evaluation.fit_subsample(np.flatnonzero(plausible), np.zeros(len(df), dtype=int))
    pipe = segment_pipeline().fit(X.iloc[fit])
    raw = pipe.predict(X)
    # Stable ids: clusters numbered by their members' median followers, smallest first.
    order = sorted(set(raw), key=lambda c: (df.loc[raw == c, "followers"].median(), c))
    relabel = {c: i + 1 for i, c in enumerate(order)}
    labels = np.array([relabel[c] for c in raw])
    Z = pipe.named_steps["features"].transform(X)
    names = segment_names(df, labels)

    # Silhouette on a fixed sample (O(n^2)); its 95% interval by resampling those creators.
    shown = evaluation.plot_sample(len(df), limit=SILHOUETTE_SAMPLE)
    per_creator = silhouette_samples(Z[shown], labels[shown])
    interval = evaluation.bootstrap_intervals({"silhouette": lambda rows: per_creator[rows].mean()}, len(shown))
    tiers = df["tier"].fillna("unknown").to_numpy()[shown]
    tier_silhouette = (
        float(silhouette_samples(Z[shown], tiers).mean()) if 1 < len(set(tiers)) < len(shown) else float("nan")
    )
    headline = {
        "silhouette": float(per_creator.mean()),
        "inertia": float(pipe.named_steps["kmeans"].inertia_),
        "n": float(len(df)),
        **evaluation.interval_metrics(interval),
    }
    rows = evaluation.metric_rows(SEGMENTS, version, "all", "all", headline, data_hash)
    rows += evaluation.metric_rows(
        f"{SEGMENTS}__baseline_tiers",
        version,
        "all",
        "all",
        {"silhouette": tier_silhouette, "n": float(len(shown)), "n_groups": float(len(set(tiers)))},
        data_hash,
    )
    for seg in sorted(names):
        rows += evaluation.metric_rows(
            SEGMENTS, version, "all", f"segment={seg}", segment_profile(df, labels == seg), data_hash
        )
    ctx.add_metrics(rows)
    _plot_segments(df, labels, names, ctx.artifacts_dir / "plots" / "creators_segments.png")
    print(f"ml.creators: segments {version}: " + ", ".join(f"{k}={v}" for k, v in sorted(names.items())))
    ctx.cards.append(
        cards.ModelCard(
            model=SEGMENTS,
            model_version=version,
            title="Creator segments",
            task=f"clustering: KMeans, {N_SEGMENTS} segments",
            training_frame=SEGMENTS_FRAME,
            chosen_candidate="kmeans",
            label_definition="none: segments are found, not learned",
            features=(
                ", ".join(SEGMENT_COUNTS)
                + " (log, standardised), "
                + ", ".join(SEGMENT_RATES)
                + " (log10, standardised); missing values take the median"
            ),
            excluded_features=(
                "tier (a function of followers), verified and commerce flags, language and region: they describe "
                "the segments in their names, they are not clustered on"
            ),
            split_rule=(
                "no split: fitted on every profiled creator whose engagement rate is plausible (<= 1; a "
                f"deterministic sample of at most {evaluation.max_fit_rows():,}), then every creator assigned; "
                f"the silhouette is measured on at most {SILHOUETTE_SAMPLE:,} of them"
            ),
            threshold_rule="not applicable (clustering)",
            headline_metrics=cards.headline(
                "all creators",
                [cards.with_interval("silhouette", headline["silhouette"], interval["silhouette"])],
                len(df),
            ),
            group_metrics=(
                f"ml.model_metrics rows with model = '{SEGMENTS}' and group_name 'segment=<id>' (size, medians, "
                "verified and commerce shares). Segments: "
                + "; ".join(f"{k} = {v} ({int((labels == k).sum()):,})" for k, v in sorted(names.items()))
                + "."
            ),
            baselines=(
                "grouping by follower tier (what the names used to say), same features and creators: silhouette "
                + (
                    f"{cards.fmt(tier_silhouette)} "
                    f"({'beaten' if headline['silhouette'] > tier_silhouette else 'NOT beaten'})."
                    if np.isfinite(tier_silhouette)
                    else "n/a: the creators are all in one tier, so a tier grouping separates nothing."
                )
            ),
            notes=(
                "Names say what sets each segment apart from all creators: the leading label (before the colon) is "
                "the segment's largest difference in standard deviations among growth, engagement, posting volume, "
                "audience size, comments, following, verified and commerce shares, language and region, and no two "
                "segments lead with the same one; then its next difference and the tier most of its members are in."
            ),
            n_train=len(fit),
        ).row()
    )
    return pd.DataFrame(
        {
            "creator_handle": df["creator_handle"],
            "segment_id": labels,
            "segment_name": [names[i] for i in labels],
            "model_version": version,
        }
    )


def _plot_segments(df, labels, names, path):
    plt = evaluation._plt()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    shown = evaluation.plot_sample(len(df))
    sampled = len(shown) < len(df)
    df, labels = df.iloc[shown], labels[shown]
    for seg in sorted(names):
        m = labels == seg
        ax.scatter(
            np.log10(df.loc[m, "followers"].clip(lower=1)),
            df.loc[m, "engagement_rate"].clip(upper=0.5),
            s=8,
            label=names[seg],
        )
    if sampled:
        ax.set_title(f"Creator segments ({len(shown):,} random creators shown)")
    else:
        ax.set_title("Creator segments")
    ax.set_xlabel("log10 followers")
    ax.set_ylabel("engagement rate (capped at 0.5)")
    ax.legend(fontsize=7)
    evaluation._save(fig, path)


# ----------------------------------------------------------------------------- entry point
def run(ctx: io.Context) -> None:
    # One native thread, as for the claims models: OpenMP oversubscription on a small shared
    # machine makes gradient boosting many times slower, and results do not depend on it.
    with threadpool_limits(limits=1):
        _run(ctx)


def _run(ctx: io.Context) -> None:
    with ctx.timed("creators_active"):
        active = train_active(ctx)
    with ctx.timed("creators_success"):
        success = train_success(ctx)
    with ctx.timed("creator_segments"):
        segments = train_segments(ctx)

    parts = [p for p in (active, success) if p is not None]
    if parts:
        scores = parts[0]
        for p in parts[1:]:
            scores = scores.merge(p, on="creator_handle", how="outer")
    else:
        scores = pd.DataFrame(columns=["creator_handle"])
    for col in score_sets.get("creator_scores").names:
        if col not in scores.columns:
            scores[col] = None
    for col in ("is_predicted_active", "is_predicted_success"):
        scores[col] = scores[col].map({True: "true", False: "false"}).astype(object)
    scores = scores.sort_values("creator_handle", kind="mergesort").reset_index(drop=True)
    io.write_scores(scores, ctx.seeds_dir, "creator_scores")

    if segments is None:
        segments = pd.DataFrame(columns=score_sets.get("creator_segments").names)
    segments = segments.sort_values("creator_handle", kind="mergesort").reset_index(drop=True)
    io.write_scores(segments, ctx.seeds_dir, "creator_segments")
