"""Reading marts and writing seeds: the only places the ML layer touches storage."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import tiktok_settings
from ml import score_sets

# The columns of the metrics seed every model writes to (declared in ml/score_sets.py).
MODEL_METRICS_COLUMNS = score_sets.MODEL_METRICS.names


def build_dir() -> Path:
    return tiktok_settings.current().build_dir


class FrameMissing(RuntimeError):
    """A model's training frame (models/ml_features) is not in the warehouse."""


@dataclass
class Warehouse:
    """Read-only access to the dbt build's DuckDB file (one small interface the models use)."""

    path: Path
    quote = '"'

    def read(self, sql: str) -> pd.DataFrame:
        """The query's rows as DuckDB's own DataFrame conversion gives them (the same dtypes and
        values as `.df()`), fetched a slice at a time and joined once the connection is closed:
        converting the whole result at once holds DuckDB's result and the frame together, about
        twice the frame (millions of profiles with their bios). Each slice's repeated strings
        become one shared object (fetch_slices)."""
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            parts = fetch_slices(con.execute(sql))
        finally:
            con.close()
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def table(self, name: str) -> pd.DataFrame:
        """A whole relation, in a stable order (by every column) so reruns see the same rows."""
        cols = self.read(f"select * from {name} limit 0").columns
        order = ", ".join(f"{self.quote}{c}{self.quote}" for c in cols)
        return self.read(f"select * from {name} order by {order}")

    def frame(self, name: str, key: str) -> pd.DataFrame:
        """A training frame (a dbt model of models/ml_features, unique on `key`) in key order, so
        reruns see the same rows. Fails with the dbt command to run when it is not built."""
        if not self.exists(name):
            raise FrameMissing(
                f"training frame {name} is not in {self.path}: build it first "
                f"(dbt build --select +{name.split('.')[-1]})"
            )
        return self.read(f"select * from {name} order by {self.quote}{key}{self.quote}")

    def exists(self, name: str) -> bool:
        schema, table = name.split(".")
        sql = (
            "select count(*) as n from information_schema.tables "
            f"where table_schema = '{schema}' and table_name = '{table}'"
        )
        return int(self.read(sql)["n"].iloc[0]) > 0


# DuckDB vectors (2,048 rows each) per slice of a query's result.
READ_SLICE_VECTORS = 64


def fetch_slices(result: duckdb.DuckDBPyConnection, vectors: int = READ_SLICE_VECTORS) -> list[pd.DataFrame]:
    """A query result as DataFrames of `vectors` vectors each (at least one, empty for no rows),
    to be concatenated. DuckDB gives a slice a nullable dtype (Int64, boolean) only where it holds
    a null; concatenating slices with and without gives the nullable dtype, as converting the
    whole result does.

    DuckDB makes a new Python string for every text value, so a column of a few distinct values
    (a region, a language) costs a string object per row. Where a slice holds at most half as many
    distinct strings as rows, its rows point at one object per distinct value: the same values,
    a fraction of the memory. A column is no longer tried after a slice where it did not qualify
    (a handle, a bio)."""
    parts, shared = [], {}
    while True:
        part = result.fetch_df_chunk(vectors)
        if part.empty:
            return parts or [part]
        # Every text column is replaced, shared or copied: DuckDB hands the slice's text columns
        # over as one block, and one column left in it keeps every column's strings alive.
        for column in [c for c, dtype in part.dtypes.items() if dtype == np.dtype(object)]:
            part[column], shared[column] = _shared_strings(part[column], shared.get(column, True))
        parts.append(part)


def _shared_strings(column: pd.Series, worth_trying: bool) -> tuple[pd.Series, bool]:
    """A copy of `column` whose repeated values are each one shared object, and whether that was
    worth it (at most half as many distinct values as rows); a plain copy when not worth trying.
    Nulls stay as they are."""
    values = column.to_numpy(dtype=object, copy=True)
    worth = False
    if worth_trying:
        try:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            worth = len(uniques) * 2 <= len(values)
        except TypeError:  # values that cannot be hashed (a list column): left as they are
            pass
    if worth:
        present = codes >= 0
        values[present] = np.asarray(uniques, dtype=object)[codes[present]]
    return pd.Series(values, index=column.index, name=column.name), worth


