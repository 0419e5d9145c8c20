"""The ingest run: walk the raw folder, land every new or changed file with the lander of its raw
kind, remove what vanished, write the manifest and the state.

Plug-in point: LANDERS maps a raw kind (the raw dir's top-level folder) to a lander, a function
`(RawFile, LandContext) -> Landed`. A lander reads one file and returns its manifest status and
reason and the rows it lands per landed table (columns by name, as in ingest/schema.py; the run
loop adds `load_id` and `source_file` and writes one Parquet file per table), or writes its
Parquet itself (CSV kinds: DuckDB reads and writes millions of rows without Python rows) and
names the tables in `Landed.written`. It raises
`Unreadable` for a file that cannot be read at all. FINGERPRINTS may name, per raw kind, what
else than the file's bytes its landing depends on (an export's masks come from its profile).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest import csvs, exports, landing
from ingest.exports import Unreadable
from ingest.privacy import PersonalValues
from ingest.registry import CSV_KINDS, PERSONAL_SECTIONS, PROFILE_LIST, TXT_LAYOUT, txt_file_spec
from ingest.schema import LANDED_TABLES
from ingest.walk import RawFile, walk

STATUSES = ("loaded", "not_analysed", "unknown", "unreadable")
# Tables that describe a file rather than hold its rows: not counted in landed_row_count.
COVERAGE_TABLES = frozenset({"export_sections"})
PACKAGE = Path(__file__).resolve().parent


@dataclass
class Landed:
    """What a lander made of one raw file."""

    status: str  # loaded | not_analysed | unknown | unreadable
    reason: str  # why, in words (never a value from the file)
    rows: dict[str, list[dict]] = field(default_factory=dict)  # landed table -> rows
    export_layout: str | None = None
    # landed table -> rows the lander wrote itself to landing.landed_path(build, table, source_file)
    written: dict[str, int] = field(default_factory=dict)

    @property
    def landed_row_count(self) -> int:
        return sum(len(rows) for table, rows in self.rows.items() if table not in COVERAGE_TABLES) + sum(
            self.written.values()
        )


@dataclass
class LandContext:
    """What a lander may need beyond its own file: the other files of the run."""

    raw: Path
    build: Path
    files: list[RawFile]
    load_id: int = 0  # the run's load id, for landers that write their own Parquet
    _personal: dict[str, PersonalValues] = field(default_factory=dict)

    def txt_export_personal_values(self, export_root: str) -> PersonalValues:
        """The personal values a TXT export names (its profile, autofill and address files),
        read in memory to be masked in the export's free text."""
        if export_root not in self._personal:
            personal = PersonalValues()
            for f in self.files:
                if f.raw_kind != "export" or f.file_format != "txt" or f.path is None:
                    continue
                if exports.txt_export_root(f.source_file) != export_root:
                    continue
                spec = txt_file_spec(f.name)
                if spec and (spec.list_name == PROFILE_LIST or spec.name in PERSONAL_SECTIONS):
                    # an unreadable profile file is reported as such; it masks nothing
                    with contextlib.suppress(Unreadable):
                        personal.update(exports.txt_personal_values(exports.decode_text(f.read_bytes())))
            self._personal[export_root] = personal
        return self._personal[export_root]


Lander = Callable[[RawFile, LandContext], Landed]


# ----------------------------------------------------------------------------- landers
def land_export(file: RawFile, ctx: LandContext) -> Landed:
    """A TikTok export file: JSON (one whole export) or TXT (one list of a TXT export)."""
    if file.file_format == "json":
        doc = exports.parse_json(file.read_bytes())
        layout = exports.json_layout(doc)
        flat = exports.flatten_json(doc, layout, file.source_file)
        del doc
        return Landed(
            "loaded",
            f"TikTok export {layout}: {flat.summary()}",
            {"export_items": flat.items, "export_sections": flat.sections},
            layout,
        )
    if file.file_format == "txt":
        return land_txt(file, ctx)
    return Landed("unknown", "not a JSON, TXT or ZIP file: not read")


