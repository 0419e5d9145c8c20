"""Claims vs opinions: a claim classifier for triage and an engagement-rate regression.

Reads its training frames, dbt models of models/ml_features (`ml_features__claim_classifier`,
`ml_features__claim_engagement_regression`: one row per video, features and label), through the
read-only warehouse, and writes:

- score set `claim_scores`: every video's P(claim), predicted label at the threshold chosen on
  validation, and a `needs_review` flag for the mid-confidence band (chosen on validation);
- rows in the shared `model_metrics` seed: the candidate comparison (validation), the chosen
  classifier on train/validation/test with 95% bootstrap intervals of its test metrics, the
  baselines on test, fairness by verified and ban status (test), the review band, and the
  regression's R^2/MAE with a mean baseline, intervals, groups and permutation importances;
- one model card per model (ml.cards);
- plots `claims_*.png` under <build>/ml/plots and a short `claims_report.md` under <build>/ml.

Classifier: five scikit-learn Pipelines, simplest first: a logistic regression on the
transcript alone (TF-IDF of 1-2 word n-grams), then logistic regression, naive Bayes, random
forest and gradient boosting on everything (log counts, one-hot status fields, TF-IDF of the
transcript). All are fitted on the same training rows of one stratified 60/20/20 split with a
fixed seed; the candidate with the best validation F2 at its recall-first threshold wins (ties:
PR-AUC, then the simpler model); the test split is only used for the final report.

Threshold (missed claims are the costly error): the best F2 on validation among thresholds
keeping validation recall >= 0.95. Review band (human in the loop): the interval [low, high)
around the threshold that, among intervals holding 5-10% of validation videos, leaves the
fewest validation errors outside it; videos scored inside it, and videos with neither counts
nor transcript (the course file's unlabelled rows), get `needs_review`. Both edges are in
model_metrics (validation rows `review_band_low`, `review_band_high`).

Regression: total_engagement_rate from what is known before anyone engages (duration, verified
and ban status, transcript). Views, likes, comments, shares and downloads are the target's
denominator and numerator: never features. `leakage_r2` guards that: a feature set that
rebuilds the target arithmetically stops the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import precision_recall_curve
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from ml import cards, io, score_sets
from ml import evaluation as ev

CLASSIFIER_FRAME = "ml_features.ml_features__claim_classifier"
REGRESSION_FRAME = "ml_features.ml_features__claim_engagement_regression"
CLASSIFIER = "claim_classifier"
REGRESSION = "claim_engagement_regression"
# The models this module writes metrics and cards for.
MODELS = (CLASSIFIER, REGRESSION)
SEED = 42

# Missed claims are the costly error: the threshold maximises F2 (recall weighted 4x over
# precision) on validation among thresholds whose validation recall is at least MIN_RECALL.
# (The highest threshold meeting a recall floor, ml.evaluation.choose_threshold, lands exactly
# on the floor: 0.95 recall even where 1.0 costs no precision.)
MIN_RECALL = 0.95
F_BETA = 2.0
# Human-review band (see choose_review_band): the least confident 5-10% of videos.
MIN_REVIEW_SHARE = 0.05
MAX_REVIEW_SHARE = 0.10

COUNT_COLUMNS = [
    "video_view_count",
    "video_like_count",
    "video_comment_count",
    "video_share_count",
    "video_download_count",
]
STATUS_COLUMNS = ["verified_status", "author_ban_status"]
TEXT_COLUMN = "video_transcription_text"
CLASSIFIER_FEATURES = ["video_duration_sec", *COUNT_COLUMNS, *STATUS_COLUMNS, TEXT_COLUMN]

# Regression: only what is known about a video before anyone engages with it. (Views are the
# rate's denominator, and they grow with the engagement itself.)
REGRESSION_NUMERIC = ["video_duration_sec"]
REGRESSION_CATEGORICAL = list(STATUS_COLUMNS)
REGRESSION_FEATURES = [*REGRESSION_NUMERIC, *REGRESSION_CATEGORICAL, TEXT_COLUMN]
REGRESSION_TARGET = "total_engagement_rate"
# The target's own numerator: never features.
ENGAGEMENT_COUNTS = ["video_like_count", "video_comment_count", "video_share_count", "video_download_count"]
# Everything the target is computed from: the leakage check's deliberately leaky set.
REGRESSION_TARGET_INPUTS = ["video_view_count", *ENGAGEMENT_COUNTS]
LEAKAGE_LIMIT = 0.999


# ----------------------------------------------------------------------------- pipelines
def _text_column(x) -> np.ndarray:
    """The transcript as a 1-D array of strings (TF-IDF wants 1-D; nulls become '')."""
    arr = np.asarray(x, dtype=object).reshape(-1)
    return np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in arr], dtype=object)


def _text_pipeline(max_features: int | None) -> Pipeline:
    return Pipeline(
        [
            ("as_text", FunctionTransformer(_text_column)),
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=max_features, sublinear_tf=True)),
        ]
    )


def _numeric_pipeline(scaler) -> Pipeline:
    steps = [
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
        ("log", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
    ]
    if scaler is not None:
        steps.append(("scale", scaler))
    return Pipeline(steps)


def _categorical_pipeline() -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="unknown", keep_empty_features=True)),
            ("onehot", OneHotEncoder(handle_unknown="ignore")),
        ]
    )


def preprocessor(
    numeric: list[str], categorical: list[str], scaler=None, dense: bool = False, max_text_features: int = 2000
) -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("numeric", _numeric_pipeline(scaler), numeric),
            ("categorical", _categorical_pipeline(), categorical),
            ("text", _text_pipeline(max_text_features), [TEXT_COLUMN]),
        ],
        sparse_threshold=0.0 if dense else 0.3,
    )


def transcript_pipeline(model) -> Pipeline:
    """TF-IDF of the transcript's 1-2 word n-grams, nothing else, into `model`."""
    return Pipeline(
        [
            ("features", ColumnTransformer([("text", _text_pipeline(max_features=None), [TEXT_COLUMN])])),
            ("model", model),
        ]
    )


