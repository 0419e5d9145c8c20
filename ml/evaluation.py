"""Evaluation shared by every model: splits, thresholds, metrics, leakage check, plots."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LinearRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    get_scorer,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_curve,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

import tiktok_settings

SEED = 42


def stratified_split(
    y, seed: int = SEED, fractions: tuple[float, float, float] = (0.6, 0.2, 0.2)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positional indices of a stratified train/validation/test split (deterministic)."""
    y = np.asarray(y)
    if not math.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must sum to 1: {fractions}")
    idx = np.arange(len(y))
    stratify = y if _stratifiable(y) else None
    train, rest = train_test_split(idx, train_size=fractions[0], random_state=seed, stratify=stratify)
    val_share = fractions[1] / (fractions[1] + fractions[2])
    rest_stratify = y[rest] if stratify is not None and _stratifiable(y[rest]) else None
    val, test = train_test_split(rest, train_size=val_share, random_state=seed, stratify=rest_stratify)
    return np.sort(train), np.sort(val), np.sort(test)


# Training on a documented subsample keeps each model's fit within minutes on millions of rows;
# scores still cover every row (TIKTOK_ML_MAX_FIT_ROWS). Permutation importances refit nothing but
# re-score n_repeats x features times: a smaller cap (TIKTOK_ML_MAX_IMPORTANCE_ROWS).


def max_fit_rows() -> int:
    return tiktok_settings.current().ml_max_fit_rows


def selection_subsample(val, y, seed: int = SEED) -> np.ndarray:
    """The validation rows the candidates are compared on: at most max_fit_rows() of them,
    stratified on y, all of them below that. On millions of rows scoring every candidate on the
    whole split costs more than fitting them, and a hundred thousand rows tell them apart; the
    chosen candidate's threshold and reported metrics use the whole split."""
    return fit_subsample(val, y, seed=seed)


def max_importance_rows() -> int:
    return tiktok_settings.current().ml_max_importance_rows


# Scoring and plotting: rows scored at once, rows beyond which the chunks are scored on every
# core, points drawn per scatter plot. A chunk holds its rows' features (a dense matrix for the
# boosted models, and its column-major copy), so it bounds the memory of whoever scores it; a
# worker process costs its own imports and a copy of the pipeline, worth it only on many rows.
SCORE_CHUNK_ROWS = 100_000
SCORE_PARALLEL_ROWS = 250_000
MAX_PLOT_POINTS = 20_000


def predict_positive(pipe, X: pd.DataFrame, n_jobs: int = -1, columns: list[str] | None = None) -> np.ndarray:
    """P(positive class) of every row of X (of its `columns`, default all), SCORE_CHUNK_ROWS
    rows at a time: in this process up to SCORE_PARALLEL_ROWS rows, beyond that on every core
    (scikit-learn's text vectorisers run on one core). Only a chunk's columns are ever copied
    out of X. The same numbers as pipe.predict_proba(X[columns])[:, 1], in the same order."""
    return _predict_rows(_predict_chunk, pipe, X, n_jobs, columns)


def predict_values(pipe, X: pd.DataFrame, n_jobs: int = -1, columns: list[str] | None = None) -> np.ndarray:
    """pipe.predict(X[columns]) (a regression's values), in chunks as predict_positive."""
    return _predict_rows(_predict_value_chunk, pipe, X, n_jobs, columns)


def _predict_rows(predict, pipe, X: pd.DataFrame, n_jobs: int, columns: list[str] | None) -> np.ndarray:
    def rows(start: int, stop: int):
        part = X.iloc[start:stop]
        return part if columns is None else part[columns]

    if len(X) <= SCORE_CHUNK_ROWS:
        return predict(pipe, rows(0, len(X)))
    starts = range(0, len(X), SCORE_CHUNK_ROWS)
    if len(X) <= SCORE_PARALLEL_ROWS:
        return np.concatenate([predict(pipe, rows(i, i + SCORE_CHUNK_ROWS)) for i in starts])
    from joblib import Parallel, delayed

    parts = Parallel(n_jobs=n_jobs)(delayed(predict)(pipe, rows(i, i + SCORE_CHUNK_ROWS)) for i in starts)
    return np.concatenate(parts)


def _predict_chunk(pipe, X: pd.DataFrame) -> np.ndarray:
    return pipe.predict_proba(X)[:, 1]


def _predict_value_chunk(pipe, X: pd.DataFrame) -> np.ndarray:
    return pipe.predict(X)


def column_major() -> FunctionTransformer:
    """The step before a gradient-boosted model. Its trees test one feature at a time across the
    rows, so they read a column-major matrix in order instead of jumping between rows: the same
    predictions several times faster."""
    return FunctionTransformer(_column_major, feature_names_out="one-to-one")


def _column_major(X):
    return np.asfortranarray(X) if isinstance(X, np.ndarray) else X


