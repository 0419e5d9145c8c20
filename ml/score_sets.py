"""The ML hand-off, declared once: every table the ML step writes for dbt, its columns, types,
key, descriptions and tests. To add a column or a score set, edit this file, then run
`python -m ml generate-handoff`: it writes the dbt side from these declarations.

Generated (tests/test_score_handoff.py fails when a committed file differs from what
`python -m ml generate-handoff` writes):

- seeds/_ml__seeds.yml: the seeds (each score set's seed `ml.<name>_seed`, and model_metrics)
  with their column types, so a header-only seed loads with the right types;
- models/staging/ml_scores/_ml_scores__sources.yml: the Parquet file of each score set;
- models/staging/ml_scores/_ml_scores__models.yml: the published relations `ml.<name>`, their
  columns described and tested;
- models/staging/ml_scores/stg_ml_scores__<name>.sql: seed and Parquet file as one relation.

The ML code writes what is declared here (ml.io.write_scores: these columns, these types, in
this order). A score set is written as a seed CSV up to TIKTOK_ML_SEED_MAX_ROWS rows, else as
a Parquet file beside it; model_metrics is always a seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tiktok_settings

# A score set of at most this many rows is a seed CSV, a larger one a Parquet file (the CSV
# then holds only the header): dbt loads a seed row by row, and reads Parquet at scan speed
# (docs/benchmarks.md). TIKTOK_ML_SEED_MAX_ROWS overrides it (ml.io.seed_max_rows).
SEED_MAX_ROWS = tiktok_settings.BY_NAME["TIKTOK_ML_SEED_MAX_ROWS"].default

# ----------------------------------------------------------------------------- where it lives
# The ML seeds are written into the build dir, never into the repo: <build>/seeds is dbt's
# second seed path (dbt_project.yml seed-paths, through TIKTOK_SEED_DIR, which
# scripts/warehouse.py derives from seed_root), and its sub-folder `ml` gives the seeds their
# schema (dbt_project.yml seeds: ml). dbt reads the Parquet files from the same folder
# (macros/files/score_files.sql ml_score_file: <build_dir>/seeds/ml/<name>.parquet).
SEED_FOLDER = "seeds"
ML_FOLDER = "ml"


def seed_root(build: Path) -> Path:
    """dbt's seed path inside the build dir (`<build>/seeds`)."""
    return build / SEED_FOLDER


def ml_seed_dir(build: Path) -> Path:
    """Where the ML step writes its seeds and Parquet files (`<build>/seeds/ml`)."""
    return seed_root(build) / ML_FOLDER


# ----------------------------------------------------------------------------- declarations
# Column types are dbt seed types (`string` is text on every engine); the Parquet file gets
# the same types (`string` as varchar).
NOT_NULL = "not_null"


def accepted_range(min_value: float, max_value: float | None = None) -> dict:
    arguments = {"min_value": min_value} if max_value is None else {"min_value": min_value, "max_value": max_value}
    return {"accepted_range": {"arguments": arguments}}


def accepted_values(*values: str) -> dict:
    return {"accepted_values": {"arguments": {"values": list(values)}}}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str = ""
    # dbt data tests besides the key's (the key columns get unique/not_null from ScoreSet.key)
    tests: tuple = ()

    @property
    def sql_type(self) -> str:
        return "varchar" if self.type == "string" else self.type


@dataclass(frozen=True)
class ScoreSet:
    name: str
    # what writes it (named in the descriptions)
    written_by: str
    # what one row is, for analysts (the published relation's description)
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # a plain seed (no Parquet file, no staging model): published as ml.<name> itself
    seed_only: bool = False

    def __post_init__(self) -> None:
        missing = [k for k in self.key if k not in self.names]
        if missing:
            raise ValueError(f"score set {self.name}: key columns {missing} are not declared")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def seed_file(self, seeds_dir: Path) -> Path:
        return seeds_dir / f"{self.name}.csv"

    def parquet_file(self, seeds_dir: Path) -> Path | None:
        """The Parquet side of the hand-off; None for a plain seed."""
        return None if self.seed_only else seeds_dir / f"{self.name}.parquet"

    @property
    def types(self) -> dict[str, str]:
        """{column: SQL type} in order: what the Parquet file holds."""
        return {c.name: c.sql_type for c in self.columns}