def land_txt(file: RawFile, ctx: LandContext) -> Landed:
    root = exports.txt_export_root(file.source_file)
    section_path = file.source_file[len(root) + 1 :]
    spec = txt_file_spec(file.name)
    flat = exports.Flattened(TXT_LAYOUT)
    if spec is None or spec.list_name is None:
        if spec is None:
            status, coverage, why = "unknown", "unknown", "TXT file not in the registry: not read"
        elif spec.status == "sensitive":
            status, coverage = "not_analysed", "sensitive"
            why = f"sensitive: {spec.reason}, counted in coverage, never read into the warehouse"
        else:
            status, coverage, why = "not_analysed", "not_analysed", f"not analysed: {spec.reason} (counted, not read)"
        try:
            count: int | None = exports.count_txt_blocks(exports.decode_text(file.read_bytes()))
        except Unreadable:
            count = None  # not read anyway: no reason to stop the build
        flat.section(root, section_path, None, count, coverage, why)
        return Landed(status, why, {"export_sections": flat.sections}, TXT_LAYOUT)
    data = file.read_bytes()
    text = exports.decode_text(data) if data else ""
    masker = ctx.txt_export_personal_values(root).masker()
    flat = exports.flatten_txt(text, file.source_file, root, masker)
    what = "profile" if spec.list_name == PROFILE_LIST else spec.list_name
    return Landed(
        "loaded",
        f"TikTok TXT export ({spec.name}, {spec.era}): {what}, {len(flat.items)} item(s)",
        {"export_items": flat.items, "export_sections": flat.sections},
        TXT_LAYOUT,
    )


def export_fingerprint(file: RawFile, ctx: LandContext) -> str:
    """A TXT list's masks come from the profile file beside it: a new profile lands it again."""
    if file.file_format != "txt":
        return ""
    return ctx.txt_export_personal_values(exports.txt_export_root(file.source_file)).digest()


def land_csv_kind(file: RawFile, ctx: LandContext) -> Landed:
    """A CSV of a CSV kind (claims, top creators, profiles, video metadata): ingest/csvs.py."""
    if file.file_format != "csv":
        return Landed("unknown", f"not a CSV file: not read (the {file.raw_kind}/ folder holds CSV files)")
    if file.zip_file:
        return Landed(
            "not_analysed", f"a CSV inside a ZIP is not read: unzip it into {file.raw_kind}/ in the raw folder"
        )
    origin = "enrichment" if file.source_file == csvs.ENRICHMENT_SOURCE_FILE else "user"
    try:
        landed = csvs.land_csv(
            file.raw_kind, file.path, file.source_file, ctx.build, ctx.load_id, metadata_origin=origin
        )
    except csvs.UnreadableCsv as exc:
        return Landed("unreadable", str(exc))
    what = csvs.KINDS[file.raw_kind].description
    reason = f"{what}: {landed.landed_rows} row(s)"
    if landed.status_reason:
        reason += f"; {landed.status_reason}"
    return Landed("loaded", reason, written={csvs.KINDS[file.raw_kind].table: landed.landed_rows})


def csv_fingerprint(file: RawFile, ctx: LandContext) -> str:
    """A CSV's landed columns come from the header alias seed too: a changed seed lands it again."""
    return csvs.alias_seed_digest()


LANDERS: dict[str, Lander] = {
    "export": land_export,
    **dict.fromkeys(CSV_KINDS, land_csv_kind),
}
FINGERPRINTS: dict[str, Callable[[RawFile, LandContext], str]] = {
    "export": export_fingerprint,
    **dict.fromkeys(CSV_KINDS, csv_fingerprint),
}
# Files besides the package whose content changes what lands (a change lands everything again).
CODE_INPUTS: tuple[Path, ...] = ()


# ----------------------------------------------------------------------------- the run
@dataclass
class IngestResult:
    load_id: int  # this run's id, or the last one when nothing changed
    changed: bool  # anything landed, removed or re-listed
    landed: list[str] = field(default_factory=list)  # source files landed by this run
    new: list[str] = field(default_factory=list)
    changed_in_place: list[str] = field(default_factory=list)  # landed before with other bytes
    removed: list[str] = field(default_factory=list)  # landed before, gone now
    code_changed: bool = False  # the ingest code changed: everything landed again
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (source file, reason)
    status_counts: dict[str, int] = field(default_factory=dict)
    rows_by_list: dict[str, int] = field(default_factory=dict)

    def unreadable_lines(self) -> list[str]:
        return [f"raw file {path} cannot be read: {why}" for path, why in self.unreadable]

    def summary(self) -> str:
        if not self.changed:
            return f"ingest: nothing changed since load {self.load_id}"
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.status_counts.items()))
        parts = [f"ingest: load {self.load_id}: {len(self.landed)} file(s) landed"]
        if self.new or self.changed_in_place:
            parts.append(f"({len(self.new)} new, {len(self.changed_in_place)} changed)")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.code_changed:
            parts.append("(the ingest code changed: everything landed again)")
        return " ".join(parts) + f"; manifest: {sum(self.status_counts.values())} file(s): {statuses}"