def permutation_importances(
    pipe: Pipeline, X: pd.DataFrame, y, scoring: str, n_repeats: int = 5, seed: int = SEED
) -> pd.Series:
    """Mean drop of `scoring` when each column of X is shuffled (n_repeats shuffles each), as
    scikit-learn's permutation_importance, for a pipeline whose first step is a fitted
    ColumnTransformer. The features are computed once: a transformer's output rows follow its
    input rows, so shuffling a column that a transformer reads alone is shuffling that
    transformer's output rows, and a column read with others re-runs only the transformers that read it.
    The vectorised text is never recomputed, which is most of the cost on a pipeline's rows."""
    features, rest = pipe.steps[0][1], Pipeline(pipe.steps[1:])
    scorer = get_scorer(scoring)
    y = np.asarray(y)
    M = features.transform(X)
    baseline = scorer(rest, M, y)
    readers = {}
    for name, transformer, columns in features.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        if isinstance(transformer, str):  # a passthrough remainder would need its own shuffling
            raise ValueError(f"permutation_importances: transformer `{name}` is {transformer!r}")
        for column in [columns] if isinstance(columns, str) else list(columns):
            readers.setdefault(column, []).append((transformer, columns, features.output_indices_[name]))
    rng = np.random.default_rng(seed)
    out = {}
    for column in X.columns:
        if column not in readers:  # the pipeline does not read it: shuffling it changes nothing
            out[column] = 0.0
            continue
        drops = []
        for _ in range(n_repeats):
            order = rng.permutation(len(X))
            shuffled = M
            for transformer, columns, block in readers[column]:
                if isinstance(columns, str) or len(columns) == 1:
                    values = M[order, block]
                else:
                    part = X[columns].copy()
                    part[column] = part[column].to_numpy()[order]
                    values = transformer.transform(part)
                shuffled = _with_block(shuffled, block, values)
            drops.append(baseline - scorer(rest, shuffled, y))
        out[column] = float(np.mean(drops))
    return pd.Series(out, dtype=float)


def _with_block(M, block: slice, values):
    """M with the columns `block` replaced by `values` (dense or sparse, as M)."""
    if sp.issparse(M):
        parts = [M[:, : block.start], sp.csr_matrix(values), M[:, block.stop :]]
        return sp.hstack(parts, format="csr")
    out = M.copy()
    out[:, block] = values.toarray() if sp.issparse(values) else values
    return out


def plot_sample(n: int, limit: int = MAX_PLOT_POINTS, seed: int = SEED) -> np.ndarray:
    """Sorted positions of at most `limit` of n rows (all of them when fewer), for scatter plots:
    drawing millions of points is slow and shows no more than `limit` do."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


def fit_subsample(idx, y, limit: int | None = None, seed: int = SEED) -> np.ndarray:
    """At most `limit` (default max_fit_rows()) of the positional indices `idx`, stratified on y,
    deterministic and sorted; all of them when there are no more than that."""
    idx = np.asarray(idx)
    limit = max_fit_rows() if limit is None else limit
    if limit <= 0 or len(idx) <= limit:
        return idx
    labels = np.asarray(y)[idx]
    kept, _ = train_test_split(
        idx, train_size=limit, random_state=seed, stratify=labels if _stratifiable(labels) else None
    )
    return np.sort(kept)


def _stratifiable(y: np.ndarray) -> bool:
    """Stratify when every class has enough members to appear in each split."""
    _, counts = np.unique(y, return_counts=True)
    return len(counts) > 1 and counts.min() >= 5


def choose_threshold(y_val, p_val, min_recall: float = 0.95) -> float:
    """Highest threshold whose validation recall is >= min_recall (missed positives are the
    costly error). Falls back to the threshold with the best F2 if no threshold reaches it."""
    y_val, p_val = np.asarray(y_val).astype(int), np.asarray(p_val, dtype=float)
    if y_val.sum() == 0:
        return 0.5
    precision, recall, thresholds = precision_recall_curve(y_val, p_val)
    ok = [t for t, r in zip(thresholds, recall[:-1], strict=False) if r >= min_recall]
    if ok:
        return float(max(ok))
    f2 = (5 * precision * recall) / np.where(4 * precision + recall == 0, 1, 4 * precision + recall)
    return float(thresholds[int(np.argmax(f2[:-1]))])


def classification_metrics(y, p, threshold: float) -> dict[str, float]:
    """n, positive_rate (share predicted positive), precision, recall, f1, accuracy, and the
    threshold-free roc_auc / pr_auc (NaN when only one class is present)."""
    y, p = np.asarray(y).astype(int), np.asarray(p, dtype=float)
    pred = (p >= threshold).astype(int)
    both = len(np.unique(y)) > 1
    return {
        "n": float(len(y)),
        "positive_rate": float(pred.mean()) if len(y) else float("nan"),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "accuracy": float(accuracy_score(y, pred)) if len(y) else float("nan"),
        "roc_auc": float(roc_auc_score(y, p)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if both else float("nan"),
        "threshold": float(threshold),
    }


# ----------------------------------------------------------------------------- intervals
BOOTSTRAP_RESAMPLES = 1000
INTERVAL_LEVEL = 0.95


def _percentile_interval(samples: np.ndarray, level: float) -> tuple[float, float]:
    samples = np.asarray(samples, dtype=float)
    samples = samples[np.isfinite(samples)]
    if not len(samples):
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_classification_intervals(
    y, pred, n_resamples: int = BOOTSTRAP_RESAMPLES, level: float = INTERVAL_LEVEL, seed: int = SEED
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of precision, recall, F1 and accuracy at fixed predictions.

    These four depend on the rows only through the confusion matrix, so resampling n rows with
    replacement is drawing the four cell counts from a multinomial with the observed cell shares:
    the same distribution as resampling rows, in constant memory (a 400k-row test split times
    1,000 resamples would be 400M row indices). A resample without predicted positives has no
    precision; it is left out of that metric's interval."""
    y, pred = np.asarray(y).astype(int), np.asarray(pred).astype(int)
    n = len(y)
    if n == 0:
        return {m: (float("nan"), float("nan")) for m in ("precision", "recall", "f1", "accuracy")}
    cells = np.array(
        [((y == 1) & (pred == 1)).sum(), ((y == 0) & (pred == 1)).sum(), ((y == 1) & (pred == 0)).sum()], dtype=float
    )
    shares = np.r_[cells, n - cells.sum()] / n
    draws = np.random.default_rng(seed).multinomial(n, shares, size=n_resamples).astype(float)
    tp, fp, fn, tn = draws.T
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    accuracy = (tp + tn) / n
    return {
        name: _percentile_interval(values, level)
        for name, values in (("precision", precision), ("recall", recall), ("f1", f1), ("accuracy", accuracy))
    }