# The candidates that read only the transcript (the others read every feature of their model).
TRANSCRIPT_CANDIDATE = "transcript_logistic_regression"
CANDIDATE_INPUTS = {TRANSCRIPT_CANDIDATE: [TEXT_COLUMN]}
REGRESSION_CANDIDATE_INPUTS = {"transcript_ridge": [TEXT_COLUMN]}


def classifier_candidates() -> dict[str, Pipeline]:
    """The five compared pipelines, simplest first (ties go to the simpler model)."""
    numeric = ["video_duration_sec", *COUNT_COLUMNS]
    return {
        TRANSCRIPT_CANDIDATE: transcript_pipeline(LogisticRegression(C=1.0, max_iter=5000, random_state=SEED)),
        "logistic_regression": Pipeline(
            [
                ("features", preprocessor(numeric, STATUS_COLUMNS, StandardScaler())),
                ("model", LogisticRegression(C=1.0, max_iter=5000, random_state=SEED)),
            ]
        ),
        "naive_bayes": Pipeline(
            [
                # multinomial NB needs non-negative inputs: log counts min-max scaled (clipped)
                ("features", preprocessor(numeric, STATUS_COLUMNS, MinMaxScaler(clip=True))),
                ("model", MultinomialNB(alpha=0.1)),
            ]
        ),
        "random_forest": Pipeline(
            [
                ("features", preprocessor(numeric, STATUS_COLUMNS, None, max_text_features=1000)),
                # every core: the trees are independent (the same forest as on one, for random_state)
                ("model", RandomForestClassifier(n_estimators=200, min_samples_leaf=1, n_jobs=-1, random_state=SEED)),
            ]
        ),
        "gradient_boosting": Pipeline(
            [
                ("features", preprocessor(numeric, STATUS_COLUMNS, None, dense=True, max_text_features=100)),
                ("column_major", ev.column_major()),
                ("model", HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, random_state=SEED)),
            ]
        ),
    }


def regression_candidates() -> dict[str, Pipeline]:
    """Simplest first: the transcript alone, then everything, linear and boosted."""
    return {
        "transcript_ridge": transcript_pipeline(Ridge(alpha=3.0)),
        "ridge": Pipeline(
            [
                ("features", preprocessor(REGRESSION_NUMERIC, REGRESSION_CATEGORICAL, StandardScaler())),
                ("model", Ridge(alpha=1.0)),
            ]
        ),
        "gradient_boosting": Pipeline(
            [
                (
                    "features",
                    preprocessor(REGRESSION_NUMERIC, REGRESSION_CATEGORICAL, None, dense=True, max_text_features=100),
                ),
                ("column_major", ev.column_major()),
                ("model", HistGradientBoostingRegressor(max_iter=100, learning_rate=0.05, random_state=SEED)),
            ]
        ),
    }


def pipeline_params(pipe: Pipeline) -> dict:
    """Parameters that define a pipeline, without object reprs (those carry memory addresses)."""

    def plain(value):
        if isinstance(value, (str, int, float, bool, type(None))):
            return value
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items())}
        if hasattr(value, "get_params"):  # nested estimators: their own params are listed too
            return type(value).__name__
        if callable(value):
            return getattr(value, "__name__", type(value).__name__)
        return type(value).__name__

    return {name: plain(value) for name, value in sorted(pipe.get_params(deep=True).items())}