class SparkWarehouse(Warehouse):
    """The same interface over the marts of a Spark build (TIKTOK_ENGINE=spark).

    Local session mode: the Spark session dbt used (warehouse dir and Derby metastore in the build
    dir, spark_session_conf), started after dbt has exited. Spark's decimals come back as floats
    so the models see the dtypes they see on DuckDB."""

    quote = "`"

    def __init__(self, build: Path):
        super().__init__(build / "spark-warehouse")
        self._spark = None

    def session(self):
        if self._spark is None:
            from pyspark.sql import SparkSession

            builder = SparkSession.builder.enableHiveSupport()
            for key, value in spark_session_conf(self.path.parent).items():
                builder = builder.config(key, value)
            self._spark = builder.getOrCreate()
        return self._spark

    def read(self, sql: str) -> pd.DataFrame:
        from pyspark.sql.types import DecimalType

        df = self.session().sql(sql)
        for f in df.schema.fields:
            if isinstance(f.dataType, DecimalType):
                df = df.withColumn(f.name, df[f.name].cast("double"))
        return df.toPandas()

    def exists(self, name: str) -> bool:
        schema, table = name.split(".")
        return bool(self.session().catalog.tableExists(table, schema))


def spark_session_conf(build: Path) -> dict[str, str]:
    """The Spark conf of the `spark` target in profiles.yml, rendered as dbt renders it (YAML
    first, then each value as a Jinja template) with TIKTOK_BUILD_DIR set to this build dir."""
    import jinja2
    import yaml

    def env_var(name: str, default: str | None = None) -> str:
        value = str(build) if name == "TIKTOK_BUILD_DIR" else os.environ.get(name, default)
        if value is None:
            raise ValueError(f"profiles.yml: env var {name} is not set and has no default")
        return value

    templates = jinja2.Environment(undefined=jinja2.StrictUndefined)
    profile = yaml.safe_load((Path(__file__).resolve().parent.parent / "profiles.yml").read_text())
    conf = profile["tiktok_warehouse"]["outputs"]["spark"].get("server_side_parameters", {})
    return {k: templates.from_string(str(v)).render(env_var=env_var) for k, v in conf.items()}


def engine() -> str:
    """duckdb (default) or spark: which build the ML layer reads (TIKTOK_ENGINE)."""
    return tiktok_settings.current().engine


@dataclass
class Context:
    """Where a run reads and writes."""

    warehouse: Warehouse
    seeds_dir: Path
    artifacts_dir: Path
    metrics: list[dict] = field(default_factory=list)
    # one model card per model trained or skipped (ml.cards)
    cards: list[dict] = field(default_factory=list)
    # wall seconds of each model's training, evaluation and scoring (benchmarks; not a seed:
    # timings differ between identical builds)
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_env(cls, db: str | None = None) -> Context:
        root = build_dir()
        return cls(
            warehouse=(
                SparkWarehouse(root)
                if engine() == "spark" and not db
                else Warehouse(Path(db) if db else root / "warehouse.duckdb")
            ),
            seeds_dir=score_sets.ml_seed_dir(root),
            artifacts_dir=root / "ml",
        )

    @contextlib.contextmanager
    def timed(self, model: str):
        """Record the wall time of one model's work under `model` (its model_metrics name)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[model] = round(time.perf_counter() - start, 3)

    def add_metrics(self, rows: list[dict]) -> None:
        for row in rows:
            missing = set(MODEL_METRICS_COLUMNS) - set(row)
            if missing:
                raise ValueError(f"metric row lacks {sorted(missing)}: {row}")
            self.metrics.append({k: row[k] for k in MODEL_METRICS_COLUMNS})


def frame_hash(df: pd.DataFrame, columns: list[str] | None = None, rows: np.ndarray | None = None) -> str:
    """A content hash of a training frame (`columns` of df, default all; `rows` positions, default
    all): same column names, rows and values (in any row order) => same hash, whatever dtypes
    the engine's reader gave (DuckDB and Spark give int64 / Int64, object / string for the same
    values). Numbers and booleans are hashed as float64, everything else as text. Each column is
    hashed on its own (pandas, vectorised, 64 bits) and folded into the row hashes, so only one
    column is ever copied (a frame of millions of rows is hashed in place, never sorted or
    written out); the sorted row hashes make the digest."""
    names = [str(c) for c in (df.columns if columns is None else columns)]
    n = len(df) if rows is None else len(rows)
    row_hashes = np.zeros(n, dtype=np.uint64)
    for name in names:
        column = df[name] if rows is None else df[name].iloc[rows]
        hashed = pd.util.hash_pandas_object(_canonical(column), index=False)
        # FNV-style fold, wrapping modulo 2**64: the column order counts
        row_hashes = row_hashes * np.uint64(0x100000001B3) ^ hashed.to_numpy(dtype=np.uint64)
    digest = hashlib.sha256(json.dumps(names).encode())
    digest.update(np.sort(row_hashes).tobytes())
    return digest.hexdigest()[:16]


def _canonical(column: pd.Series) -> pd.Series:
    if column.dtype == object:
        # a nullable boolean column comes from Spark as objects (True, False, None), from DuckDB
        # as pandas' boolean dtype: the same values, hashed the same way
        present = column.dropna()
        if (
            len(present)
            and isinstance(present.iloc[0], (bool, np.bool_))
            and present.map(type).isin((bool, np.bool_)).all()
        ):
            column = column.astype("boolean")
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        values = column.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series(values, index=column.index)
    text = column.astype(object)
    return text.where(text.notna(), "\0null").astype(str)


def model_version(training_data_hash: str, params: dict) -> str:
    """Derives only from data and parameters: no wall clock, so reruns agree."""
    blob = json.dumps({"data": training_data_hash, "params": params}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def write_seed(df: pd.DataFrame, path: Path, columns: list[str]) -> Path:
    """Write a seed CSV atomically (temp file in the same folder, then os.replace).

    The temp name does not end in .csv, so dbt never picks up a half-written seed.
    Floats are written with a fixed format so reruns are byte-identical.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    text = df[columns].to_csv(index=False, lineterminator="\n", float_format="%.6f")
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def ensure_header_only(path: Path, columns: list[str]) -> bool:
    """Create a header-only seed if none exists, so models that ref it parse before any ML run."""
    if path.exists():
        return False
    write_seed(pd.DataFrame(columns=columns), path, columns)
    return True