def bootstrap_intervals(
    statistics: dict, n: int, n_resamples: int = BOOTSTRAP_RESAMPLES, level: float = INTERVAL_LEVEL, seed: int = SEED
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of statistics over rows: `statistics` maps a name to a
    function of an array of row positions (drawn with replacement from range(n))."""
    if n == 0:
        return {name: (float("nan"), float("nan")) for name in statistics}
    rng = np.random.default_rng(seed)
    samples = {name: np.empty(n_resamples) for name in statistics}
    for i in range(n_resamples):
        rows = rng.integers(0, n, n)
        for name, statistic in statistics.items():
            samples[name][i] = statistic(rows)
    return {name: _percentile_interval(values, level) for name, values in samples.items()}


def interval_metrics(intervals: dict[str, tuple[float, float]]) -> dict[str, float]:
    """{metric}_ci_low / {metric}_ci_high rows for model_metrics."""
    out = {}
    for name, (low, high) in intervals.items():
        out[f"{name}_ci_low"] = low
        out[f"{name}_ci_high"] = high
    return out


def regression_metrics(y, pred) -> dict[str, float]:
    y, pred = np.asarray(y, dtype=float), np.asarray(pred, dtype=float)
    return {
        "n": float(len(y)),
        "r2": float(r2_score(y, pred)),
        "mae": float(mean_absolute_error(y, pred)),
        "rmse": float(math.sqrt(mean_squared_error(y, pred))),
    }


def regression_intervals(y, pred, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Bootstrap intervals of R^2 and MAE over the rows of a split."""
    y, pred = np.asarray(y, dtype=float), np.asarray(pred, dtype=float)

    def r2(rows):
        return r2_score(y[rows], pred[rows]) if np.ptp(y[rows]) > 0 else np.nan

    def mae(rows):
        return float(np.mean(np.abs(y[rows] - pred[rows])))

    return bootstrap_intervals({"r2": r2, "mae": mae}, len(y), seed=seed)


def group_metrics(y, p, threshold: float, groups) -> dict[str, dict[str, float]]:
    """classification_metrics per value of `groups` (fairness by verified status, ban status...)."""
    y, p, groups = np.asarray(y), np.asarray(p), pd.Series(groups).astype(str).to_numpy()
    return {g: classification_metrics(y[groups == g], p[groups == g], threshold) for g in sorted(set(groups))}


def group_regression_metrics(y, pred, groups) -> dict[str, dict[str, float]]:
    """regression_metrics per value of `groups` (R^2 needs two rows: NaN below that)."""
    y, pred, groups = np.asarray(y, dtype=float), np.asarray(pred, dtype=float), pd.Series(groups).astype(str)
    out = {}
    for g in sorted(set(groups)):
        mask = (groups == g).to_numpy()
        out[g] = (
            regression_metrics(y[mask], pred[mask])
            if mask.sum() > 1
            else {"n": float(mask.sum()), "r2": float("nan"), "mae": float("nan"), "rmse": float("nan")}
        )
    return out


def choose_candidate(results: dict[str, dict], score: str, tie_break: str | None = None) -> str:
    """The candidate with the best validation `score` (rounded to 6 places, so float noise never
    decides), then the best `tie_break`, then the earliest listed: candidates are listed
    simplest first, so a tie goes to the simpler model."""
    order = list(results)

    def key(name):
        m = results[name]
        first = m.get(score, float("nan"))
        second = m.get(tie_break, float("nan")) if tie_break else 0.0
        return (
            -round(first if np.isfinite(first) else -np.inf, 6),
            -round(second if np.isfinite(second) else -np.inf, 6),
            order.index(name),
        )

    return min(order, key=key)


def metric_rows(model: str, version: str, split: str, group_name: str, metrics: dict, data_hash: str) -> list[dict]:
    """Rows for the shared model_metrics seed, one per metric, rounded for stable bytes."""
    return [
        {
            "model": model,
            "model_version": version,
            "split": split,
            "group_name": group_name,
            "metric": metric,
            "value": None
            if value is None or (isinstance(value, float) and math.isnan(value))
            else round(float(value), 6),
            "training_data_hash": data_hash,
        }
        for metric, value in sorted(metrics.items())
    ]


def leakage_r2(X: pd.DataFrame, y) -> tuple[float, str]:
    """How well y is explained by arithmetic of the numeric features: R^2 of a linear regression
    of y on every feature and every pairwise ratio of features. A target that is a sum of
    feature ratios (e.g. (likes + comments) / views) scores ~1.0: that is leakage, not skill.
    Returns (best R^2, a description of the best-fitting set)."""
    num = X.select_dtypes(include="number").astype(float)
    y = np.asarray(y, dtype=float)
    cols = list(num.columns)
    parts = {c: num[c].to_numpy() for c in cols}
    for a, b in itertools.permutations(cols, 2):
        denom = num[b].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            parts[f"{a}/{b}"] = np.where(denom != 0, num[a].to_numpy() / denom, 0.0)
    if not parts:
        return 0.0, "no numeric features"
    design = np.column_stack(list(parts.values()))
    ok = np.isfinite(design).all(axis=1) & np.isfinite(y)
    if ok.sum() < 3:
        return 0.0, "too few rows"
    fit = LinearRegression().fit(design[ok], y[ok])
    r2 = float(fit.score(design[ok], y[ok]))
    names = list(parts)
    top = sorted(zip(np.abs(fit.coef_), names, strict=False), reverse=True)[:4]
    return r2, ", ".join(name for _, name in top)


# ----------------------------------------------------------------------------- plots
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "tiktok-warehouse", "figure.dpi": 100})
    return plt


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # No timestamp in the PNG metadata: reruns write identical files.
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return path


