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

# Seeds every model shares. Each domain module declares its own in SEEDS.
MODEL_METRICS_COLUMNS = [
    "model",
    "model_version",
    "split",
    "group_name",
    "metric",
    "value",
    "training_data_hash",
]


def build_dir() -> Path:
    return Path(os.environ.get("TIKTOK_BUILD_DIR", "build")).resolve()


@dataclass
class Warehouse:
    """Read-only access to the dbt build's DuckDB file (one small interface the models use)."""

    path: Path
    quote = '"'

    def read(self, sql: str) -> pd.DataFrame:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.sql(sql).df()
        finally:
            con.close()

    def table(self, name: str) -> pd.DataFrame:
        """A whole relation, in a stable order (by every column) so reruns see the same rows."""
        cols = self.read(f"select * from {name} limit 0").columns
        order = ", ".join(f"{self.quote}{c}{self.quote}" for c in cols)
        return self.read(f"select * from {name} order by {order}")

    def exists(self, name: str) -> bool:
        schema, table = name.split(".")
        sql = (
            "select count(*) as n from information_schema.tables "
            f"where table_schema = '{schema}' and table_name = '{table}'"
        )
        return int(self.read(sql)["n"].iloc[0]) > 0


class SparkWarehouse(Warehouse):
    """The same interface over the marts of a Spark build (TIKTOK_ENGINE=spark, issue 9).

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
    """The Spark conf of the `spark` target in profiles.yml (rendered with this build dir)."""
    import yaml

    text = (Path(__file__).resolve().parent.parent / "profiles.yml").read_text()
    text = text.replace("{{ env_var('TIKTOK_BUILD_DIR', 'build-spark') }}", str(build))
    profile = yaml.safe_load(text)["tiktok_warehouse"]["outputs"]["spark"]
    return {k: str(v) for k, v in profile.get("server_side_parameters", {}).items()}


def engine() -> str:
    """duckdb (default) or spark: which build the ML layer reads (TIKTOK_ENGINE)."""
    return os.environ.get("TIKTOK_ENGINE", "duckdb").lower()


@dataclass
class Context:
    """Where a run reads and writes."""

    warehouse: Warehouse
    seeds_dir: Path
    artifacts_dir: Path
    metrics: list[dict] = field(default_factory=list)
    # wall seconds of each model's training, evaluation and scoring (benchmarks; not a seed:
    # timings differ between identical builds)
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_env(cls, db: str | None = None) -> "Context":
        root = build_dir()
        return cls(
            warehouse=(SparkWarehouse(root) if engine() == "spark" and not db
                       else Warehouse(Path(db) if db else root / "warehouse.duckdb")),
            seeds_dir=root / "seeds" / "ml",
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


def frame_hash(df: pd.DataFrame) -> str:
    """A content hash of a training frame: same column names, rows and values (in any row order)
    => same hash, whatever dtypes the engine's reader gave (DuckDB and Spark give int64 / Int64,
    object / string for the same values). Numbers and booleans are hashed as float64, everything
    else as text; each row by pandas (vectorised, 64 bits), then the sorted row hashes again.
    (Sorting the frame and writing it as CSV took tens of seconds for a million rows of text.)"""
    canonical = pd.DataFrame({str(c): _canonical(df[c]) for c in df.columns})
    rows = np.sort(pd.util.hash_pandas_object(canonical, index=False).to_numpy())
    digest = hashlib.sha256(json.dumps([str(c) for c in df.columns]).encode())
    digest.update(rows.tobytes())
    return digest.hexdigest()[:16]


def _canonical(column: pd.Series) -> pd.Series:
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
