"""Where landed files go and how they are written: typed Parquet, atomically, owner-only.

Layout: <build>/landed/<table>/<key>.parquet, one file per raw file, plus empty.parquet (a typed
file with zero rows) in every table folder, so a table with no input is an empty source, never a
missing one. No file name starts with `_` or `.`: Spark skips those. The ingest state
(<build>/landed/ingest_state.json) says which raw file was landed with which load id.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import tiktok_settings
from ingest.schema import INTEGER, LANDED_TABLES, TEXT, TIMESTAMP

EMPTY_FILE = "empty.parquet"
MANIFEST_FILE = "manifest.parquet"
STATE_FILE = "ingest_state.json"
# A build dir whose state has another version is landed again from scratch.
STATE_VERSION = 1
ARROW_TYPES = {TEXT: pa.string(), INTEGER: pa.int64(), TIMESTAMP: pa.timestamp("us")}


def file_mode() -> int:
    """Mode of every file ingest writes: owner-only unless TIKTOK_FILE_MODE opts in (e.g. 0640
    for a BI tool running as another user)."""
    return tiktok_settings.current().file_mode


def folder_mode(mode: int | None = None) -> int:
    """A folder's mode for a file mode: each class that may read files may also enter folders."""
    mode = file_mode() if mode is None else mode
    return mode | ((mode & 0o444) >> 2)


def make_folder(path: Path) -> Path:
    """Create `path` (and parents) with the folder mode; an existing folder gets it too, and so
    does every parent this call creates (existing parents are not touched)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    mode = folder_mode()
    for folder in {path, *missing}:
        folder.chmod(mode)
    return path


def apply_modes(root: Path) -> None:
    """The file and folder modes on a whole tree (the reports folder, after its renderer ran)."""
    if not root.exists():
        return
    fmode, dmode = file_mode(), folder_mode()
    if root.is_file():
        root.chmod(fmode)
        return
    root.chmod(dmode)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            Path(dirpath, name).chmod(dmode)
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink():
                path.chmod(fmode)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file atomically with the file mode (a temp file beside it, then rename)."""
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode())
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    tmp.chmod(file_mode())
    os.replace(tmp, path)


def landed_root(build: Path) -> Path:
    return build / "landed"


def table_dir(build: Path, table: str) -> Path:
    if table not in LANDED_TABLES:
        raise KeyError(f"unknown landed table {table!r}")
    return landed_root(build) / table


def file_key(source_file: str) -> str:
    """The landed file name of a raw file: a hash of its path (paths hold spaces, slashes and
    non-ASCII names; the hash is stable and safe on every file system)."""
    return hashlib.sha256(source_file.encode("utf-8")).hexdigest()[:32]


def landed_path(build: Path, table: str, source_file: str) -> Path:
    return table_dir(build, table) / f"{file_key(source_file)}.parquet"


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(name, ARROW_TYPES[type_]) for name, type_ in LANDED_TABLES[table]])


def write_rows(
    path: Path,
    table: str,
    rows: Iterable[Mapping[str, object]],
    constants: Mapping[str, object] | None = None,
) -> int:
    """Write `rows` (mappings from column name to value; a missing column is null) to `path` as
    typed Parquet, atomically, with the file mode. `constants` fills a column on every row (the
    load id, the source file). Returns the number of rows written."""
    rows = rows if isinstance(rows, list) else list(rows)
    constants = constants or {}
    schema = arrow_schema(table)
    # rows are sparse (an item has a handful of the table's columns): fill columns row by row
    n = len(rows)
    columns: dict[str, list] = {column.name: [None] * n for column in schema if column.name not in constants}
    for i, row in enumerate(rows):
        for name, value in row.items():
            column = columns.get(name)
            if column is not None:
                column[i] = value
    arrays = [
        pa.array([constants[c.name]] * n if c.name in constants else columns[c.name], type=c.type) for c in schema
    ]
    data = pa.Table.from_arrays(arrays, schema=schema)
    make_folder(path.parent)
    tmp = path.with_name(path.name + ".partial")
    # Snappy and Parquet 2.6 types: what DuckDB 1.4 and Spark 4 both read.
    pq.write_table(data, tmp, compression="snappy")
    tmp.chmod(file_mode())
    os.replace(tmp, path)
    return len(rows)


def ensure_empty_files(build: Path) -> None:
    """A typed zero-row file in every landed table's folder (rewritten when the schema changed)."""
    for table in LANDED_TABLES:
        path = table_dir(build, table) / EMPTY_FILE
        if path.exists():
            try:
                if pq.read_schema(path).equals(arrow_schema(table)):
                    continue
            except (OSError, pa.ArrowInvalid):
                pass
        write_rows(path, table, [])


# ----------------------------------------------------------------------------- ingest state
def state_path(build: Path) -> Path:
    return landed_root(build) / STATE_FILE


def read_state(build: Path) -> dict:
    """The previous run's state, or a fresh one (no state, another version, or unreadable)."""
    path = state_path(build)
    fresh = {"version": STATE_VERSION, "last_load_id": 0, "code": None, "files": {}}
    if not path.exists():
        return fresh
    try:
        state = json.loads(path.read_text())
    except ValueError:
        return fresh
    if state.get("version") != STATE_VERSION:
        return {**fresh, "last_load_id": int(state.get("last_load_id", 0))}
    return state


def write_state(build: Path, state: dict) -> None:
    make_folder(landed_root(build))
    write_bytes(state_path(build), json.dumps(state, indent=1, sort_keys=True, default=_json_default).encode())


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value))