# ----------------------------------------------------------------------------- threshold
def choose_recall_first_threshold(y_val, p_val, min_recall: float = MIN_RECALL, beta: float = F_BETA) -> float:
    """The validation threshold with the best F-beta among those keeping recall >= min_recall
    (ties: the highest threshold), placed midway between that validation score and the next
    lower one. Every cut in that gap makes the same validation predictions; one on the score
    itself sits exactly on the least confident claim seen, so a test claim scored a hair lower
    is missed (a separable validation split then picks the last claim's score as the cut).
    Falls back to ml.evaluation.choose_threshold."""
    y, p = np.asarray(y_val).astype(int), np.asarray(p_val, dtype=float)
    if y.sum() == 0 or y.sum() == len(y):
        return ev.choose_threshold(y, p, min_recall=min_recall)
    precision, recall, thresholds = precision_recall_curve(y, p)
    precision, recall = precision[:-1], recall[:-1]
    b2 = beta * beta
    denom = b2 * precision + recall
    fbeta = np.where(denom > 0, (1 + b2) * precision * recall / np.where(denom > 0, denom, 1), 0.0)
    ok = recall >= min_recall
    if not ok.any():
        return ev.choose_threshold(y, p, min_recall=min_recall)
    best = float(max(zip(np.round(fbeta[ok], 12), thresholds[ok], strict=False))[1])
    below = p[p < best]
    return (best + float(below.max())) / 2 if len(below) else best


def fbeta_score(metrics: dict, beta: float = F_BETA) -> float:
    p, r = metrics["precision"], metrics["recall"]
    b2 = beta * beta
    return 0.0 if b2 * p + r == 0 else (1 + b2) * p * r / (b2 * p + r)


# ----------------------------------------------------------------------------- review band
@dataclass(frozen=True)
class ReviewBand:
    low: float
    high: float
    share: float  # share of validation videos inside the band
    errors_outside: int  # validation errors the band does not catch
    errors_total: int

    def contains(self, p) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        if self.high <= self.low:
            return np.zeros(len(p), dtype=bool)
        return (p >= self.low) & (p < self.high)


def choose_review_band(
    y_val,
    p_val,
    threshold: float,
    min_share: float = MIN_REVIEW_SHARE,
    max_share: float = MAX_REVIEW_SHARE,
    grid: int = 81,
) -> ReviewBand:
    """The mid-confidence band [low, high) around the decision threshold, chosen on validation:
    among bands holding between `min_share` and `max_share` of validation videos, the one that
    leaves the fewest validation errors outside it; ties go to the band holding fewest videos,
    then the narrowest. Edges are validation probabilities (quantiles below / above the
    threshold), so the band is the least confident slice of the score distribution."""
    y = np.asarray(y_val).astype(int)
    p = np.asarray(p_val, dtype=float)
    wrong = (p >= threshold).astype(int) != y
    below, above = np.sort(p[p < threshold]), np.sort(p[p >= threshold])
    qs = np.linspace(0, 1, grid)
    lows = np.unique(np.r_[threshold, np.quantile(below, qs) if len(below) else []])
    # the high edge is exclusive: step just past a probability so the band includes it
    highs = np.unique(np.r_[threshold, np.nextafter(np.quantile(above, qs), 2) if len(above) else []])
    best = None
    for low in lows:
        for high in highs:
            inside = (p >= low) & (p < high)
            share = float(inside.mean()) if len(p) else 0.0
            if share > max_share:
                continue
            meets = share >= min_share
            key = (not meets, int((wrong & ~inside).sum()), share if meets else -share, high - low, low)
            if best is None or key < best[0]:
                best = (key, float(low), float(min(high, 1.0)), share)
    (_, errors_outside, _, _, _), low, high, share = best
    return ReviewBand(low=low, high=high, share=share, errors_outside=errors_outside, errors_total=int(wrong.sum()))


# ----------------------------------------------------------------------------- helpers
def leakage_check(frame: pd.DataFrame, numeric_features: list[str], target) -> tuple[float, str]:
    """R^2 of the target on the numeric features and their pairwise ratios (ml.evaluation)."""
    return ev.leakage_r2(frame[numeric_features].astype(float), target)


def _importances(pipe: Pipeline, X: pd.DataFrame, y, scoring: str) -> pd.Series:
    """Permutation importance of each input column (model-agnostic, on held-out data)."""
    importances = ev.permutation_importances(pipe, X, y, scoring, n_repeats=5, seed=SEED)
    return importances.sort_values(ascending=False, kind="mergesort")


def _rows(model, version, split, group, metrics, data_hash) -> list[dict]:
    return ev.metric_rows(model, version, split, group, metrics, data_hash)


