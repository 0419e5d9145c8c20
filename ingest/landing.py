"""Where landed files go and how they are written: typed Parquet, atomically, owner-only.

Layout: <build>/landed/<table>/<key>.parquet, one file per raw file, plus empty.parquet (a typed
file with zero rows) in every table folder, so a table with no input is an empty source, never a
missing one. No file name starts with `_` or `.`: Spark skips those.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.schema import LANDED_TABLES

EMPTY_FILE = "empty.parquet"
DEFAULT_FILE_MODE = 0o600


def file_mode() -> int:
    """Mode of every file ingest writes: owner-only unless TIKTOK_FILE_MODE opts in (e.g. 0640
    for a BI tool running as another user)."""
    given = os.environ.get("TIKTOK_FILE_MODE", "").strip()
    if not given:
        return DEFAULT_FILE_MODE
    try:
        mode = int(given, 8)
    except ValueError:
        raise ValueError(f"TIKTOK_FILE_MODE={given!r}: give an octal file mode such as 0600 or 0640") from None
    if mode & ~0o666 or not mode & 0o600 == 0o600:
        raise ValueError(f"TIKTOK_FILE_MODE={given!r}: the owner must read and write, nobody may execute")
    return mode


def folder_mode(mode: int | None = None) -> int:
    """A folder's mode for a file mode: each class that may read files may also enter folders."""
    mode = file_mode() if mode is None else mode
    return mode | ((mode & 0o444) >> 2)


def make_folder(path: Path) -> Path:
    """Create `path` (and parents) with the folder mode; an existing folder gets it too."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(folder_mode())
    return path


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


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns_sql(table: str) -> str:
    return ", ".join(f'cast(null as {type_}) as "{name}"' for name, type_ in LANDED_TABLES[table])


def write_rows(path: Path, table: str, rows: Iterable[Sequence[object]]) -> int:
    """Write `rows` (tuples in the table's column order) to `path` as typed Parquet, atomically,
    with the file mode. Returns the number of rows written."""
    import duckdb

    columns = LANDED_TABLES[table]
    rows = list(rows)
    make_folder(path.parent)
    tmp = path.with_name(path.name + ".partial")
    con = duckdb.connect()
    try:
        con.execute("set threads = 1")
        names = ", ".join(f'"{name}" {type_}' for name, type_ in columns)
        con.execute(f"create table landed ({names})")
        if rows:
            placeholders = ", ".join("?" for _ in columns)
            con.executemany(f"insert into landed values ({placeholders})", rows)
        con.execute(f"copy landed to {_sql_literal(str(tmp))} (format parquet)")
    finally:
        con.close()
    tmp.chmod(file_mode())
    os.replace(tmp, path)
    return len(rows)


def ensure_empty_files(build: Path) -> None:
    """A typed zero-row file in every landed table's folder (written once)."""
    for table in LANDED_TABLES:
        path = table_dir(build, table) / EMPTY_FILE
        if not path.exists():
            write_rows(path, table, [])
