"""Command line: `python -m ml --help`."""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from ml import cards, handoff, io, score_sets

# Each domain module exposes MODELS (the model names it writes metrics and cards for) and
# run(ctx) -> None; what it hands to dbt is declared in ml/score_sets.py.
MODULES = {
    "claims": "ml.claims",
    "creators": "ml.creators",
}


def _load(names: list[str]):
    return {name: importlib.import_module(MODULES[name]) for name in names}


def cmd_init_seeds(args) -> int:
    ctx = io.Context.from_env(args.db)
    created = [s.name for s in score_sets.SCORE_SETS if io.ensure_score_stubs(ctx.seeds_dir, s.name)]
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


def cmd_generate_handoff(args) -> int:
    if args.check:
        stale = handoff.stale()
        for path in stale:
            print(f"ml: {path} differs from ml/score_sets.py (run `python -m ml generate-handoff`)", file=sys.stderr)
        return 1 if stale else 0
    changed = handoff.generate()
    print(f"ml: hand-off files written: {', '.join(changed) or 'none (all up to date)'}")
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
    generate = sub.add_parser(
        "generate-handoff",
        help="write the dbt side of the score hand-off (seed, source and staging YAML/SQL) from ml/score_sets.py",
    )
    generate.add_argument("--check", action="store_true", help="only list the files that differ (exit 1 if any)")
    args = parser.parse_args(argv)
    return {"init-seeds": cmd_init_seeds, "run": cmd_run, "generate-handoff": cmd_generate_handoff}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
