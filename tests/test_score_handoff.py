"""The ML score hand-off: declared once (ml/score_sets.py), the dbt side generated from it
(ml/handoff.py); seed CSVs for small score sets, Parquet for large ones (ml/io.py write_scores),
read back by models/staging/ml_scores as one relation per score set."""

from __future__ import annotations

import shutil
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import Build, assert_same_contents, build_env, run_dbt, run_pipeline, table_contents

from ml import handoff, io, score_sets
from ml.score_sets import ml_seed_dir

COLUMNS = ["creator_handle", "segment_id", "segment_name", "model_version"]


def test_committed_handoff_files_are_what_the_declaration_generates():
    """Edit ml/score_sets.py, then `python -m ml generate-handoff`: a hand edit of a generated
    file (or a declaration change without regenerating) fails here."""
    assert handoff.stale() == [], "run `.venv/bin/python -m ml generate-handoff`"


def test_generation_covers_every_declared_column_and_flags_drift(tmp_path):
    import yaml

    files = handoff.generated()
    seeds = {s["name"]: s for s in yaml.safe_load(files[handoff.SEEDS_YML])["seeds"]}
    sources = {t["name"]: t for t in yaml.safe_load(files[handoff.SOURCES_YML])["sources"][0]["tables"]}
    models = {m["name"]: m for m in yaml.safe_load(files[handoff.MODELS_YML])["models"]}
    for s in score_sets.SCORE_SETS:
        assert list(seeds[s.name]["config"]["column_types"]) == s.names
        if s.seed_only:
            assert f"{s.name}_parquet" not in sources and f"stg_ml_scores__{s.name}" not in models
            continue
        assert seeds[s.name]["config"]["alias"] == f"{s.name}_seed"
        assert [c["name"] for c in sources[f"{s.name}_parquet"]["columns"]] == s.names
        model = models[f"stg_ml_scores__{s.name}"]
        assert [c["name"] for c in model["columns"]] == s.names
        key_tests = next(c for c in model["columns"] if c["name"] == s.key[0])["data_tests"]
        assert "not_null" in key_tests and ("unique" in key_tests) == (len(s.key) == 1)
        sql = files[f"{handoff.STAGING}/stg_ml_scores__{s.name}.sql"]
        assert all(f"'{c}'," in sql for c in s.names) and f"alias='{s.name}'" in sql

    # a copy of the generated files is up to date; a hand edit, a missing file and a staging
    # model of a score set no longer declared are each reported, and generate() repairs them
    handoff.generate(tmp_path)
    assert handoff.stale(tmp_path) == []
    edited = tmp_path / handoff.MODELS_YML
    edited.write_text(edited.read_text().replace("data_tests", "tests", 1))
    (tmp_path / handoff.SEEDS_YML).unlink()
    orphan = tmp_path / handoff.STAGING / "stg_ml_scores__gone.sql"
    orphan.write_text("select 1 as x\n")
    assert sorted(handoff.stale(tmp_path)) == sorted(
        [handoff.MODELS_YML, handoff.SEEDS_YML, f"{handoff.STAGING}/stg_ml_scores__gone.sql"]
    )
    handoff.generate(tmp_path)
    assert handoff.stale(tmp_path) == [] and not orphan.exists()


def test_declarations_are_consistent():
    names = [s.name for s in score_sets.SCORE_SETS]
    assert len(names) == len(set(names))
    for s in score_sets.SCORE_SETS:
        assert len(s.names) == len(set(s.names)), f"{s.name}: a column declared twice"
        assert all(c.description for c in s.columns), f"{s.name}: every column is described"
        assert all(c.type in {"bigint", "integer", "double", "boolean", "string"} for c in s.columns), s.name
    with pytest.raises(ValueError, match="key columns"):
        score_sets.ScoreSet("x", "here", "rows", key=("id",), columns=(score_sets.Column("other", "string", "."),))


def _segments(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "creator_handle": [f"c{i:04d}" for i in range(n)],
            "segment_id": np.arange(n) % 3,
            "segment_name": "rising",
            "model_version": "v1",
        }
    )


def _parquet(path) -> pd.DataFrame:
    return duckdb.sql(f"select * from read_parquet('{path}')").df()


def test_small_score_sets_are_seeds_large_ones_parquet(tmp_path):
    small, large = _segments(3), _segments(5)
    where = io.write_scores(small, tmp_path, "creator_segments", max_rows=4)
    assert where == tmp_path / "creator_segments.csv"
    assert len(pd.read_csv(where)) == 3
    assert _parquet(tmp_path / "creator_segments.parquet").empty

    where = io.write_scores(large, tmp_path, "creator_segments", max_rows=4)
    assert where == tmp_path / "creator_segments.parquet"
    assert pd.read_csv(tmp_path / "creator_segments.csv").empty, "the seed must not keep stale rows"
    back = _parquet(where)
    assert list(back.columns) == COLUMNS and len(back) == 5
    # the declared types (ml/score_sets.py), not pandas' int64
    types = duckdb.sql(f"describe select * from read_parquet('{where}')").fetchall()
    assert [t[1] for t in types] == ["VARCHAR", "INTEGER", "VARCHAR", "VARCHAR"]

    io.write_scores(small, tmp_path, "creator_segments", max_rows=4)
    assert _parquet(tmp_path / "creator_segments.parquet").empty, "the Parquet file must not keep stale rows"
    assert not list(tmp_path.glob(".*.tmp")), "temp files left behind"


