"""The shared ML frame: splits, thresholds, leakage check, seeds written atomically."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

from ml import evaluation as ev
from ml import io


def test_stratified_split_is_disjoint_deterministic_and_stratified():
    y = np.array([0] * 700 + [1] * 300)
    a = ev.stratified_split(y)
    b = ev.stratified_split(y)
    for x, z in zip(a, b, strict=False):
        assert (x == z).all()
    train, val, test = a
    assert len(set(train) | set(val) | set(test)) == len(y)
    assert not (set(train) & set(val)) and not (set(val) & set(test))
    for part in a:
        assert abs(y[part].mean() - 0.3) < 0.02
    assert abs(len(test) - 200) <= 1


def test_fit_subsample_caps_stratified_and_deterministic():
    y = np.array([1] * 300 + [0] * 2700)
    idx = np.arange(0, 3000, 2)  # a split's positions: 150 positives, 1350 negatives
    kept = ev.fit_subsample(idx, y, limit=500)
    assert len(kept) == 500 and set(kept) <= set(idx)
    assert list(kept) == sorted(kept)
    assert abs(y[kept].mean() - y[idx].mean()) < 0.01, "class balance not kept"
    assert np.array_equal(kept, ev.fit_subsample(idx, y, limit=500)), "not deterministic"
    assert np.array_equal(ev.fit_subsample(idx, y, limit=5000), idx), "small splits are used whole"
    assert np.array_equal(ev.fit_subsample(idx, y, limit=0), idx), "0 means no cap"


def test_choose_threshold_reaches_the_recall_floor():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2000)
    p = np.clip(y * 0.6 + rng.normal(0.2, 0.2, 2000), 0, 1)
    t = ev.choose_threshold(y, p, min_recall=0.97)
    assert ev.classification_metrics(y, p, t)["recall"] >= 0.97
    # and it is the highest such threshold: a bit higher loses the recall
    assert ev.classification_metrics(y, p, t + 1e-3)["recall"] < 0.97 or t >= p.max()


def test_classification_metrics_known_values():
    m = ev.classification_metrics([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], 0.5)
    assert m["precision"] == 0.5 and m["recall"] == 0.5 and m["accuracy"] == 0.5
    assert m["roc_auc"] == 0.75 and m["positive_rate"] == 0.5


def test_leakage_check_flags_a_target_built_from_features():
    rng = np.random.default_rng(1)
    views = rng.integers(100, 100000, 500).astype(float)
    likes = views * rng.uniform(0.01, 0.2, 500)
    comments = views * rng.uniform(0.001, 0.01, 500)
    duration = rng.integers(5, 60, 500).astype(float)
    target = (likes + comments) / views
    leaky = pd.DataFrame({"views": views, "likes": likes, "comments": comments, "duration": duration})
    clean = pd.DataFrame({"views": views, "duration": duration})
    assert ev.leakage_r2(leaky, target)[0] > 0.999
    assert ev.leakage_r2(clean, target)[0] < 0.5


def test_write_seed_is_atomic_and_byte_identical(tmp_path):
    df = pd.DataFrame({"b": [2.123456789, 1.0], "a": ["x", "y"]})
    path = tmp_path / "seeds" / "s.csv"
    io.write_seed(df, path, ["a", "b"])
    first = path.read_bytes()
    io.write_seed(df, path, ["a", "b"])
    assert path.read_bytes() == first == b"a,b\nx,2.123457\ny,1.000000\n"
    assert [p.name for p in path.parent.iterdir()] == ["s.csv"], "temp file left behind"
    with pytest.raises(ValueError):
        io.write_seed(df, path, ["a", "missing"])


def test_header_only_seed_is_written_once(tmp_path):
    path = tmp_path / "x.csv"
    assert io.ensure_header_only(path, ["p", "q"]) is True
    assert path.read_text() == "p,q\n"
    path.write_text("p,q\n1,2\n")
    assert io.ensure_header_only(path, ["p", "q"]) is False
    assert path.read_text() == "p,q\n1,2\n"


def test_model_version_depends_on_data_and_params_only():
    h = io.frame_hash(pd.DataFrame({"a": [2, 1]}))
    assert h == io.frame_hash(pd.DataFrame({"a": [1, 2]}))
    assert h != io.frame_hash(pd.DataFrame({"a": [1, 3]}))
    assert io.model_version(h, {"C": 1}) == io.model_version(h, {"C": 1})
    assert io.model_version(h, {"C": 1}) != io.model_version(h, {"C": 2})


def test_metric_rows_shape():
    rows = ev.metric_rows("m", "v1", "test", "all", {"recall": 0.5, "auc": float("nan")}, "h")
    assert [r["metric"] for r in rows] == ["auc", "recall"]
    assert rows[0]["value"] is None and rows[1]["value"] == 0.5
    assert set(rows[0]) == set(io.MODEL_METRICS_COLUMNS)


def test_plots_are_written(tmp_path):
    y = np.array([0, 1, 0, 1, 1, 0])
    p = np.array([0.1, 0.8, 0.3, 0.7, 0.4, 0.2])
    for path in (
        ev.plot_pr_curve(y, p, 0.5, tmp_path / "pr.png"),
        ev.plot_confusion(y, p >= 0.5, tmp_path / "cm.png"),
        ev.plot_importances(["a", "b"], [0.3, -0.7], tmp_path / "imp.png"),
    ):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_frame_hash_sees_columns_types_and_text():
    base = pd.DataFrame({"a": [1, 2], "t": ["x", None]})
    assert io.frame_hash(base) == io.frame_hash(base.iloc[::-1])  # row order: same frame
    assert io.frame_hash(base) != io.frame_hash(base.assign(t=["x", "y"]))  # a text value
    assert io.frame_hash(base) != io.frame_hash(base.rename(columns={"a": "b"}))
    # the engines' readers differ in dtypes, not values: the same hash
    assert io.frame_hash(base) == io.frame_hash(base.astype({"a": float}))
    assert io.frame_hash(base) == io.frame_hash(base.astype({"a": "Int64", "t": "string"}))
    assert io.frame_hash(base) != io.frame_hash(base.assign(a=[1, 3]))
    # a nullable boolean: pandas' boolean dtype (DuckDB) or objects with None (Spark)
    flags = pd.DataFrame({"f": pd.array([True, None], dtype="boolean")})
    assert io.frame_hash(flags) == io.frame_hash(pd.DataFrame({"f": [True, None]}, dtype=object))
    assert io.frame_hash(flags) != io.frame_hash(pd.DataFrame({"f": [False, None]}, dtype=object))


def test_frame_hash_of_selected_rows_and_columns_equals_the_hash_of_the_copy():
    df = pd.DataFrame(
        {"a": [1, 2, 3, 4], "b": [5.0, None, 7.0, 8.0], "t": ["w", "x", None, "z"]}, index=[10, 11, 12, 13]
    )
    rows = np.array([3, 0, 2])
    assert io.frame_hash(df, columns=["t", "a"], rows=rows) == io.frame_hash(df.iloc[rows][["t", "a"]])
    assert io.frame_hash(df, columns=["t", "a"]) == io.frame_hash(df[["t", "a"]])
    assert io.frame_hash(df, rows=rows) != io.frame_hash(df, rows=np.array([3, 0, 1]))
    # rows are hashed whole: the same values paired differently across columns differ
    pairs = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    assert io.frame_hash(pairs) != io.frame_hash(pd.DataFrame({"a": [1, 2], "b": [4, 3]}))
    # and the column order counts
    assert io.frame_hash(pairs, columns=["a", "b"]) != io.frame_hash(pairs, columns=["b", "a"])


def test_predict_positive_in_parallel_chunks_equals_predict_proba(monkeypatch):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    words = np.array(["claim", "opinion", "study", "think", "feel", "data", "news", "view"])
    text = pd.Series([" ".join(rng.choice(words, 5)) for _ in range(101)])
    y = text.str.contains("claim").astype(int).to_numpy()
    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(text, y)
    frame = text.to_frame("text")["text"]
    monkeypatch.setattr(ev, "SCORE_CHUNK_ROWS", 17)  # 6 chunks
    monkeypatch.setattr(ev, "SCORE_PARALLEL_ROWS", 1000)  # in this process, one after another
    sequential = ev.predict_positive(pipe, frame, n_jobs=2)
    assert np.array_equal(sequential, pipe.predict_proba(frame)[:, 1])
    monkeypatch.setattr(ev, "SCORE_PARALLEL_ROWS", 50)  # two worker processes
    chunked = ev.predict_positive(pipe, frame, n_jobs=2)
    assert np.array_equal(chunked, pipe.predict_proba(frame)[:, 1])
    # only the named columns of a wider frame reach the pipeline, chunk by chunk (a scaler
    # fitted on one named column refuses a frame with another)
    wide = pd.DataFrame({"noise": rng.normal(size=101), "count": y + rng.normal(size=101)})
    numeric = make_pipeline(StandardScaler(), LogisticRegression()).fit(wide[["count"]], y)
    chunked = ev.predict_positive(numeric, wide, n_jobs=2, columns=["count"])
    assert np.array_equal(chunked, numeric.predict_proba(wide[["count"]])[:, 1])


def test_plot_sample_caps_points_deterministically():
    assert list(ev.plot_sample(5, limit=10)) == [0, 1, 2, 3, 4]
    shown = ev.plot_sample(1000, limit=50)
    assert len(shown) == 50 and len(set(shown)) == 50 and list(shown) == sorted(shown)
    assert np.array_equal(shown, ev.plot_sample(1000, limit=50))


def _importance_case():
    """A pipeline with a text column, a column read by two transformers, a multi-column
    transformer and a column nothing reads; labels that depend on the text and one count."""
    from sklearn.compose import ColumnTransformer
    from sklearn.decomposition import PCA
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.default_rng(3)
    n = 400
    X = pd.DataFrame(
        {
            "bio": rng.choice(["daily vlog", "dance love", "fitness coach", "music", "cats"], n),
            "videos": rng.integers(0, 500, n).astype(float),
            "likes": rng.integers(0, 10**6, n).astype(float),
            "region": rng.choice(["US", "FR", "MX"], n),
            "unused": rng.random(n),
        }
    )
    y = ((X["videos"] > 300) | (X["bio"] == "daily vlog")).astype(int).to_numpy()
    features = ColumnTransformer(
        [
            ("bio", TfidfVectorizer(), "bio"),
            ("counts", StandardScaler(), ["videos", "likes"]),
            ("counts_pca", PCA(n_components=1), ["videos", "likes"]),
            ("region", OneHotEncoder(), ["region"]),
        ],
        sparse_threshold=0.0,
    )
    pipe = Pipeline(
        [
            ("features", features),
            ("column_major", ev.column_major()),
            ("model", HistGradientBoostingClassifier(max_iter=30, random_state=0)),
        ]
    )
    return pipe.fit(X, y), X, y


def test_permutation_importances_equal_shuffling_the_raw_columns():
    from sklearn.metrics import get_scorer

    pipe, X, y = _importance_case()
    got = ev.permutation_importances(pipe, X, y, "average_precision", n_repeats=3, seed=5)
    # The reference: shuffle each raw column with the same permutations, run the whole pipeline.
    scorer, rng = get_scorer("average_precision"), np.random.default_rng(5)
    baseline = scorer(pipe, X, y)
    expected = {}
    for column in X.columns:
        drops = []
        for _ in range(3):
            shuffled = X.copy()
            shuffled[column] = X[column].to_numpy()[rng.permutation(len(X))]
            drops.append(baseline - scorer(pipe, shuffled, y))
        expected[column] = np.mean(drops)
    assert list(got.index) == list(X.columns)
    np.testing.assert_allclose(got.to_numpy(), pd.Series(expected).to_numpy(), rtol=0, atol=1e-12)
    assert got["unused"] == 0.0
    assert got["videos"] > 0.05 and got["bio"] > 0.05, "the label's inputs must matter"


def test_column_major_step_predicts_the_same():
    pipe, X, _ = _importance_case()
    matrix = pipe.named_steps["features"].transform(X)
    assert matrix.flags["C_CONTIGUOUS"]
    assert ev.column_major().transform(matrix).flags["F_CONTIGUOUS"]
    np.testing.assert_array_equal(
        pipe.predict_proba(X), pipe.named_steps["model"].predict_proba(np.ascontiguousarray(matrix))
    )


def test_warehouse_read_in_slices_equals_duckdb_dataframe(tmp_path):
    import duckdb

    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    # nulls in some slices only (the nullable dtypes), a column of three values, one of
    # distinct values, a list column, over 5 slices of 2 vectors
    con.execute(
        """
        create table t as select
            i as id,
            case when i = 9000 then null else i % 2 = 0 end as flag,
            case when i = 3 then null else i end as n,
            case when i % 7 = 0 then null else 'region ' || (i % 3) end as region,
            'handle ' || i as handle,
            [i, i + 1] as pair
        from range(20000) as r (i)
        """
    )
    con.close()
    wh = io.Warehouse(path)
    sql = "select * from t order by id"
    with duckdb.connect(str(path), read_only=True) as con:
        whole = con.sql(sql).df()
        empty = con.sql(sql + " limit 0").df()
    with duckdb.connect(str(path), read_only=True) as con:
        parts = io.fetch_slices(con.execute(sql), vectors=2)
    assert len(parts) == 5 and {str(p["flag"].dtype) for p in parts} == {"bool", "boolean"}

    read = wh.read(sql)
    pd.testing.assert_frame_equal(read, whole, check_exact=True)
    pd.testing.assert_frame_equal(wh.read(sql + " limit 0"), empty)
    # a repeated value is one object; distinct values (and nulls) are left as they are
    regions = read["region"].dropna()
    assert len({id(v) for v in regions}) == 3
    assert len({id(v) for v in read["handle"]}) == len(read)
    assert read["region"].isna().sum() == whole["region"].isna().sum()