SCORE_SETS: tuple[ScoreSet, ...] = (
    ScoreSet(
        name="claim_scores",
        written_by="ml/claims.py",
        description="one row per video in `marts.claim_videos` scored by the chosen claim classifier.",
        key=("video_id",),
        columns=(
            Column("video_id", "bigint", "The video (marts.claim_videos.video_id)."),
            Column(
                "claim_probability",
                "double",
                "P(claim) from the chosen pipeline (fitted on the training split).",
                (NOT_NULL, accepted_range(0, 1)),
            ),
            Column(
                "predicted_label",
                "string",
                "`claim` when claim_probability >= the threshold chosen on validation, else `opinion`.",
                (NOT_NULL, accepted_values("claim", "opinion")),
            ),
            Column(
                "needs_review",
                "boolean",
                "True when the probability lies in the mid-confidence band chosen on validation (metrics "
                "review_band_low / review_band_high in model_metrics), or when the video has no counts and "
                "no transcript to score on: these go to a human moderator.",
                (NOT_NULL,),
            ),
            Column(
                "model_version",
                "string",
                "Hash of the training data and the pipeline's parameters (no wall clock).",
                (NOT_NULL,),
            ),
        ),
    ),
    ScoreSet(
        name="creator_scores",
        written_by="ml/creators.py",
        description=(
            "one row per creator scored by the active-creator classifier (profiles with enough data) "
            "and/or the success classifier (creators on the top-creator lists)."
        ),
        key=("creator_handle",),
        columns=(
            Column("creator_handle", "string", "Normalised handle (lowercase, no `@`)."),
            Column(
                "active_probability",
                "double",
                "P(posted within 30 days before the scrape) from the active-creator pipeline.",
            ),
            Column(
                "is_predicted_active",
                "boolean",
                "active_probability >= the threshold chosen on validation (recall >= 0.95).",
            ),
            Column(
                "active_model_version",
                "string",
                "Hash of the training data and parameters of the active-creator model.",
            ),
            Column(
                "success_probability",
                "double",
                "P(total engagement in the top 25% of its list) from the success pipeline.",
            ),
            Column(
                "is_predicted_success",
                "boolean",
                "success_probability >= the threshold chosen on validation.",
            ),
            Column(
                "success_model_version",
                "string",
                "Hash of the training data and parameters of the success model.",
            ),
        ),
    ),
    ScoreSet(
        name="creator_segments",
        written_by="ml/creators.py",
        description=(
            "KMeans cluster of every profiled creator on scaled log-counts and engagement rates, with a "
            "readable name derived from the cluster centroid."
        ),
        key=("creator_handle",),
        columns=(
            Column("creator_handle", "string", "Normalised handle (lowercase, no `@`)."),
            Column("segment_id", "integer", "The KMeans cluster.", (NOT_NULL,)),
            Column("segment_name", "string", "What sets the cluster apart from the others.", (NOT_NULL,)),
            Column("model_version", "string", "Hash of the training data and the pipeline's parameters."),
        ),
    ),
    ScoreSet(
        name="model_cards",
        written_by="ml/cards.py",
        description=(
            "one model card per model of the ML step, rendered one page per model in the report "
            "(reports/pages/models/[model].md). Every figure in it was measured in the same run as "
            "ml.model_metrics."
        ),
        key=("model",),
        columns=(
            Column(
                "model",
                "string",
                "The model's name in ml.model_metrics (`claim_classifier`, `creators_active`, ...).",
            ),
            Column("model_version", "string", "The version its metrics and scores carry (empty when not trained)."),
            Column("title", "string", "The model's name in words.", (NOT_NULL,)),
            Column(
                "status",
                "string",
                "`trained`, or `not trained: <why>` when this warehouse cannot support the model.",
                (NOT_NULL,),
            ),
            Column("task", "string", "What the model predicts, for whom."),
            Column("training_frame", "string", "The dbt model the model was trained on (schema ml_features)."),
            Column("chosen_candidate", "string", "The pipeline chosen on validation among the candidates."),
            Column("label_definition", "string", "How the label is computed."),
            Column("reference_time", "string", "The time the label is measured from, and which one each row used."),
            Column("features", "string", "The features the pipeline uses."),
            Column(
                "excluded_features",
                "string",
                "What the model must not use (the label's inputs), with the leakage check's figures.",
            ),
            Column("split_rule", "string", "How the rows were split into train, validation and test."),
            Column("threshold_rule", "string", "How the decision threshold was chosen."),
            Column("headline_metrics", "string", "Test metrics with their 95% bootstrap intervals."),
            Column(
                "group_metrics",
                "string",
                "Where the per-group rows of ml.model_metrics are, and the weakest group.",
            ),
            Column(
                "baselines",
                "string",
                "The simple baselines, on the same test split, and whether the model beat them.",
            ),
            Column("notes", "string", "The candidates compared, and what the figures mean next to the seed project's."),
            Column("n_train", "bigint", "Rows in the training split."),
            Column("n_validation", "bigint", "Rows in the validation split."),
            Column("n_test", "bigint", "Rows in the test split."),
        ),
    ),
    # Declared with its types although it is a plain seed: the header-only stub would otherwise
    # load as integer columns, and dbt reloads a seed into its existing table, so the first real
    # metrics would fail to load.
    ScoreSet(
        name="model_metrics",
        written_by="ml/__main__.py, from every model's figures",
        description=(
            "one row per (model, model_version, split, group_name, metric). `group_name` is `all`, a "
            "subgroup (`verified_status=verified`, ...) for fairness, a segment (`segment=<id>`), or "
            "`feature=<column>` for permutation importances."
        ),
        key=("model", "model_version", "split", "group_name", "metric"),
        seed_only=True,
        columns=(
            Column("model", "string", "The model (`<model>__<candidate>` for a candidate or a baseline)."),
            Column("model_version", "string", "Hash of the model's training data and parameters."),
            Column("split", "string", "train, validation, test, or `all` (unsupervised models: every row)."),
            Column(
                "group_name",
                "string",
                "`all`, a subgroup (`<column>=<value>`, `segment=<id>`), or `feature=<column>`.",
            ),
            Column(
                "metric",
                "string",
                "The metric's name (roc_auc, f2, r2, ...; `_ci_low`, `_ci_high`: 95% bootstrap bounds).",
            ),
            Column("value", "double", "The metric's value; empty where undefined (e.g. ROC-AUC of a one-class group)."),
            Column("training_data_hash", "string", "Content hash of the training frame."),
        ),
    ),
)

BY_NAME = {s.name: s for s in SCORE_SETS}


def handoff_files(seeds_dir: Path) -> list[Path]:
    """The files dbt reads from the ML step: each seed CSV, and each score set's Parquet file."""
    files = [declared.seed_file(seeds_dir) for declared in SCORE_SETS]
    return files + [p for declared in SCORE_SETS if (p := declared.parquet_file(seeds_dir))]


def get(name: str) -> ScoreSet:
    """The declaration of one score set; a clear error for a name not declared here."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"no score set {name!r} is declared in ml/score_sets.py ({', '.join(BY_NAME)})") from None


MODEL_METRICS = get("model_metrics")