def _record_groups(ctx, model, version, data_hash, test_rows: pd.DataFrame, metrics_of) -> dict[str, dict]:
    """The test metrics per author group (`metrics_of(group labels)` -> {group: metrics}), one
    metrics row each, keyed `<status column>=<group>`."""
    groups = {}
    for column in STATUS_COLUMNS:
        for group, metrics in metrics_of(test_rows[column].fillna("unknown").to_numpy()).items():
            groups[f"{column}={group}"] = metrics
            ctx.add_metrics(_rows(model, version, "test", f"{column}={group}", metrics, data_hash))
    return groups


def _record_importances(ctx, model, version, data_hash, importances: pd.Series) -> pd.Series:
    """One validation metrics row per feature's permutation importance."""
    for feature, value in importances.items():
        metrics = {"permutation_importance": float(value)}
        ctx.add_metrics(_rows(model, version, "validation", f"feature={feature}", metrics, data_hash))
    return importances


def load_videos(ctx) -> pd.DataFrame:
    """The classifier's frame: every video, by video_id."""
    return ctx.warehouse.frame(CLASSIFIER_FRAME, "video_id")


def load_rated_videos(ctx) -> pd.DataFrame:
    """The regression's frame: every video with an engagement rate, by video_id."""
    return ctx.warehouse.frame(REGRESSION_FRAME, "video_id")


def candidate_inputs(name: str) -> list[str]:
    return CANDIDATE_INPUTS.get(name, CLASSIFIER_FEATURES)


# ----------------------------------------------------------------------------- baselines
def classifier_baselines(X: pd.DataFrame, y, train, val, test) -> dict[str, dict]:
    """What the classifier must beat, on the test split: the prior (every video is a claim:
    recall 1, precision the claim share) and one rule on the strongest count (views >= a cut-off
    chosen on validation with the recall-first rule; the course's data notes say opinions
    almost all have fewer than 10,000 views)."""
    prior = np.full(len(test), float(np.mean(y[train])))
    views = np.log1p(X["video_view_count"].astype(float).fillna(0).to_numpy())
    cut = choose_recall_first_threshold(y[val], views[val])
    out = {
        "prior": ev.classification_metrics(y[test], prior, float(np.mean(y[train]))),
        "view_count_rule": ev.classification_metrics(y[test], views[test], cut),
    }
    out["view_count_rule"]["threshold"] = float(np.expm1(cut))  # in views, not log views
    return out


