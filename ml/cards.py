"""Model cards: one row per model in the score set `model_cards` (ml.model_cards), written by
every run beside the metrics, and shown one page per model in the report (reports/pages/models/).

A card says in words what the metrics rows cannot: how the label is defined and from which
reference time, which features the model uses and which it must not (leakage), how the data
was split and the threshold chosen, the headline test metrics with their 95% bootstrap
intervals, where the per-group metrics are, the baselines it was compared with, and what the
figures mean next to the ones the seed project claimed. Every figure in it is measured in the
same run (no figure is typed in by hand).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from ml import io, score_sets

NAME = "model_cards"
# The card's columns, in order (declared in ml/score_sets.py).
COLUMNS = score_sets.get(NAME).names

SPLIT_RULE = (
    "stratified 60/20/20 train/validation/test split with a fixed seed (42); candidates are fitted "
    "on train and compared on validation only (each on at most TIKTOK_ML_MAX_FIT_ROWS rows, "
    "stratified), the chosen one's threshold set on the whole validation split; the test split is "
    "scored once, for this card"
)


@dataclass
class ModelCard:
    model: str
    title: str
    task: str
    training_frame: str
    status: str = "trained"
    model_version: str = ""
    chosen_candidate: str = ""
    label_definition: str = ""
    reference_time: str = "not applicable"
    features: str = ""
    excluded_features: str = ""
    split_rule: str = SPLIT_RULE
    threshold_rule: str = "not applicable"
    headline_metrics: str = ""
    group_metrics: str = ""
    baselines: str = ""
    notes: str = ""
    n_train: int | None = None
    n_validation: int | None = None
    n_test: int | None = None

    def row(self) -> dict:
        return {k: (None if v is None else v) for k, v in asdict(self).items()}


def skipped(model: str, title: str, task: str, training_frame: str, why: str, **fields) -> ModelCard:
    """The card of a model that could not be trained on this warehouse, saying why."""
    return ModelCard(
        model=model, title=title, task=task, training_frame=training_frame, status=f"not trained: {why}", **fields
    )


# ----------------------------------------------------------------------------- wording
def fmt(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


def with_interval(name: str, value: float, interval: tuple[float, float] | None, digits: int = 3) -> str:
    """'precision 0.998 (95% bootstrap interval 0.994-1.000)'."""
    text = f"{name} {fmt(value, digits)}"
    if interval is not None:
        low, high = interval
        text += f" (95% bootstrap interval {fmt(low, digits)}-{fmt(high, digits)})"
    return text


def headline(split: str, parts: list[str], n: int) -> str:
    return f"{split} split ({n:,} rows): " + "; ".join(parts) + "."


def zero_error_bound(n_positives: int, errors: int, what: str) -> str:
    """With no error in n rows a percentile bootstrap interval is a single point: the rule of
    three gives the honest one-sided 95% bound (3/n) instead."""
    if errors or n_positives <= 0:
        return ""
    return (
        f" No {what} missed in {n_positives:,}: the bootstrap cannot vary that, and by the rule of "
        f"three the true {what} miss rate is below {3 / n_positives:.2%} with 95% confidence."
    )


def group_pointer(model: str, groups: dict[str, dict[str, float]], metric: str, split: str = "test") -> str:
    """Where the per-group rows are, and the weakest group on `metric`."""
    if not groups:
        return "no per-group metrics (no group column on this data)"
    dims = sorted({g.split("=", 1)[0] for g in groups})
    text = (
        f"ml.model_metrics rows with model = '{model}', split = '{split}' and group_name "
        + " or ".join(f"'{d}=...'" for d in dims)
        + f" ({len(groups)} groups)"
    )
    scored = [(m.get(metric), g, m.get("n")) for g, m in groups.items() if m.get(metric) is not None]
    scored = [t for t in scored if not (isinstance(t[0], float) and math.isnan(t[0]))]
    if scored:
        value, group, n = min(scored, key=lambda t: (t[0], t[1]))
        text += f"; lowest {metric} {fmt(value)} in {group} (n={int(n or 0):,})"
    return text + "."


def baseline_sentence(
    rows: list[tuple[str, float, float]], metric: str, higher_is_better: bool = True, digits: int = 3
) -> str:
    """'prior: F1 0.667 (beaten by 0.331); view_count rule: ...'. rows: (name, baseline, model)."""
    parts = []
    for name, baseline, model in rows:
        if baseline is None or (isinstance(baseline, float) and math.isnan(baseline)):
            parts.append(f"{name}: {metric} n/a")
            continue
        beat = model > baseline if higher_is_better else model < baseline
        verdict = "beaten" if beat else "NOT beaten"
        parts.append(f"{name}: {metric} {fmt(baseline, digits)} vs the model's {fmt(model, digits)} ({verdict})")
    return "; ".join(parts) + "." if parts else "no baseline."


# ----------------------------------------------------------------------------- hand-off
def write(ctx: io.Context, replaced_models: set[str] | None = None) -> pd.DataFrame:
    """Write ml.model_cards: this run's cards, plus, when `replaced_models` is given (a run of
    some modules only), the previous run's cards of the other models. Sorted by model:
    byte-identical on rerun."""
    rows = pd.DataFrame(ctx.cards, columns=COLUMNS)
    old = io.read_scores(ctx.seeds_dir, NAME) if replaced_models is not None else pd.DataFrame()
    if len(old) and "model" in old.columns:
        keep = old[~old["model"].isin(replaced_models | set(rows["model"]))]
        rows = pd.concat([keep.reindex(columns=COLUMNS), rows], ignore_index=True)
    rows = rows.sort_values("model", kind="mergesort").reset_index(drop=True)
    for column in ("n_train", "n_validation", "n_test"):
        rows[column] = pd.array(pd.to_numeric(rows[column], errors="coerce").round(), dtype="Int64")
    io.write_scores(rows, ctx.seeds_dir, NAME)
    return rows