def test_parquet_scores_are_rounded_like_the_seed_and_byte_identical_on_rerun(tmp_path):
    scores = pd.DataFrame(
        {
            "video_id": [1, 2, 3],
            "claim_probability": [0.1234565, 1 / 3, np.nan],
            "predicted_label": ["claim", "opinion", "opinion"],
            "needs_review": [True, False, True],
            "model_version": "v1",
        }
    )
    columns = list(scores.columns)
    io.write_scores(scores, tmp_path / "a", "claim_scores", max_rows=0)
    io.write_scores(scores, tmp_path / "b", "claim_scores", max_rows=0)
    a, b = (tmp_path / d / "claim_scores.parquet" for d in "ab")
    assert a.read_bytes() == b.read_bytes()
    io.write_seed(scores, tmp_path / "seed.csv", columns)
    seeded = pd.read_csv(tmp_path / "seed.csv")["claim_probability"].tolist()
    filed = _parquet(a)["claim_probability"].tolist()
    assert filed[:2] == seeded[:2] and pd.isna(filed[2]) and pd.isna(seeded[2])


def test_the_row_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("TIKTOK_ML_SEED_MAX_ROWS", raising=False)
    assert io.seed_max_rows() == io.SEED_MAX_ROWS
    monkeypatch.setenv("TIKTOK_ML_SEED_MAX_ROWS", "0")
    assert io.seed_max_rows() == 0
    monkeypatch.setenv("TIKTOK_ML_SEED_MAX_ROWS", "lots")
    with pytest.raises(ValueError, match="TIKTOK_ML_SEED_MAX_ROWS"):
        io.seed_max_rows()


def test_score_columns_are_the_declared_ones(tmp_path):
    # the declared order, whatever order the frame has
    io.write_scores(_segments(2)[COLUMNS[::-1]], tmp_path, "creator_segments", max_rows=0)
    assert list(_parquet(tmp_path / "creator_segments.parquet").columns) == COLUMNS
    with pytest.raises(ValueError, match="missing columns"):
        io.write_scores(_segments(2).drop(columns="segment_name"), tmp_path, "creator_segments", max_rows=0)
    with pytest.raises(ValueError, match="no score set 'no_such_set'"):
        io.write_scores(_segments(2), tmp_path, "no_such_set")
    with pytest.raises(ValueError, match="plain seed"):
        io.write_scores(_segments(2), tmp_path, "model_metrics")


def test_stubs_are_header_only_with_the_declared_types(tmp_path):
    assert io.ensure_score_stubs(tmp_path, "creator_segments")
    assert not io.ensure_score_stubs(tmp_path, "creator_segments"), "existing files are kept"
    assert (tmp_path / "creator_segments.csv").read_text() == ",".join(COLUMNS) + "\n"
    types = duckdb.sql(f"describe select * from read_parquet('{tmp_path / 'creator_segments.parquet'}')").fetchall()
    assert [t[1] for t in types] == ["VARCHAR", "INTEGER", "VARCHAR", "VARCHAR"]
    assert io.ensure_score_stubs(tmp_path, "model_metrics")
    assert not (tmp_path / "model_metrics.parquet").exists(), "model_metrics is a plain seed"


@pytest.mark.slow
def test_marts_are_the_same_whichever_file_holds_the_scores(sample_build: Build, tmp_path):
    """The sample's scores as Parquet (limit 0) give the same ml.* and marts as the seeds."""
    build = tmp_path / "build"
    shutil.copytree(sample_build.build, build, ignore=shutil.ignore_patterns("*.tmp", "reports"))
    env = build_env(sample_build.raw, build, tmp_path / "unused.duckdb", TIKTOK_ML_SEED_MAX_ROWS="0")
    run_pipeline(env, "exec", "--", sys.executable, "-m", "ml", "run")
    seeds = ml_seed_dir(build)
    for name in ("claim_scores", "creator_scores", "creator_segments", "model_cards"):
        assert pd.read_csv(seeds / f"{name}.csv").empty, f"{name}: rows left in the seed"
        assert len(_parquet(seeds / f"{name}.parquet")) > 0, f"{name}: no rows in the Parquet file"
    run_dbt(env, "build", "--select", "tag:ml_scores+")
    db = build / "warehouse.duckdb"
    got, expected = table_contents(db), table_contents(sample_build.build / "warehouse.duckdb")
    for name in [n for n in expected if n.endswith("_seed")]:
        assert got.pop(name) == [], f"{name} should be empty: its rows went to Parquet"
        assert expected.pop(name), f"{name} is empty in the seed build"
    assert_same_contents(got, expected, "scores handed over as Parquet")
