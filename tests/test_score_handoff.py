"""The ML score hand-off: seed CSVs for small score sets, Parquet for large ones (ml/io.py
write_scores), read back by models/staging/ml_scores as one relation per score set."""

from __future__ import annotations

import shutil
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import Build, assert_same_contents, build_env, run_dbt, run_pipeline, table_contents

from ml import io

COLUMNS = ["creator_handle", "segment_id", "segment_name", "model_version"]


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
    where = io.write_scores(small, tmp_path, "creator_segments", COLUMNS, max_rows=4)
    assert where == tmp_path / "creator_segments.csv"
    assert len(pd.read_csv(where)) == 3
    assert _parquet(tmp_path / "creator_segments.parquet").empty

    where = io.write_scores(large, tmp_path, "creator_segments", COLUMNS, max_rows=4)
    assert where == tmp_path / "creator_segments.parquet"
    assert pd.read_csv(tmp_path / "creator_segments.csv").empty, "the seed must not keep stale rows"
    back = _parquet(where)
    assert list(back.columns) == COLUMNS and len(back) == 5
    # the declared seed types (seeds/_creators__ml_seeds.yml), not pandas' int64
    types = duckdb.sql(f"describe select * from read_parquet('{where}')").fetchall()
    assert [t[1] for t in types] == ["VARCHAR", "INTEGER", "VARCHAR", "VARCHAR"]

    io.write_scores(small, tmp_path, "creator_segments", COLUMNS, max_rows=4)
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
    io.write_scores(scores, tmp_path / "a", "claim_scores", columns, max_rows=0)
    io.write_scores(scores, tmp_path / "b", "claim_scores", columns, max_rows=0)
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


def test_score_columns_must_match_the_declared_seed(tmp_path):
    with pytest.raises(ValueError, match="declared"):
        io.write_scores(_segments(2), tmp_path, "creator_segments", COLUMNS[::-1], max_rows=0)
    with pytest.raises(ValueError, match="column_types"):
        io.seed_column_types("no_such_seed")


@pytest.mark.slow
def test_marts_are_the_same_whichever_file_holds_the_scores(sample_build: Build, tmp_path):
    """The sample's scores as Parquet (limit 0) give the same ml.* and marts as the seeds."""
    build = tmp_path / "build"
    shutil.copytree(sample_build.build, build, ignore=shutil.ignore_patterns("*.tmp", "reports"))
    env = build_env(sample_build.raw, build, tmp_path / "unused.duckdb", TIKTOK_ML_SEED_MAX_ROWS="0")
    run_pipeline(env, "exec", "--", sys.executable, "-m", "ml", "run")
    seeds = build / "seeds" / "ml"
    for name in ("claim_scores", "creator_scores", "creator_segments"):
        assert pd.read_csv(seeds / f"{name}.csv").empty, f"{name}: rows left in the seed"
        assert len(_parquet(seeds / f"{name}.parquet")) > 0, f"{name}: no rows in the Parquet file"
    run_dbt(env, "build", "--select", "tag:ml_scores+")
    db = build / "warehouse.duckdb"
    got, expected = table_contents(db), table_contents(sample_build.build / "warehouse.duckdb")
    for name in [n for n in expected if n.endswith("_seed")]:
        assert got.pop(name) == [], f"{name} should be empty: its rows went to Parquet"
        assert expected.pop(name), f"{name} is empty in the seed build"
    assert_same_contents(got, expected, "scores handed over as Parquet")
