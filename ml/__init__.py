"""The ML layer: trains scikit-learn Pipelines on mart tables and hands results back to dbt.

Contract (see README "ML layer"):
- inputs are the training frames, dbt models of models/ml_features (`ml_features__<model>`:
  one row per entity, features and label), read from the dbt build's DuckDB file through a
  read-only connection (`ml.io.Warehouse.frame`), never from raw files or SQL of its own;
- outputs are seed CSVs in `<TIKTOK_BUILD_DIR>/seeds/ml/` (written atomically, byte-identical
  on reruns with the same data); a score set above TIKTOK_ML_SEED_MAX_ROWS rows goes into a
  Parquet file beside its seed instead (`ml.io.write_scores`), and dbt reads both as one
  relation (models/staging/ml_scores); model artifacts and plots go to `<TIKTOK_BUILD_DIR>/ml/`;
- every model appends its figures to the shared `model_metrics` seed and its model card to the
  `model_cards` score set (ml.cards);
- what it hands over is declared once, in ml.score_sets (columns, types, keys, descriptions);
  `python -m ml generate-handoff` (ml.handoff) writes dbt's side of it from there.
"""