# ----------------------------------------------------------------------------- classifier
def train_classifier(videos: pd.DataFrame, ctx) -> dict:
    is_labelled = videos["is_labelled"].astype(bool).to_numpy()
    labelled = videos[is_labelled].reset_index(drop=True)
    X = labelled[CLASSIFIER_FEATURES]
    y = labelled["is_claim"].astype(int).to_numpy()
    train, val, test = ev.stratified_split(y, seed=SEED)
    data_hash = io.frame_hash(pd.concat([X.iloc[train], pd.Series(y[train], name="y", index=X.index[train])], axis=1))

    fit = ev.fit_subsample(train, y)
    compare = ev.selection_subsample(val, y)
    print(
        f"ml: claims: classifier fitted on {len(fit)} of {len(train)} training rows, candidates compared on "
        f"{len(compare)} of {len(val)} validation rows",
        flush=True,
    )
    results = {}
    for name, pipe in classifier_candidates().items():
        pipe.fit(X.iloc[fit], y[fit])
        p_val = ev.predict_positive(pipe, X.iloc[compare])
        threshold = choose_recall_first_threshold(y[compare], p_val)
        metrics = ev.classification_metrics(y[compare], p_val, threshold)
        metrics["f2"] = fbeta_score(metrics)
        version = io.model_version(data_hash, {"candidate": name, **pipeline_params(pipe)})
        ctx.add_metrics(_rows(f"{CLASSIFIER}__{name}", version, "validation", "all", metrics, data_hash))
        results[name] = (pipe, threshold, metrics, version)
        print(
            f"ml: claims: {name}: validation f2={metrics['f2']:.4f} precision={metrics['precision']:.4f} "
            f"recall={metrics['recall']:.4f} pr_auc={metrics['pr_auc']:.4f} threshold={threshold:.4f}",
            flush=True,
        )

    chosen = ev.choose_candidate({n: r[2] for n, r in results.items()}, "f2", "pr_auc")
    pipe = results[chosen][0]
    # Every video is scored once; the labelled splits' scores are read off that.
    p_all = ev.predict_positive(pipe, videos, columns=CLASSIFIER_FEATURES)
    p_labelled = p_all[np.flatnonzero(is_labelled)]
    p_train, p_val, p_test = p_labelled[train], p_labelled[val], p_labelled[test]
    # the threshold on the whole validation split (the candidates' on `compare`: the same when that is all of it)
    threshold = choose_recall_first_threshold(y[val], p_val)
    band = choose_review_band(y[val], p_val, threshold)
    version = io.model_version(
        data_hash,
        {
            "candidate": chosen,
            **pipeline_params(pipe),
            "threshold": round(threshold, 6),
            "review_band": [round(band.low, 6), round(band.high, 6)],
        },
    )

    for split, idx, p in (("train", train, p_train), ("validation", val, p_val), ("test", test, p_test)):
        metrics = ev.classification_metrics(y[idx], p, threshold)
        inside = band.contains(p)
        metrics["review_share"] = float(inside.mean()) if len(p) else float("nan")
        metrics["errors_outside_review_band"] = float((((p >= threshold).astype(int) != y[idx]) & ~inside).sum())
        if split == "validation":
            metrics["review_band_low"] = band.low
            metrics["review_band_high"] = band.high
        if split == "test":
            intervals = ev.bootstrap_classification_intervals(y[idx], p >= threshold)
            metrics.update(ev.interval_metrics(intervals))
            test_metrics = metrics
        ctx.add_metrics(_rows(CLASSIFIER, version, split, "all", metrics, data_hash))

    baselines = classifier_baselines(X, y, train, val, test)
    for name, metrics in baselines.items():
        ctx.add_metrics(_rows(f"{CLASSIFIER}__baseline_{name}", version, "test", "all", metrics, data_hash))

    # Fairness: the same threshold, per author group, on the untouched test split.
    groups = _record_groups(
        ctx, CLASSIFIER, version, data_hash, labelled.iloc[test],
        lambda values: ev.group_metrics(y[test], p_test, threshold, values),
    )  # fmt: skip

    sample = ev.fit_subsample(val, y, ev.max_importance_rows())
    importances = _record_importances(
        ctx, CLASSIFIER, version, data_hash, _importances(pipe, X.iloc[sample], y[sample], scoring="average_precision")
    )

    plots = ctx.artifacts_dir / "plots"
    ev.plot_pr_curve(
        y[test], p_test, threshold, plots / "claims_pr_curve.png", title=f"Claim classifier ({chosen}), test split"
    )
    ev.plot_confusion(
        y[test],
        p_test >= threshold,
        plots / "claims_confusion.png",
        labels=("opinion", "claim"),
        title="Claim classifier, test split",
    )
    ev.plot_importances(
        list(importances.index),
        importances.to_numpy(),
        plots / "claims_importances.png",
        title="Claim classifier: permutation importance (validation PR-AUC)",
    )

    # Every video's score (labelled or not), from the chosen pipeline above.
    scores = pd.DataFrame(
        {
            "video_id": videos["video_id"].astype("int64"),
            "claim_probability": p_all,
            "predicted_label": np.where(p_all >= threshold, "claim", "opinion"),
            "needs_review": band.contains(p_all) | videos["has_nothing_to_score"].astype(bool).to_numpy(),
            "model_version": version,
        }
    )
    io.write_scores(scores, ctx.seeds_dir, "claim_scores")
    result = {
        "chosen": chosen,
        "threshold": threshold,
        "band": band,
        "version": version,
        "test": test_metrics,
        "intervals": intervals,
        "candidates": {n: r[2] for n, r in results.items()},
        "baselines": baselines,
        "groups": groups,
        "importances": importances,
        "n_scored": len(scores),
        "n_review": int(scores["needs_review"].sum()),
        "n_unlabelled": int((~is_labelled).sum()),
        "n_test_claims": int(y[test].sum()),
        # (claims missed, opinions flagged) on test
        "test_errors": (
            int(((y[test] == 1) & (p_test < threshold)).sum()),
            int(((y[test] == 0) & (p_test >= threshold)).sum()),
        ),
        "n": {"train": len(train), "validation": len(val), "test": len(test)},
    }
    ctx.cards.append(classifier_card(result).row())
    return result