def code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.glob("*.py"), *CODE_INPUTS]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def classify(file: RawFile, ctx: LandContext) -> Landed:
    """The manifest status of a file, landing it when its kind has a lander."""
    if file.problem:
        return Landed("unreadable", file.problem)
    if file.note:
        return Landed("not_analysed", file.note)
    if file.file_format == "zip":
        return Landed("loaded", "ZIP unpacked; each member is listed as a file of its own")
    if file.name.startswith(".") or file.name in ("Thumbs.db", "desktop.ini"):
        return Landed("unknown", "a hidden or system file: not read")
    lander = LANDERS.get(file.raw_kind)
    if lander is None:
        return Landed(
            "unknown",
            "not in a raw-kind folder (export/, claims/, top_creators/, profiles/, video_metadata/): not read",
        )
    try:
        return lander(file, ctx)
    except Unreadable as exc:
        return Landed("unreadable", str(exc))
    except Exception as exc:
        raise RuntimeError(f"ingest failed on raw file {file.source_file}: {exc!r}") from exc


def run_ingest(raw: Path, build: Path, *, force: bool = False) -> IngestResult:
    """Land the raw folder into <build>/landed/ (docs/ingest.md). Returns what happened; the
    caller decides what unreadable files mean (stop, or go on with skip_unreadable_files)."""
    landing.make_folder(build)
    state = landing.read_state(build)
    code = code_digest()
    code_changed = state.get("code") is not None and state["code"] != code
    before: dict[str, dict] = state.get("files", {}) if state.get("code") == code and not force else {}
    files = walk(raw, build, state.get("files", {}))
    # the enrichment step's video metadata lives in the build dir; it lands like a user's CSV
    files += csvs.enrichment_files(build, state.get("files", {}))
    ctx = LandContext(raw=raw, build=build, files=files)
    keys = {f.source_file: _key(f, ctx) for f in files}
    current = set(keys)
    removed = sorted(set(state.get("files", {})) - current)
    manifest_file = landing.table_dir(build, "manifest") / landing.MANIFEST_FILE
    unchanged = (
        not removed
        and manifest_file.exists()
        and all(_still_landed(build, before.get(sf), key) for sf, key in keys.items())
    )
    if unchanged:
        result = IngestResult(load_id=state["last_load_id"], changed=False)
        _fill_counts(result, before)
        return result

    load_id = int(state.get("last_load_id", 0)) + 1
    ctx.load_id = load_id
    now = _now()
    records: dict[str, dict] = {}
    result = IngestResult(load_id=load_id, changed=True, code_changed=code_changed, removed=removed)
    todo = [f for f in files if not _still_landed(build, before.get(f.source_file), keys[f.source_file])]
    for f in todo:
        # before landing: a lander that writes its own Parquet writes to the same paths
        _remove_landed(build, state.get("files", {}).get(f.source_file))
    landed_now = _land_all(todo, ctx)
    for f in files:
        old = before.get(f.source_file)
        if f.source_file not in landed_now:
            records[f.source_file] = {**old, "size": f.size, "mtime_ns": f.mtime_ns}
            continue
        records[f.source_file] = {
            "key": keys[f.source_file],
            "size": f.size,
            "mtime_ns": f.mtime_ns,
            "sha256": f.sha256,
            "modified_at": f.modified_at.isoformat(),
            "raw_kind": f.raw_kind,
            "file_format": f.file_format,
            **landed_now[f.source_file],
            "load_id": load_id,
        }
        result.landed.append(f.source_file)
        previous = state.get("files", {}).get(f.source_file)
        # a loaded file landed again: what dbt staged (or read) from it before is stale (a ZIP
        # holds nothing itself: its members say what changed)
        stale = bool(previous) and previous.get("status") == "loaded"
        stale = stale and (
            bool(previous.get("landed")) or (previous.get("sha256") != f.sha256 and f.file_format != "zip")
        )
        (result.changed_in_place if stale else result.new).append(f.source_file)
    for source_file in removed:
        _remove_landed(build, state["files"][source_file])
    _remove_orphans(build, records)
    landing.ensure_empty_files(build)
    write_manifest(build, files, records, now)
    landing.write_state(
        build,
        {
            "version": landing.STATE_VERSION,
            "last_load_id": load_id,
            "code": code,
            "files": records,
            "ingested_at": now.isoformat(),
        },
    )
    _fill_counts(result, records)
    return result


# Below this many bytes to land, one process is faster than starting workers.
PARALLEL_MIN_BYTES = 64 * 2**20


