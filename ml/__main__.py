"""Command line: `python -m ml --help`."""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from ml import cards, io

# Each domain module exposes SEEDS ({seed name: [columns]}), MODELS (the model names it writes
# metrics and cards for) and run(ctx) -> None.
MODULES = {
    "claims": "ml.claims",
    "creators": "ml.creators",
}


def _load(names: list[str]):
    return {name: importlib.import_module(MODULES[name]) for name in names}


def score_sets() -> dict[str, list[str]]:
    """{score set: columns} of every module: each handed to dbt as a seed or Parquet file."""
    sets: dict[str, list[str]] = dict(cards.SEEDS)
    for module in _load(list(MODULES)).values():
        sets.update(module.SEEDS)
    return sets


def cmd_init_seeds(args) -> int:
    ctx = io.Context.from_env(args.db)
    metrics = io.ensure_header_only(ctx.seeds_dir / "model_metrics.csv", io.MODEL_METRICS_COLUMNS)
    created = ["model_metrics"] if metrics else []
    created += [name for name, columns in score_sets().items() if io.ensure_score_stubs(ctx.seeds_dir, name, columns)]
    print(f"ml: seed folder {ctx.seeds_dir}: created header-only {created or 'none (all present)'}")
    return 0


def cmd_run(args) -> int:
    import pandas as pd

    ctx = io.Context.from_env(args.db)
    if not ctx.warehouse.path.exists():
        print(f"ml: no warehouse at {ctx.warehouse.path}: run `make build` first", file=sys.stderr)
        return 2
    names = args.only or list(MODULES)
    modules = _load(names)
    for name, module in modules.items():
        print(f"ml: {name} ...", flush=True)
        try:
            module.run(ctx)
        except io.FrameMissing as exc:
            print(f"ml: {name}: {exc}", file=sys.stderr)
            return 2
    # A run of some modules replaces their models' rows (candidates and baselines included:
    # <model>__<name>) and keeps the other models'.
    owned = {model for module in modules.values() for model in module.MODELS}
    metrics_path = ctx.seeds_dir / "model_metrics.csv"
    rows = pd.DataFrame(ctx.metrics, columns=io.MODEL_METRICS_COLUMNS)
    if metrics_path.exists() and set(names) != set(MODULES):
        old = pd.read_csv(metrics_path)
        replaced = old["model"].str.split("__").str[0].isin(owned) | old["model"].isin(set(rows["model"]))
        rows = pd.concat([old[~replaced], rows], ignore_index=True)
    rows = rows.sort_values(["model", "split", "group_name", "metric"], kind="mergesort")
    io.write_seed(rows, metrics_path, io.MODEL_METRICS_COLUMNS)
    print(f"ml: wrote {len(rows)} metric rows to {metrics_path}")
    card_rows = cards.write(ctx, owned if set(names) != set(MODULES) else None)
    print(f"ml: wrote {len(card_rows)} model cards ({', '.join(card_rows['model'])})")
    ctx.artifacts_dir.mkdir(parents=True, exist_ok=True)
    timings = ctx.artifacts_dir / "timings.json"
    timings.write_text(json.dumps(ctx.timings, indent=1, sort_keys=True) + "\n")
    print("ml: seconds per model: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(ctx.timings.items())))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ml",
        description="Train scikit-learn pipelines on mart tables; write scores as dbt seeds.",
    )
    parser.add_argument("--db", help="DuckDB file to read (default: $TIKTOK_BUILD_DIR/warehouse.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-seeds", help="write header-only score seeds where none exist yet")
    run = sub.add_parser("run", help="train, evaluate and score; write seeds and metrics")
    run.add_argument("--only", nargs="+", choices=sorted(MODULES), help="run only these models")
    args = parser.parse_args(argv)
    return {"init-seeds": cmd_init_seeds, "run": cmd_run}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