def classifier_card(r: dict) -> cards.ModelCard:
    t, ci, band = r["test"], r["intervals"], r["band"]
    inputs = candidate_inputs(r["chosen"])
    described = [f"{TEXT_COLUMN} (TF-IDF of 1-2 word n-grams)" if c == TEXT_COLUMN else c for c in inputs]
    missed, false_alarms = r["test_errors"]
    candidates = ", ".join(
        f"{name} F2 {cards.fmt(m['f2'])} (precision {cards.fmt(m['precision'])}, recall {cards.fmt(m['recall'])})"
        for name, m in r["candidates"].items()
    )
    return cards.ModelCard(
        model=CLASSIFIER,
        model_version=r["version"],
        title="Claim classifier",
        task="binary classification: claim (1) or opinion (0), to triage videos for moderation",
        training_frame=CLASSIFIER_FRAME,
        chosen_candidate=r["chosen"],
        label_definition=(
            "is_claim: the file's claim_status is `claim` (1) or `opinion` (0). "
            f"{r['n_unlabelled']:,} rows without a claim_status are scored but never trained or evaluated on."
        ),
        reference_time="not applicable: the label is a moderator's reading of the video, not a time window",
        features=", ".join(described),
        excluded_features=(
            "video_id (an identifier). Nothing is computed from claim_status; the counts, author "
            "statuses and transcript all exist when a video is queued for moderation."
            + (
                " The chosen candidate reads the transcript only; the others also read "
                + ", ".join(c for c in CLASSIFIER_FEATURES if c not in inputs)
                + "."
                if len(inputs) < len(CLASSIFIER_FEATURES)
                else ""
            )
        ),
        threshold_rule=(
            f"the best F2 (recall weighted 4x over precision) on validation among thresholds keeping validation "
            f"recall >= {MIN_RECALL}, placed midway between that validation score and the next lower one (the "
            f"same validation predictions, off the least confident claim's score): {r['threshold']:.4f}. "
            f"Videos scored in [{band.low:.4f}, {band.high:.4f}) "
            f"({band.share:.1%} of validation) and videos with nothing to score go to human review."
        ),
        headline_metrics=cards.headline(
            "test",
            [
                cards.with_interval("precision", t["precision"], ci["precision"]),
                cards.with_interval("recall", t["recall"], ci["recall"]),
                cards.with_interval("F1", t["f1"], ci["f1"]),
                f"ROC-AUC {cards.fmt(t['roc_auc'])}, PR-AUC {cards.fmt(t['pr_auc'])}",
                f"{missed} claim(s) missed, {false_alarms} opinion(s) flagged",
            ],
            int(t["n"]),
        )
        + cards.zero_error_bound(r["n_test_claims"], missed, "claim"),
        group_metrics=cards.group_pointer(CLASSIFIER, r["groups"], "recall"),
        baselines="On test: "
        + cards.baseline_sentence(
            [
                ("prior (every video a claim)", r["baselines"]["prior"]["f1"], t["f1"]),
                (
                    f"view-count rule (views >= {r['baselines']['view_count_rule']['threshold']:,.0f}, cut-off "
                    "chosen on validation)",
                    r["baselines"]["view_count_rule"]["f1"],
                    t["f1"],
                ),
            ],
            "F1",
        ),
        notes=(
            f"Candidates on validation (same training rows, each with its own recall-first threshold): {candidates}. "
            f"Chosen: {r['chosen']} (best validation F2, then PR-AUC, then the simpler). Every candidate's "
            "validation metrics are in marts.claim_model_performance."
        ),
        n_train=r["n"]["train"],
        n_validation=r["n"]["validation"],
        n_test=r["n"]["test"],
    )


# ----------------------------------------------------------------------------- regression
def train_regression(rated: pd.DataFrame, ctx) -> dict:
    rated = rated.reset_index(drop=True)
    X = rated[REGRESSION_FEATURES]
    y = rated[REGRESSION_TARGET].astype(float).to_numpy()
    leaked = [c for c in REGRESSION_FEATURES if c in REGRESSION_TARGET_INPUTS]
    if leaked:
        raise RuntimeError(f"{leaked} are part of the target: not features")
    # Stratify the split on the target's quartile so every split sees the whole range.
    bins = pd.qcut(pd.Series(y).rank(method="first"), 4, labels=False).to_numpy()
    train, val, test = ev.stratified_split(bins, seed=SEED)
    data_hash = io.frame_hash(pd.concat([X.iloc[train], pd.Series(y[train], name="y", index=X.index[train])], axis=1))

    leakage, detail = leakage_check(rated.iloc[train], REGRESSION_NUMERIC, y[train])
    if leakage > LEAKAGE_LIMIT:
        raise RuntimeError(f"leakage: the target is rebuilt from features ({detail}, R^2={leakage:.6f})")
    # On record: what the target's own inputs would give (the check's reason to exist).
    leakage_components, _ = leakage_check(rated.iloc[train], REGRESSION_TARGET_INPUTS, y[train])

    fit = ev.fit_subsample(train, bins)
    compare = ev.selection_subsample(val, bins)
    results = {}
    for name, pipe in regression_candidates().items():
        pipe.fit(X.iloc[fit], y[fit])
        metrics = ev.regression_metrics(y[compare], ev.predict_values(pipe, X.iloc[compare]))
        version = io.model_version(data_hash, {"candidate": name, **pipeline_params(pipe)})
        ctx.add_metrics(_rows(f"{REGRESSION}__{name}", version, "validation", "all", metrics, data_hash))
        results[name] = (pipe, metrics, version)
    chosen = ev.choose_candidate({n: r[1] for n, r in results.items()}, "r2")
    pipe = results[chosen][0]
    version = io.model_version(data_hash, {"candidate": chosen, **pipeline_params(pipe)})

    baseline = np.full(len(test), float(np.mean(y[train])))
    baseline_metrics = ev.regression_metrics(y[test], baseline)
    ctx.add_metrics(_rows(f"{REGRESSION}__baseline_mean", version, "test", "all", baseline_metrics, data_hash))
    for split, idx in (("train", train), ("validation", val), ("test", test)):
        pred = ev.predict_values(pipe, X.iloc[idx])
        metrics = ev.regression_metrics(y[idx], pred)
        if split == "train":
            metrics["leakage_r2"] = leakage
            metrics["leakage_r2_target_components"] = leakage_components
        if split == "test":
            intervals = ev.regression_intervals(y[idx], pred)
            metrics.update(ev.interval_metrics(intervals))
            test_metrics, test_pred = metrics, pred
        ctx.add_metrics(_rows(REGRESSION, version, split, "all", metrics, data_hash))

    groups = _record_groups(
        ctx, REGRESSION, version, data_hash, rated.iloc[test],
        lambda values: ev.group_regression_metrics(y[test], test_pred, values),
    )  # fmt: skip

    # On validation, like the classifier's: test rows carry only the final report and fairness.
    sample = ev.fit_subsample(val, bins, ev.max_importance_rows())
    importances = _record_importances(
        ctx, REGRESSION, version, data_hash, _importances(pipe, X.iloc[sample], y[sample], scoring="r2")
    )
    ev.plot_importances(
        list(importances.index),
        importances.to_numpy(),
        ctx.artifacts_dir / "plots" / "claims_regression_importances.png",
        title="Engagement-rate regression: permutation importance (validation R^2)",
    )
    result = {
        "chosen": chosen,
        "test": test_metrics,
        "intervals": intervals,
        "baseline": baseline_metrics,
        "groups": groups,
        "leakage_r2": leakage,
        "leakage_r2_target_components": leakage_components,
        "importances": importances,
        "candidates": {n: r[1] for n, r in results.items()},
        "version": version,
        "n": {"train": len(train), "validation": len(val), "test": len(test)},
    }
    ctx.cards.append(regression_card(result).row())
    return result