def _land(f: RawFile, ctx: LandContext) -> dict:
    """Land one file: the fields of its state record that landing decides."""
    landed = classify(f, ctx)
    root = landing.landed_root(ctx.build)
    written = [
        landing.landed_path(ctx.build, table, f.source_file).relative_to(root).as_posix() for table in landed.written
    ]
    for table, rows in landed.rows.items():
        if rows:
            path = landing.landed_path(ctx.build, table, f.source_file)
            landing.write_rows(path, table, rows, {"load_id": ctx.load_id, "source_file": f.source_file})
            written.append(path.relative_to(root).as_posix())
    return {
        "export_layout": landed.export_layout,
        "status": landed.status,
        "reason": landed.reason,
        "landed_row_count": landed.landed_row_count,
        "rows_by_list": _rows_by_list(landed),
        "landed": written,
    }


def _land_all(todo: list[RawFile], ctx: LandContext) -> dict[str, dict]:
    """Land the files, on every core when there is enough to land: each file is independent
    (its own Parquet files), the largest go first so a big CSV does not finish last alone. The
    workers start from a fresh process (forkserver), not a copy of this one with its threads."""
    workers = min(os.cpu_count() or 1, len(todo))
    if workers <= 1 or sum(f.size for f in todo) < PARALLEL_MIN_BYTES:
        return {f.source_file: _land(f, ctx) for f in todo}
    largest_first = sorted(todo, key=lambda f: -f.size)
    context = multiprocessing.get_context("forkserver")
    with context.Pool(workers, initializer=_start_worker, initargs=(ctx,)) as pool:
        return dict(pool.imap_unordered(_land_in_worker, largest_first))


_WORKER_CONTEXT: LandContext | None = None


def _start_worker(ctx: LandContext) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = ctx


def _land_in_worker(f: RawFile) -> tuple[str, dict]:
    return f.source_file, _land(f, _WORKER_CONTEXT)


def _key(file: RawFile, ctx: LandContext) -> str:
    extra = FINGERPRINTS.get(file.raw_kind)
    return file.sha256 + ("|" + extra(file, ctx) if extra else "")


def _rows_by_list(landed: Landed) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in landed.rows.get("export_items", ()):
        counts[row["list_name"]] = counts.get(row["list_name"], 0) + 1
    return counts


def _still_landed(build: Path, record: dict | None, key: str) -> bool:
    """The file was landed with this key before and its landed files are all there."""
    if not record or record.get("key") != key:
        return False
    return all((landing.landed_root(build) / rel).exists() for rel in record.get("landed", ()))


def _remove_landed(build: Path, record: dict | None) -> None:
    for rel in (record or {}).get("landed", ()):
        (landing.landed_root(build) / rel).unlink(missing_ok=True)


def _remove_orphans(build: Path, records: dict[str, dict]) -> None:
    """Landed files no record names (a state lost or from another version): gone."""
    keep = {rel for record in records.values() for rel in record.get("landed", ())}
    for table in LANDED_TABLES:
        folder = landing.table_dir(build, table)
        if not folder.exists():
            continue
        for path in folder.iterdir():
            rel = path.relative_to(landing.landed_root(build)).as_posix()
            if path.name in (landing.EMPTY_FILE, landing.MANIFEST_FILE):
                continue
            if rel not in keep:
                path.unlink(missing_ok=True)


def _fill_counts(result: IngestResult, records: dict[str, dict]) -> None:
    for source_file, record in sorted(records.items()):
        result.status_counts[record["status"]] = result.status_counts.get(record["status"], 0) + 1
        if record["status"] == "unreadable":
            result.unreadable.append((source_file, record["reason"]))
        for list_name, n in record.get("rows_by_list", {}).items():
            result.rows_by_list[list_name] = result.rows_by_list.get(list_name, 0) + n


def write_manifest(build: Path, files: list[RawFile], records: dict[str, dict], now: datetime) -> None:
    rows = []
    for f in files:
        record = records[f.source_file]
        rows.append(
            {
                "load_id": record["load_id"],
                "source_file": f.source_file,
                "raw_kind": f.raw_kind,
                "file_format": f.file_format,
                "file_size": f.size,
                "file_sha256": f.sha256 or None,
                "file_modified_at": f.modified_at,
                "export_layout": record["export_layout"],
                "file_status": record["status"],
                "status_reason": record["reason"],
                "landed_row_count": record["landed_row_count"],
                "ingested_at": now,
            }
        )
    landing.write_rows(landing.table_dir(build, "manifest") / landing.MANIFEST_FILE, "manifest", rows)