def plot_pr_curve(y, p, threshold: float, path: Path, title: str = "Precision-recall") -> Path:
    plt = _plt()
    precision, recall, _thresholds = precision_recall_curve(np.asarray(y).astype(int), p)
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(recall, precision, color="#1f77b4", label="precision-recall")
    pred = np.asarray(p) >= threshold
    y = np.asarray(y).astype(int)
    r = recall_score(y, pred, zero_division=0)
    pr = precision_score(y, pred, zero_division=0)
    ax.scatter([r], [pr], color="#d62728", zorder=3, label=f"chosen threshold {threshold:.3f}")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(title)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    return _save(fig, path)


def plot_confusion(y, pred, path: Path, labels=("negative", "positive"), title="Confusion matrix") -> Path:
    plt = _plt()
    cm = confusion_matrix(np.asarray(y).astype(int), np.asarray(pred).astype(int), labels=[0, 1])
    fig, ax = plt.subplots(figsize=(4, 3.6))
    ax.imshow(cm, cmap="Blues")
    for (i, j), v in np.ndenumerate(cm):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > cm.max() / 2 else "black", fontsize=12)
    ax.set_xticks([0, 1], [f"pred {labels[0]}", f"pred {labels[1]}"])
    ax.set_yticks([0, 1], [f"true {labels[0]}", f"true {labels[1]}"])
    ax.set_title(title)
    return _save(fig, path)


def plot_importances(names, values, path: Path, top: int = 20, title="Feature importance") -> Path:
    plt = _plt()
    order = np.argsort(np.abs(np.asarray(values, dtype=float)))[::-1][:top][::-1]
    names = [str(names[i]) for i in order]
    vals = [float(values[i]) for i in order]
    fig, ax = plt.subplots(figsize=(6, 0.28 * len(names) + 1))
    ax.barh(range(len(names)), vals, color="#2ca02c")
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_title(title)
    return _save(fig, path)