def regression_card(r: dict) -> cards.ModelCard:
    t, ci = r["test"], r["intervals"]
    inputs = REGRESSION_CANDIDATE_INPUTS.get(r["chosen"], REGRESSION_FEATURES)
    candidates = ", ".join(f"{name} R^2 {cards.fmt(m['r2'])}" for name, m in r["candidates"].items())
    return cards.ModelCard(
        model=REGRESSION,
        model_version=r["version"],
        title="Engagement-rate regression",
        task="regression of a video's total engagement rate",
        training_frame=REGRESSION_FRAME,
        chosen_candidate=r["chosen"],
        label_definition=(
            "total_engagement_rate = (likes + comments + shares + downloads) / views, per video with views."
        ),
        features=", ".join(f"{c} (TF-IDF of 1-2 word n-grams)" if c == TEXT_COLUMN else c for c in inputs)
        + (
            f"; the other candidates also read {', '.join(c for c in REGRESSION_FEATURES if c not in inputs)}"
            if len(inputs) < len(REGRESSION_FEATURES)
            else ""
        )
        + " (all known before anyone engages)",
        excluded_features=(
            f"{', '.join(REGRESSION_TARGET_INPUTS)}: the target's denominator and numerator. Leakage check "
            f"(R^2 of the target on the numeric features and their ratios, train split): "
            f"{cards.fmt(r['leakage_r2'])} with the features used, {cards.fmt(r['leakage_r2_target_components'])} "
            f"with the excluded counts (a run stops above {LEAKAGE_LIMIT})."
        ),
        split_rule=(
            "60/20/20 train/validation/test split with a fixed seed (42), stratified on the target's quartile; "
            "candidates are fitted on train and compared on validation R^2 only; the test split is scored once, "
            "for this card"
        ),
        threshold_rule="not applicable (a regression)",
        headline_metrics=cards.headline(
            "test",
            [
                cards.with_interval("R^2", t["r2"], ci["r2"]),
                cards.with_interval("MAE", t["mae"], ci["mae"], 4),
                f"RMSE {cards.fmt(t['rmse'], 4)}",
            ],
            int(t["n"]),
        ),
        group_metrics=cards.group_pointer(REGRESSION, r["groups"], "r2"),
        baselines="On test: "
        + cards.baseline_sentence(
            [("the training mean", r["baseline"]["mae"], t["mae"])], "MAE", higher_is_better=False, digits=4
        )
        + f" The mean's test R^2 is {cards.fmt(r['baseline']['r2'])}.",
        notes=(
            "The seed project reported R^2 > 0.85 for engagement, from watch time and clicks: this dataset has "
            "neither, so that figure cannot be reproduced here. Feeding the engagement counts back in rebuilds "
            f"the target arithmetically (leakage R^2 {cards.fmt(r['leakage_r2_target_components'])}): that is not "
            "a prediction. With only what is known before engagement, the best candidate on validation "
            f"({candidates}) reaches test R^2 {cards.fmt(t['r2'])}: this file's engagement rate is barely "
            "predictable from duration, author status and transcript."
        ),
        n_train=r["n"]["train"],
        n_validation=r["n"]["validation"],
        n_test=r["n"]["test"],
    )


