"""CSV kinds: claims, top-creator lists, creator profiles and video metadata, landed as text.

Every file is read with an explicit dialect (comma, double quote, quote-doubling escape, the
line ending found in the file itself), never sniffed: DuckDB's sniffer gives up on real files
(a header with a quoted line break, a row of commas after it). Python's csv module reads the
header (it may span lines) and recovers what DuckDB cannot split; DuckDB reads the rows (fast
on millions) and writes the Parquet.

What ingest does to a CSV, and what it leaves to staging (docs/ingest.md, "CSV kinds"):
- headers are matched to the kind's canonical columns through the alias seed
  (seeds/csv_header_aliases.csv) on a normalised form; a repeated header lands as
  `<column>__2`; headers no alias matches are named in the manifest, not landed;
- a row wrapped whole in quotes is split again (`row_repair = 'unwrapped'`) or landed as it
  came with the reason in `row_problem`; a row with more cells than the header keeps the
  first ones and says so in `row_problem` (staging quarantines such rows);
- e-mail addresses and phone numbers in free text (biographies, nicknames, captions,
  transcripts) are masked (ingest/privacy.py);
- every cell stays text: casts, K/M numbers, Excel damage and sentinels are staging's job.
A file that cannot be read at all (empty, UTF-16, not UTF-8, NUL bytes, a header without the
columns its kind needs, an unterminated quote) raises UnreadableCsv with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from ingest import privacy
from ingest.exports import UTF16_REASON, not_utf8_reason, nul_reason
from ingest.landing import file_mode, landed_path, make_folder
from ingest.schema import (
    CLAIMS_FIELDS,
    CREATOR_PROFILE_FIELDS,
    LANDED_TABLES,
    TOP_CREATOR_FIELDS,
    VIDEO_METADATA_FIELDS,
)
from ingest.walk import RawFile, file_sha256

ALIAS_SEED = Path(__file__).resolve().parents[1] / "seeds" / "csv_header_aliases.csv"
ENRICHMENT_SOURCE_FILE = "enrichment/video_metadata.csv"
READ_CHUNK = 1 << 24  # bytes per read of the encoding check
FALLBACK_BATCH = 100_000  # rows per insert when Python's csv module reads a file DuckDB cannot
LANDING_MEMORY_LIMIT = "2GB"

# The header normalisation: case, whitespace (line breaks included), dots, brackets,
# underscores, hyphens and slashes are ignored, so `Subscribers count`, `Subscriberscount`,
# `"\nFollowers"`, `followers`, `Views (Avg.)`, `views(avg)` and `Viewsavg` each match one alias.
_IGNORED_IN_HEADERS = re.compile(r"[\s.()\[\]{}_\-/\ufeff\u200b]+")


def normalise_header(header: str) -> str:
    return _IGNORED_IN_HEADERS.sub("", header).lower()


class UnreadableCsv(Exception):
    """The file cannot be read at all; str() is the reason (docs/ingest.md, unreadable files)."""


@dataclass(frozen=True)
class CsvKind:
    """What a CSV kind needs: its landed table and canonical columns, which header columns it
    cannot do without, which columns are free text (masked), and which column absorbs the
    extra commas of a row wrapped whole in quotes."""

    name: str
    description: str  # for the manifest
    table: str
    fields: tuple[str, ...]
    # Each entry is one requirement: any of its columns will do.
    required: tuple[tuple[str, ...], ...]
    free_text: tuple[str, ...] = ()
    wrapped_text_field: str | None = None
    # How the missing-columns error reads, given the missing requirements and the headers found.
    missing_message: Callable[[list[tuple[str, ...]], list[str]], str] | None = None
    # (normalised-header fragment, what the file is): other datasets published under this
    # kind's file names, named instead of guessed at.
    foreign_datasets: tuple[tuple[str, str], ...] = ()
    extra_columns: tuple[str, ...] = field(default=())

    @property
    def repeatable(self) -> set[str]:
        return {f.removesuffix("__2") for f in self.fields if f.endswith("__2")}


def _header_lacks(missing: list[tuple[str, ...]], found: list[str]) -> str:
    return "header lacks " + ", ".join(" or ".join(m) for m in missing) + f" (found: {_header_list(found)})"


def _no_follower_or_name(missing: list[tuple[str, ...]], found: list[str]) -> str:
    return (
        f"cannot find a follower and a creator-name column among its headers ({_header_list(found)}); "
        "seeds/csv_header_aliases.csv lists the accepted names"
    )


KINDS: dict[str, CsvKind] = {
    kind.name: kind
    for kind in (
        CsvKind(
            name="claims",
            description="claims-vs-opinions videos CSV",
            table="claims_rows",
            fields=CLAIMS_FIELDS,
            # every course column but the file's own row number
            required=tuple((f,) for f in CLAIMS_FIELDS if f != "original_row_number"),
            free_text=("video_transcription_text",),
            # the course's other fields never hold a comma: extra commas of a wrapped line
            # belong to the transcript
            wrapped_text_field="video_transcription_text",
            missing_message=_header_lacks,
            foreign_datasets=(
                (
                    "celebrit",
                    "a different dataset published under the same file name (celebrity columns, "
                    "usually Latin-1), not the claims-vs-opinions course file; use the course's "
                    "tiktok_dataset.csv (columns #, claim_status, video_id, ...)",
                ),
            ),
        ),
        CsvKind(
            name="top_creators",
            description="top-creator ranking CSV",
            table="top_creator_rows",
            fields=TOP_CREATOR_FIELDS,
            required=(("followers",), ("handle", "display_name")),
            free_text=("display_name",),
            wrapped_text_field="display_name",
            missing_message=_no_follower_or_name,
        ),
        CsvKind(
            name="profiles",
            description="creator profiles CSV",
            table="creator_profile_rows",
            fields=CREATOR_PROFILE_FIELDS,
            # the creator's handle comes from account_id or the profile url
            required=(("account_id", "url"),),
            free_text=("nickname", "biography"),
            wrapped_text_field="biography",
            missing_message=_header_lacks,
        ),
        CsvKind(
            name="video_metadata",
            description="video metadata CSV",
            table="video_metadata_rows",
            fields=VIDEO_METADATA_FIELDS,
            # without an id or a link no row can be joined
            required=(("video_id", "video_link"),),
            free_text=("description",),
            wrapped_text_field="description",
            missing_message=_header_lacks,
            extra_columns=("metadata_origin",),
        ),
    )
}


@cache
def header_aliases(seed: Path = ALIAS_SEED) -> dict[str, dict[str, str]]:
    """raw kind -> {normalised header: canonical column}, from the alias seed. Two spellings of
    one kind that normalise alike must name the same column (the seed's test checks it)."""
    aliases: dict[str, dict[str, str]] = {}
    with open(seed, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kind, column, key = row["raw_kind"].strip(), row["column_name"].strip(), normalise_header(row["header"])
            if kind not in KINDS or column not in KINDS[kind].fields:
                raise ValueError(f"{seed.name}: {kind}/{column} is not a landed column of a CSV kind")
            known = aliases.setdefault(kind, {}).setdefault(key, column)
            if known != column:
                raise ValueError(f"{seed.name}: {kind} header {row['header']!r} names both {known} and {column}")
    return aliases


# ----------------------------------------------------------------------------- reading
def text_problem(path: Path) -> str | None:
    """Why the file is not readable UTF-8 text (empty, UTF-16, not UTF-8, NUL bytes), or None."""
    return _scan_text(path)[0]


def _scan_text(path: Path) -> tuple[str | None, bool]:
    """(why the file is not readable UTF-8 text, or None; whether it holds an odd number of
    double quotes, the mark of a quoted value never closed). Streams the file: its size does
    not matter."""
    if path.stat().st_size == 0:
        return "the file is empty (0 bytes)", False
    quotes = 0
    with open(path, "rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return UTF16_REASON, False
        fh.seek(0)
        offset, carry = 0, b""
        while chunk := fh.read(READ_CHUNK):
            data = carry + chunk
            quotes += chunk.count(b'"')
            nul = data.find(b"\x00")
            if nul >= 0:
                return nul_reason(offset + nul), False
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as exc:
                # a character cut by the chunk boundary: decode it with the next chunk
                if exc.end == len(data) and len(data) - exc.start < 4 and exc.reason == "unexpected end of data":
                    carry = data[exc.start :]
                else:
                    return not_utf8_reason(data[exc.start], offset + exc.start), False
            offset += len(data) - len(carry)
        if carry:
            return not_utf8_reason(carry[0], offset), False
    return None, quotes % 2 == 1


def _unterminated_quote(path: Path) -> str | None:
    """For a file with an odd number of quotes: the reason when a quoted value runs to the end
    of the file (a stray quote inside an unquoted value is read as it is, not an error)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        start = 1
        try:
            for _ in reader:
                start = reader.line_num + 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return (
                    f"a quoted value is never closed (the record opening on line {start} runs to the end of "
                    "the file): the file is cut off or its quotes are broken"
                )
    return None


@dataclass(frozen=True)
class Header:
    cells: list[str]
    line_ending: str  # "\r\n", "\n" or "\r": the file's own, found outside quotes
    skip_lines: int  # empty lines before the header


def read_header(path: Path) -> Header:
    """The first record (Python's csv module: a quoted field may span lines) and the line
    ending the file uses."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    line_ending = _line_ending(head)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for skip, record in enumerate(csv.reader(fh)):
            if record:
                return Header(list(record), line_ending, skip)
    raise UnreadableCsv("holds no header (only empty lines)")


def _line_ending(head: bytes) -> str:
    in_quotes = False
    for i, byte in enumerate(head):
        if byte == 0x22:
            in_quotes = not in_quotes
        elif not in_quotes and byte == 0x0A:
            return "\r\n" if i and head[i - 1] == 0x0D else "\n"
        elif not in_quotes and byte == 0x0D and head[i + 1 : i + 2] != b"\n" and i + 1 < len(head):
            return "\r"
    return "\n"


@dataclass
class ColumnMap:
    """Where each header cell lands: canonical column names by position (None: not landed)."""

    landed: list[str | None]
    not_landed: list[str]  # descriptions for the manifest

    def position(self, column: str) -> int | None:
        return self.landed.index(column) if column in self.landed else None


def map_header(kind: CsvKind, cells: Sequence[str]) -> ColumnMap:
    aliases = header_aliases()[kind.name]
    landed: list[str | None] = []
    not_landed: list[str] = []
    for n, cell in enumerate(cells, 1):
        column = aliases.get(normalise_header(cell))
        if column is not None and column in landed:
            copy = f"{column}__2"
            if column in kind.repeatable and copy not in landed:
                column = copy
            else:
                not_landed.append(f"{_quote_header(cell)} again (column {n})")
                column = None
        elif column is None:
            not_landed.append(f"{_quote_header(cell)} (column {n})" if cell.strip() else f"column {n} (no name)")
        landed.append(column)
    return ColumnMap(landed, not_landed)


def _quote_header(cell: str) -> str:
    return '"' + cell.replace("\r", "\\r").replace("\n", "\\n") + '"'


def _header_list(cells: Sequence[str]) -> str:
    return ", ".join(cell.replace("\r", "\\r").replace("\n", "\\n") for cell in cells)


def header_problem(kind: CsvKind, cells: Sequence[str], columns: ColumnMap) -> str | None:
    """Why the header does not fit the kind: another dataset named, or the missing columns."""
    keys = [normalise_header(c) for c in cells]
    for fragment, what in kind.foreign_datasets:
        if any(fragment in key for key in keys):
            return f"{what} (found: {_header_list(cells)})"
    missing = [need for need in kind.required if not any(c in columns.landed for c in need)]
    if missing:
        return kind.missing_message(missing, list(cells))
    return None


def _peek_header_problem(kind: CsvKind, path: Path) -> str | None:
    """For a file that is not UTF-8: does its header (read as Latin-1) name another dataset?"""
    with open(path, "rb") as fh:
        first = fh.read(1 << 16).split(b"\n", 1)[0].decode("latin-1")
    cells = next(csv.reader([first]), [])
    keys = [normalise_header(c) for c in cells]
    for fragment, what in kind.foreign_datasets:
        if any(fragment in key for key in keys):
            return f"{what} (found: {_header_list(cells)})"
    return None


# ----------------------------------------------------------------------------- landing
@dataclass
class CsvLanding:
    """What landing one file did, for the manifest."""

    landed_rows: int
    not_landed_headers: list[str]
    unwrapped_rows: int = 0
    problem_rows: int = 0
    masked_cells: int = 0
    read_by: str = "duckdb"

    @property
    def status_reason(self) -> str | None:
        parts = []
        if self.not_landed_headers:
            parts.append(
                "headers not landed (no alias in seeds/csv_header_aliases.csv): " + ", ".join(self.not_landed_headers)
            )
        if self.unwrapped_rows:
            parts.append(f"{self.unwrapped_rows} row(s) wrapped whole in quotes split again")
        if self.problem_rows:
            parts.append(f"{self.problem_rows} row(s) could not be split into columns (quarantined in staging)")
        return "; ".join(parts) or None


def land_csv(
    kind_name: str,
    path: Path,
    source_file: str,
    build: Path,
    load_id: int,
    *,
    metadata_origin: str = "user",
) -> CsvLanding:
    """Land one CSV of a kind as <build>/landed/<table>/<key>.parquet (atomically, with the
    file mode). Raises UnreadableCsv when the file cannot be read at all."""
    import duckdb

    kind = KINDS[kind_name]
    problem, odd_quotes = _scan_text(path)
    if not problem and odd_quotes:
        problem = _unterminated_quote(path)
    if problem:
        if problem.startswith("not UTF-8"):
            named = _peek_header_problem(kind, path)
            if named:
                problem = f"{named}; {problem}"
        raise UnreadableCsv(problem)
    header = read_header(path)
    columns = map_header(kind, header.cells)
    problem = header_problem(kind, header.cells, columns)
    if problem:
        raise UnreadableCsv(problem)

    width = len(header.cells)
    con = duckdb.connect()
    try:
        # one file's rows at a time: a modest limit, spilling into the build dir beyond it (the
        # dbt build's own limit, TIKTOK_DUCKDB_MEMORY_LIMIT, is for the models)
        con.execute(f"set memory_limit = '{LANDING_MEMORY_LIMIT}'")
        con.execute(f"set temp_directory = {_sql_literal(str(build / 'landed' / 'duckdb_tmp'))}")
        result = CsvLanding(landed_rows=0, not_landed_headers=columns.not_landed)
        try:
            con.execute(f"create temp table raw_rows as {_duckdb_rows(path, header, width)}")
        except duckdb.Error:
            # DuckDB stops at a row it cannot split (more cells than the header): Python's csv
            # module reads the file instead and names such rows
            result.read_by = "python"
            _python_rows_table(con, path, header, width)
        _repair(con, kind, width, columns, result)
        target = landed_path(build, kind.table, source_file)
        result.landed_rows = _write_landed(con, kind, columns, target, source_file, load_id, metadata_origin)
    finally:
        con.close()
    return result


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cells(width: int) -> list[str]:
    return [f"c{i}" for i in range(1, width + 1)]


def _duckdb_rows(path: Path, header: Header, width: int) -> str:
    """The data rows as a relation: `source_row` (1-based, file order), `c1`..`cN` (text, by
    position), `row_problem`. DuckDB reads with the explicit dialect and the file's own line
    ending (a quoted line break in the header must not decide it)."""
    names = _cells(width)
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    escape = {"\r\n": "\\r\\n", "\n": "\\n", "\r": "\\r"}[header.line_ending]
    reader = (
        f"read_csv({_sql_literal(str(path))}, delim = ',', quote = '\"', escape = '\"', header = true, "
        f"auto_detect = false, columns = {columns}, new_line = '{escape}', skip = {header.skip_lines}, "
        # null_padding: a row wrapped whole in quotes is one cell, the others null (repaired
        # below); DuckDB's parallel scanner cannot pad rows of a file with quoted line breaks
        "null_padding = true, parallel = false, encoding = 'utf-8')"
    )
    return (
        f"select row_number() over () as source_row, {', '.join(names)}, "
        f"cast(null as varchar) as row_problem, cast(null as varchar) as row_text, "
        f"cast(null as varchar) as row_repair from {reader}"
    )


def _python_rows_table(con, path: Path, header: Header, width: int) -> None:
    """Python's csv module reads every row (lenient about stray quotes); a row with more cells
    than the header keeps the first ones and names the problem; a short row is padded, as
    DuckDB pads it."""
    names = _cells(width)
    con.execute(
        "create temp table raw_rows (source_row bigint, "
        + ", ".join(f"{n} varchar" for n in names)
        + ", row_problem varchar, row_text varchar, row_repair varchar)"
    )
    columns = ["source_row", *names, "row_problem", "row_text", "row_repair"]
    batch: list[list] = []
    for number, record in enumerate(_data_records(path), 1):
        problem = text = None
        if len(record) > width:
            problem = f"the row has {len(record)} cells, the header {width}: the extra cells are not landed"
            text = privacy.GENERIC(_joined(record))
            record = record[:width]
        cells = [cell if cell != "" else None for cell in record] + [None] * (width - len(record))
        batch.append([number, *cells, problem, text, None])
        if len(batch) >= FALLBACK_BATCH:
            _frame_into(con, "raw_rows", columns, batch)
            batch = []
    if batch:
        _frame_into(con, "raw_rows", columns, batch)


def _joined(record: list[str]) -> str:
    """A record as one CSV line again (for row_text)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(record)
    return out.getvalue()


def _data_records(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=False)
        seen_header = False
        for record in reader:
            if not record:  # an empty line is no row (DuckDB skips it too)
                continue
            if not seen_header:
                seen_header = True
                continue
            yield record


def _frame_into(con, table: str, columns: Sequence[str], rows: list[list]) -> None:
    """Insert `rows` into `table` through a pandas frame (executemany is slow on thousands)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    frame["source_row"] = frame["source_row"].astype("int64")
    con.register("rows_batch", frame)
    try:
        con.execute(f"insert into {table} select * from rows_batch")
    finally:
        con.unregister("rows_batch")


def _repair(con, kind: CsvKind, width: int, columns: ColumnMap, result: CsvLanding) -> None:
    """Repair raw_rows in place: rows wrapped whole in quotes split again (or their problem
    named), e-mail addresses and phone numbers in free text masked. Only candidate rows go
    through Python: a row of one cell holding a comma, free text that might hold a contact."""
    names = _cells(width)
    text_positions = [p for f in kind.free_text if (p := columns.position(f)) is not None]
    wrapped = "false"
    if width > 1:
        wrapped = f"(c1 like '%,%' and {' and '.join(f'{n} is null' for n in names[1:])} and row_problem is null)"
    conditions = [wrapped, *(privacy.might_hold_contact_sql(names[p]) for p in text_positions)]
    text_cells = [names[p] for p in text_positions]
    flags = "".join(f", {c}, {privacy.might_hold_contact_sql(c)}" for c in text_cells)
    candidates = con.execute(
        f"select source_row, {wrapped} as is_wrapped, c1{flags} from raw_rows where {' or '.join(conditions)}"
    ).fetchall()
    text_at = columns.position(kind.wrapped_text_field) if kind.wrapped_text_field else None
    unwrapped, masked = [], []
    for source_row, is_wrapped, first, *texts_and_flags in candidates:
        if is_wrapped:
            cells, problem = _unwrap(first, width, text_at)
            if cells is None:
                # the line stays as it came in the first cell; row_text keeps it whatever the
                # first column is (it may not be landed)
                result.problem_rows += 1
                masked_line = privacy.GENERIC(first)
                unwrapped.append([source_row, masked_line, *[None] * (width - 1), problem, masked_line, None])
                continue
            cells = [privacy.GENERIC(c) if i in text_positions else c for i, c in enumerate(cells)]
            result.unwrapped_rows += 1
            unwrapped.append([source_row, *cells, None, None, "unwrapped"])
            continue
        texts = texts_and_flags[::2]
        new = [privacy.GENERIC(t) if flag else t for t, flag in zip(texts, texts_and_flags[1::2], strict=True)]
        if new != texts:
            result.masked_cells += sum(a != b for a, b in zip(new, texts, strict=True))
            masked.append([source_row, *new])
    if unwrapped:
        con.execute("create temp table unwrapped_rows as select * from raw_rows where false")
        repaired = [*names, "row_problem", "row_text", "row_repair"]
        _frame_into(con, "unwrapped_rows", ["source_row", *repaired], unwrapped)
        assigned = ", ".join(f"{c} = u.{c}" for c in repaired)
        con.execute(f"update raw_rows set {assigned} from unwrapped_rows as u where raw_rows.source_row = u.source_row")
    if masked:
        con.execute(
            "create temp table masked_rows (source_row bigint" + "".join(f", {c} varchar" for c in text_cells) + ")"
        )
        _frame_into(con, "masked_rows", ["source_row", *text_cells], masked)
        assigned = ", ".join(f"{c} = m.{c}" for c in text_cells)
        con.execute(f"update raw_rows set {assigned} from masked_rows as m where raw_rows.source_row = m.source_row")


def _unwrap(line: str, width: int, text_at: int | None) -> tuple[list[str | None] | None, str | None]:
    """A row wrapped whole in quotes, split again: its cells, or None and the reason. Extra
    cells (commas the writer did not quote) go back into the kind's free-text column."""
    records = list(csv.reader(io.StringIO(line, newline=""), strict=False))
    if len(records) != 1:
        return None, "row wrapped whole in quotes could not be split: it holds line breaks outside quotes"
    split = records[0]
    if len(split) > width and text_at is not None:
        end = text_at + len(split) - width + 1
        split = [*split[:text_at], ",".join(split[text_at:end]), *split[end:]]
    if len(split) != width:
        return None, f"row wrapped whole in quotes could not be split: {len(split)} cells, the header has {width}"
    return [c if c != "" else None for c in split], None


def _write_landed(
    con,
    kind: CsvKind,
    columns: ColumnMap,
    target: Path,
    source_file: str,
    load_id: int,
    metadata_origin: str,
) -> int:
    """COPY raw_rows in the landed table's column order to `target` (atomic, file mode)."""
    by_column = {column: f"c{p}" for p, column in enumerate(columns.landed, 1) if column is not None}
    fixed = {
        "load_id": f"cast({int(load_id)} as bigint)",
        "source_file": _sql_literal(source_file),
        "source_row": "source_row",
        "row_problem": "row_problem",
        "row_text": "row_text",
        "row_repair": "row_repair",
        "metadata_origin": _sql_literal(metadata_origin),
    }
    select = [
        f'{fixed.get(name) or by_column.get(name) or f"cast(null as {type_})"} as "{name}"'
        for name, type_ in LANDED_TABLES[kind.table]
    ]
    make_folder(target.parent)
    tmp = target.with_name(target.name + ".partial")
    # raw_rows is in file order (inserted so; DuckDB keeps insertion order): no sort
    query = f"select {', '.join(select)} from raw_rows"
    con.execute(f"copy ({query}) to {_sql_literal(str(tmp))} (format parquet, compression snappy)")
    tmp.chmod(file_mode())
    os.replace(tmp, target)
    return con.execute("select count(*) from raw_rows").fetchone()[0]


# ----------------------------------------------------------------------------- run loop
def alias_seed_digest(seed: Path = ALIAS_SEED) -> str:
    """The alias seed as a fingerprint: a changed seed lands every CSV again (ingest/run.py)."""
    return hashlib.sha256(seed.read_bytes()).hexdigest()[:16]


def enrichment_files(build: Path, known: dict[str, dict] | None = None) -> list[RawFile]:
    """The enrichment step's video metadata (<build>/enrichment/video_metadata.csv) as a file of
    the run, `source_file` relative to the build dir: it lands with the user's video metadata,
    `metadata_origin = 'enrichment'`, and has its manifest row."""
    path = build / ENRICHMENT_SOURCE_FILE
    if not path.is_file():
        return []
    stat = path.stat()
    before = (known or {}).get(ENRICHMENT_SOURCE_FILE, {})
    unchanged = before.get("size") == stat.st_size and before.get("mtime_ns") == stat.st_mtime_ns
    return [
        RawFile(
            source_file=ENRICHMENT_SOURCE_FILE,
            path=path,
            raw_kind="video_metadata",
            file_format="csv",
            size=stat.st_size,
            sha256=before["sha256"] if unchanged else file_sha256(path),
            modified_at=datetime.fromtimestamp(stat.st_mtime_ns / 1e9, UTC).replace(tzinfo=None),
            mtime_ns=stat.st_mtime_ns,
        )
    ]
