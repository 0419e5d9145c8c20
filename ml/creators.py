"""Creator models (issue 5), each one scikit-learn Pipeline trained on mart tables.

- creators_active: is a profiled creator active? Label: the newest video on the profile's
  top-videos list was created within ACTIVE_DAYS days before the profile was scraped (creation
  time decoded from the video id). Nothing the label is computed from (top videos, their
  times, the scrape date) nor anything derived from them is a feature.
- creators_success: is a creator on the top-creator lists "successful" (total engagement in
  the top 25% of its list)? Likes, comments and shares are the target's own components and
  never features; the leakage check (`evaluation.leakage_r2`) is reported with and without
  them so the difference is on record.
- creator_segments: KMeans on scaled log-counts and rates of profiled creators, each cluster
  named from its centroid.

Outputs: score sets `creator_scores` and `creator_segments` (ml.io.write_scores: seed CSVs,
Parquet files when large), metrics into the shared model_metrics, plots as
<build>/ml/plots/creators_*.png.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import mutual_info_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from ml import evaluation, io

SEED = 42
ACTIVE_DAYS = 30
MIN_LABELLED = 40

SEEDS = {
    "creator_scores": [
        "creator_handle",
        "active_probability",
        "is_predicted_active",
        "active_model_version",
        "success_probability",
        "is_predicted_success",
        "success_model_version",
    ],
    "creator_segments": ["creator_handle", "segment_id", "segment_name", "model_version"],
}

# ----------------------------------------------------------------------------- feature lists
# What the active label is computed from: none of it (nor anything derived from it) may be a
# feature. tests/test_creators_ml.py checks the lists are disjoint.
ACTIVE_LABEL_INPUTS = {
    "video_created_at",
    "profile_scraped_at",
    "days_before_scrape",
    "video_id",
    "latest_video_at",
    "n_top_videos",
    "scraped_at",
}
ACTIVE_TEXT = "biography"
ACTIVE_COUNTS = ["followers", "following_count", "likes", "videos", "likes_per_video"]
ACTIVE_FLAGS = ["has_bio_link", "is_verified", "is_commerce_user"]
ACTIVE_FEATURES = [ACTIVE_TEXT, *ACTIVE_COUNTS, *ACTIVE_FLAGS]

# The success target is likes + comments + shares: those three are its components.
SUCCESS_TARGET_COMPONENTS = {"average_likes", "average_comments", "average_shares", "total_engagement"}
SUCCESS_NUMERIC = ["followers", "average_views"]
SUCCESS_CATEGORICAL = ["country"]
SUCCESS_FEATURES = [*SUCCESS_NUMERIC, *SUCCESS_CATEGORICAL]

SEGMENT_COUNTS = ["followers", "following_count", "likes", "videos"]
SEGMENT_RATES = ["engagement_rate", "comment_engagement_rate"]
N_SEGMENTS = 4


def _log1p(x):
    return np.log1p(np.clip(np.asarray(x, dtype=float), 0, None))


def _log_rate(x):
    """Rates are skewed: log10 of the rate (floored at 1e-4, capped at 1)."""
    return np.log10(np.clip(np.asarray(x, dtype=float), 1e-4, 1.0))


def _as_float(x):
    return np.asarray(x, dtype=float)


def _log_counts() -> Pipeline:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("log", FunctionTransformer(_log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]
    )


# ----------------------------------------------------------------------------- active model
def active_pipeline() -> Pipeline:
    pre = ColumnTransformer(
        [
            ("bio", TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True), ACTIVE_TEXT),
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
            (
                "flags",
                Pipeline(
                    [
                        ("float", FunctionTransformer(_as_float, feature_names_out="one-to-one")),
                        ("impute", SimpleImputer(strategy="constant", fill_value=0.0, keep_empty_features=True)),
                    ]
                ),
                ACTIVE_FLAGS,
            ),
        ]
    )
    return Pipeline(
        [
            ("features", pre),
            ("model", LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=SEED)),
        ]
    )


def active_frame(wh: io.Warehouse) -> tuple[pd.DataFrame | None, str]:
    """Profiled creators with the active label where it can be computed; (None, why) if never.

    One query joins, cleans and orders (portable SQL: DuckDB and Spark): at 5M profiles, reading
    the two tables and merging and sorting in pandas held three copies of the frame (6.1 GB)."""
    df = wh.read(
        "select c.creator_handle, coalesce(replace(c.biography, chr(10), ' '), '') as biography, "
        "cast(c.has_bio_link as double) as has_bio_link, cast(c.is_verified as double) as is_verified, "
        "cast(c.is_commerce_user as double) as is_commerce_user, c.followers, c.following_count, "
        "c.likes, c.videos, c.likes_per_video, c.profile_scraped_at, v.latest_video_at, v.n_top_videos "
        "from marts.creators as c left join ("
        "select creator_handle, max(video_created_at) as latest_video_at, count(*) as n_top_videos "
        "from marts.creator_top_videos group by creator_handle) as v on c.creator_handle = v.creator_handle "
        "where c.is_in_profiles order by c.creator_handle"
    )
    if df.empty:
        return None, "no creator profiles in the warehouse"
    if df["n_top_videos"].isna().all():
        return None, (
            "the profile files carry no `top_videos` (needed for the label: posted within "
            f"{ACTIVE_DAYS} days before the scrape)"
        )
    known = df["latest_video_at"].notna() & df["profile_scraped_at"].notna()
    age_days = (df["profile_scraped_at"] - df["latest_video_at"]).dt.total_seconds() / 86400
    df["is_active"] = np.where(known, (age_days <= ACTIVE_DAYS).astype(float), np.nan)
    return df, ""


def train_active(ctx: io.Context) -> pd.DataFrame | None:
    df, why = active_frame(ctx.warehouse)
    if df is None:
        print(f"ml.creators: active-creator model skipped: {why}")
        return None
    # Labelled rows by position in df (no copy of the frame: at 5M profiles nearly all are).
    labelled = np.flatnonzero(df["is_active"].notna().to_numpy())
    y = df["is_active"].to_numpy()[labelled].astype(int)
    if len(labelled) < MIN_LABELLED or len(np.unique(y)) < 2:
        print(
            f"ml.creators: active-creator model skipped: {len(labelled)} labelled profiles "
            f"({int(y.sum()) if len(y) else 0} active); need {MIN_LABELLED} with both classes"
        )
        return None
    data_hash = io.frame_hash(df, columns=["creator_handle", *ACTIVE_FEATURES, "is_active"], rows=labelled)
    params = {"active_days": ACTIVE_DAYS, "features": ACTIVE_FEATURES, "C": 1.0, "tfidf": "1-2gram,min_df2"}
    version = io.model_version(data_hash, params)
    train, val, test = evaluation.stratified_split(y, seed=SEED)
    fit = evaluation.fit_subsample(train, y)
    fit_rows = df.iloc[labelled[fit]]
    pipe = active_pipeline().fit(fit_rows[ACTIVE_FEATURES], y[fit])
    # Every profiled creator is scored once; the labelled ones' scores are read off that.
    p_all = evaluation.predict_positive(pipe, df[ACTIVE_FEATURES])
    p = p_all[labelled]
    threshold = evaluation.choose_threshold(y[val], p[val], min_recall=0.95)
    rows = []
    for split, idx in (("train", train), ("validation", val), ("test", test)):
        m = evaluation.classification_metrics(y[idx], p[idx], threshold)
        m["label_positive_rate"] = float(y[idx].mean())
        rows += evaluation.metric_rows("creators_active", version, split, "all", m, data_hash)
    verified = df["is_verified"].iloc[labelled[test]].map({1.0: "verified", 0.0: "not verified"})
    for g, m in evaluation.group_metrics(y[test], p[test], threshold, verified.fillna("unknown")).items():
        rows += evaluation.metric_rows("creators_active", version, "test", f"is_verified={g}", m, data_hash)
    # Mutual information of each non-text feature with the label, on the rows the model was
    # fitted on (the estimator is nearest-neighbour based: minutes on millions of rows).
    num = fit_rows[ACTIVE_COUNTS + ACTIVE_FLAGS]
    num = pd.DataFrame(
        SimpleImputer(strategy="median", keep_empty_features=True).fit_transform(num), columns=num.columns
    )
    num[ACTIVE_COUNTS] = _log1p(num[ACTIVE_COUNTS])
    mi = mutual_info_classif(num, y[fit], discrete_features=[c in ACTIVE_FLAGS for c in num.columns], random_state=SEED)
    for name, value in zip(num.columns, mi, strict=False):
        rows += evaluation.metric_rows(
            "creators_active", version, "train", name, {"mutual_information": float(value)}, data_hash
        )
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
    names = pipe.named_steps["features"].get_feature_names_out()
    evaluation.plot_importances(
        names,
        pipe.named_steps["model"].coef_[0],
        plots / "creators_active_coefficients.png",
        title="Active creator: logistic coefficients",
    )
    test_m = evaluation.classification_metrics(y[test], p[test], threshold)
    print(
        f"ml.creators: active model {version}: {len(labelled)} labelled, test precision "
        f"{test_m['precision']:.3f} recall {test_m['recall']:.3f} f1 {test_m['f1']:.3f} (threshold {threshold:.3f})"
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
    df = ctx.warehouse.read(
        "select creator_handle, followers, average_views, country, is_success, total_engagement, "
        "average_likes, average_comments, average_shares "
        "from marts.top_creator_rankings where is_latest_snapshot and total_engagement is not null "
        "order by creator_handle"
    )
    if len(df) < MIN_LABELLED or df["is_success"].nunique() < 2:
        print(f"ml.creators: success model skipped: {len(df)} creators on the top-creator lists")
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
    threshold = evaluation.choose_threshold(y[val], p[val], min_recall=0.8)
    rows = []
    for split, idx in (("train", train), ("validation", val), ("test", test)):
        rows += evaluation.metric_rows(
            "creators_success",
            version,
            split,
            "all",
            evaluation.classification_metrics(y[idx], p[idx], threshold),
            data_hash,
        )
    # Leakage check: how much of total engagement is arithmetic of the features. The features
    # used stay well below 0.999; the original analysis' features (the components) reach ~1.
    r2_used, _ = evaluation.leakage_r2(df[SUCCESS_NUMERIC], df["total_engagement"])
    r2_components, _detail = evaluation.leakage_r2(
        df[["average_likes", "average_comments", "average_shares"]], df["total_engagement"]
    )
    rows += evaluation.metric_rows(
        "creators_success",
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
    test_m = evaluation.classification_metrics(y[test], p[test], threshold)
    print(
        f"ml.creators: success model {version}: {len(df)} creators, test precision {test_m['precision']:.3f} "
        f"recall {test_m['recall']:.3f} roc_auc {test_m['roc_auc']:.3f}; leakage R^2 of the features "
        f"{r2_used:.3f} (target components would give {r2_components:.4f})"
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
            (
                "rates",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                        ("log", FunctionTransformer(_log_rate, feature_names_out="one-to-one")),
                        ("scale", StandardScaler()),
                    ]
                ),
                SEGMENT_RATES,
            ),
        ]
    )
    return Pipeline([("features", pre), ("kmeans", KMeans(n_clusters=k, n_init=10, random_state=SEED))])


SILHOUETTE_SAMPLE = 10_000

SEGMENT_LABELS = {
    "following_count": "following",
    "likes": "likes",
    "videos": "posting",
    "engagement_rate": "engagement",
    "comment_engagement_rate": "comments",
}


def segment_names(df: pd.DataFrame, labels: np.ndarray, Z: np.ndarray, columns: list[str]) -> dict[int, str]:
    """A readable name per cluster from its centroid: the tier most members are in, then the two
    features (besides followers) on which the centroid sits furthest from the average, in
    standard deviations, e.g. "mega: low engagement, high posting"."""
    names: dict[int, str] = {}
    for c in sorted(set(labels)):
        members = labels == c
        tier = df.loc[members, "tier"].mode().iloc[0] if df.loc[members, "tier"].notna().any() else "mixed"
        centroid = Z[members].mean(axis=0)
        ranked = sorted(
            ((abs(centroid[i]), col, centroid[i]) for i, col in enumerate(columns) if col in SEGMENT_LABELS),
            key=lambda t: (-t[0], t[1]),
        )
        parts = [f"{'high' if v >= 0 else 'low'} {SEGMENT_LABELS[col]}" for _, col, v in ranked[:2]]
        name = f"{tier}: {', '.join(parts)}"
        names[c] = name if name not in names.values() else f"{name} ({c})"
    return names


def train_segments(ctx: io.Context) -> pd.DataFrame | None:
    df = ctx.warehouse.read(
        "select creator_handle, tier, followers, following_count, likes, videos, engagement_rate, "
        "comment_engagement_rate from marts.creators "
        "where is_in_profiles and followers is not null and engagement_rate is not null "
        "order by creator_handle"
    )
    if len(df) < N_SEGMENTS * 5:
        print(f"ml.creators: segments skipped: {len(df)} profiled creators")
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
    names = segment_names(df, labels, Z, SEGMENT_COUNTS + SEGMENT_RATES)
    rows = evaluation.metric_rows(
        "creator_segments",
        version,
        "all",
        "all",
        {
            # O(n^2) in memory and time: on a fixed random sample beyond SILHOUETTE_SAMPLE rows
            "silhouette": float(
                silhouette_score(
                    Z, labels, sample_size=SILHOUETTE_SAMPLE if len(Z) > SILHOUETTE_SAMPLE else None, random_state=SEED
                )
            ),
            "inertia": float(pipe.named_steps["kmeans"].inertia_),
            "n": float(len(df)),
        },
        data_hash,
    )
    for seg in sorted(names):
        rows += evaluation.metric_rows(
            "creator_segments", version, "all", f"segment={seg}", {"n": float((labels == seg).sum())}, data_hash
        )
    ctx.add_metrics(rows)
    _plot_segments(df, labels, names, ctx.artifacts_dir / "plots" / "creators_segments.png")
    print(f"ml.creators: segments {version}: " + ", ".join(f"{k}={v}" for k, v in sorted(names.items())))
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
    for col in SEEDS["creator_scores"]:
        if col not in scores.columns:
            scores[col] = None
    for col in ("is_predicted_active", "is_predicted_success"):
        scores[col] = scores[col].map({True: "true", False: "false"}).astype(object)
    scores = scores.sort_values("creator_handle", kind="mergesort").reset_index(drop=True)
    io.write_scores(scores, ctx.seeds_dir, "creator_scores", SEEDS["creator_scores"])

    if segments is None:
        segments = pd.DataFrame(columns=SEEDS["creator_segments"])
    segments = segments.sort_values("creator_handle", kind="mergesort").reset_index(drop=True)
    io.write_scores(segments, ctx.seeds_dir, "creator_segments", SEEDS["creator_segments"])