# ----------------------------------------------------------------------------- report
def _report(clf: dict, reg: dict) -> str:
    t, band, ci = clf["test"], clf["band"], clf["intervals"]
    lines = [
        "# Claims models (written by `python -m ml run`)",
        "",
        f"Claim classifier: chosen `{clf['chosen']}` (version {clf['version']}), "
        f"threshold {clf['threshold']:.4f} (best validation F2 with recall >= {MIN_RECALL}).",
        f"Split train/validation/test: {clf['n']['train']}/{clf['n']['validation']}/{clf['n']['test']} "
        "labelled videos.",
        "",
        "| candidate | validation precision | recall | F1 | F2 | ROC-AUC | PR-AUC |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, m in clf["candidates"].items():
        lines.append(
            f"| {name} | {m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | {m['f2']:.4f} | "
            f"{m['roc_auc']:.4f} | {m['pr_auc']:.4f} |"
        )
    lines += [
        "",
        f"Test split (chosen model): precision {t['precision']:.4f} "
        f"[{ci['precision'][0]:.4f}, {ci['precision'][1]:.4f}], recall {t['recall']:.4f} "
        f"[{ci['recall'][0]:.4f}, {ci['recall'][1]:.4f}] (95% bootstrap), "
        f"F1 {t['f1']:.4f}, ROC-AUC {t['roc_auc']:.4f}, PR-AUC {t['pr_auc']:.4f}.",
        "Baselines on test: " + ", ".join(f"{n} F1 {m['f1']:.4f}" for n, m in clf["baselines"].items()) + ".",
        f"Review band [{band.low:.4f}, {band.high:.4f}): {band.share:.1%} of validation videos; "
        f"catches {band.errors_total - band.errors_outside} of {band.errors_total} validation errors. "
        f"{clf['n_review']} of {clf['n_scored']} scored videos need review.",
        "",
        f"Engagement-rate regression (`{reg['chosen']}`): test R^2 {reg['test']['r2']:.4f} "
        f"[{reg['intervals']['r2'][0]:.4f}, {reg['intervals']['r2'][1]:.4f}], "
        f"MAE {reg['test']['mae']:.4f}; leakage check R^2 {reg['leakage_r2']:.4f} "
        f"({reg['leakage_r2_target_components']:.4f} with the target's own counts).",
        "Permutation importance (validation R^2): " + ", ".join(f"{k} {v:.4f}" for k, v in reg["importances"].items()),
        "",
    ]
    return "\n".join(lines)


def _skip_cards(ctx, why: str) -> None:
    ctx.cards.append(
        cards.skipped(CLASSIFIER, "Claim classifier", "binary classification", CLASSIFIER_FRAME, why).row()
    )
    ctx.cards.append(cards.skipped(REGRESSION, "Engagement-rate regression", "regression", REGRESSION_FRAME, why).row())


def run(ctx) -> None:
    # One native thread: on a small shared machine OpenMP oversubscription makes gradient
    # boosting many times slower, and results do not depend on it.
    with threadpool_limits(limits=1):
        _run(ctx)


def _run(ctx) -> None:
    videos = load_videos(ctx)
    labelled = videos[videos["is_labelled"].astype(bool)]
    if labelled["is_claim"].nunique() < 2 or len(labelled) < 50:
        # Too little labelled data to train: keep header-only seeds, say so, do not crash.
        why = f"{len(labelled)} labelled videos: not enough to train"
        print(f"ml: claims: {why}; skipped", flush=True)
        io.write_scores(pd.DataFrame(columns=score_sets.get("claim_scores").names), ctx.seeds_dir, "claim_scores")
        _skip_cards(ctx, why)
        return
    with ctx.timed("claim_classifier"):
        clf = train_classifier(videos, ctx)
    with ctx.timed("claim_engagement_regression"):
        reg = train_regression(load_rated_videos(ctx), ctx)
    report = _report(clf, reg)
    ctx.artifacts_dir.mkdir(parents=True, exist_ok=True)
    (ctx.artifacts_dir / "claims_report.md").write_text(report, encoding="utf-8")
    summary = {"classifier": clf["chosen"], "test": {k: round(v, 4) for k, v in clf["test"].items()}}
    print("ml: claims: " + json.dumps(summary, sort_keys=True), flush=True)