# The score hand-off (declared in ml/score_sets.py). A score set of at most seed_max_rows() rows
# is a seed CSV; a larger one is a Parquet file beside it (the CSV then holds only the header).
# The staging models stg_ml_scores__<name> union both, so marts see one relation either way.
SEED_MAX_ROWS = score_sets.SEED_MAX_ROWS


def seed_max_rows() -> int:
    """TIKTOK_ML_SEED_MAX_ROWS, default SEED_MAX_ROWS (a whole number >= 0; 0 = always Parquet)."""
    return tiktok_settings.current().ml_seed_max_rows


def write_parquet(df: pd.DataFrame, path: Path, types: dict[str, str]) -> Path:
    """Write `df`'s columns `types` as Parquet, atomically (temp name, then os.replace).

    Each value is cast to its declared type; doubles are rounded as the seed CSV writes them
    (%.6f), so a score reads the same from either file. One thread keeps the row order and the
    bytes the same on a rerun."""
    missing = [c for c in types if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    select = ",\n".join(
        (f"cast(printf('%.6f', \"{c}\") as double)" if t == "double" else f'cast("{c}" as {t})') + f' as "{c}"'
        for c, t in types.items()
    )
    frame = df[list(types)]
    con = duckdb.connect()
    try:
        con.execute("set threads = 1")
        con.register("frame", frame)
        target = tmp.as_posix().replace("'", "''")
        con.execute(f"copy (select {select} from frame) to '{target}' (format parquet)")
    finally:
        con.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def write_scores(df: pd.DataFrame, seeds_dir: Path, name: str, max_rows: int | None = None) -> Path:
    """Hand a score set to dbt: its declared columns (ml/score_sets.py), as `<name>.csv` (a seed)
    when it has at most `max_rows` rows (default seed_max_rows()), else as `<name>.parquet`; the
    other file is written empty, so a smaller rerun never leaves stale rows behind. Returns the
    file holding the rows."""
    declared = score_sets.get(name)
    if declared.seed_only:
        raise ValueError(f"{name} is a plain seed (write_seed), not a score set with a Parquet side")
    limit = seed_max_rows() if max_rows is None else max_rows
    large = len(df) > limit
    parquet = write_parquet(df if large else df.iloc[0:0], seeds_dir / f"{name}.parquet", declared.types)
    csv = write_seed(df.iloc[0:0] if large else df, seeds_dir / f"{name}.csv", declared.names)
    return parquet if large else csv


def read_scores(seeds_dir: Path, name: str) -> pd.DataFrame:
    """A score set as the last run handed it over (seed CSV and Parquet file together), all
    values as text; empty when neither file exists."""
    parts = []
    csv = seeds_dir / f"{name}.csv"
    if csv.exists():
        parts.append(pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""]))
    parquet = seeds_dir / f"{name}.parquet"
    if parquet.exists():
        con = duckdb.connect()
        try:
            parts.append(con.sql(f"select * from read_parquet('{parquet.as_posix()}')").df().astype(object))
        finally:
            con.close()
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def ensure_score_stubs(seeds_dir: Path, name: str) -> bool:
    """A header-only seed (and, for a score set, an empty Parquet file) where none exist yet."""
    declared = score_sets.get(name)
    created = ensure_header_only(declared.seed_file(seeds_dir), declared.names)
    parquet = declared.parquet_file(seeds_dir)
    if parquet is not None and not parquet.exists():
        write_parquet(pd.DataFrame(columns=declared.names), parquet, declared.types)
        created = True
    return created
