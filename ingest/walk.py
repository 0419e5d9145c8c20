"""Walk the raw folder: every file and every ZIP member becomes a RawFile (a manifest row), ZIPs
are unpacked into <build>/unpacked/, and each file's sha256 is known.

A file's sha256 is taken from the previous run's state while its size and modification time are
unchanged, so a run over an unchanged folder reads no file. ZIPs are unpacked again only when
their bytes change; unpacked folders of ZIPs that are gone are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ingest.landing import make_folder, write_bytes
from ingest.registry import FILE_FORMATS, RAW_KINDS

# JSON inside, but no .json suffix: nothing that globs the unpacked files takes it for an export
ZIP_STAMP = ".ingest_zip_members"
HASH_CHUNK = 1 << 20


@dataclass
class RawFile:
    """One file under the raw folder, or one member of a ZIP there."""

    source_file: str  # relative to the raw dir, `/`-separated; a ZIP member: <zip path>/<member>
    path: Path | None  # where to read it (the raw dir, or the unpacked copy); None: not unpacked
    raw_kind: str  # export, video_metadata, claims, top_creators, profiles, other
    file_format: str  # json, txt, csv, zip, other
    size: int
    sha256: str
    modified_at: datetime
    mtime_ns: int = 0
    zip_file: str | None = None  # the ZIP's source_file, for a member
    problem: str | None = None  # found while walking: the file cannot be read (manifest: unreadable)
    note: str | None = None  # found while walking: why a file is not read (e.g. a ZIP inside a ZIP)

    def read_bytes(self) -> bytes:
        if self.path is None:
            raise FileNotFoundError(self.source_file)
        return self.path.read_bytes()

    @property
    def name(self) -> str:
        return PurePosixPath(self.source_file).name


def raw_kind_of(source_file: str) -> str:
    first = source_file.split("/", 1)[0]
    return first if first in RAW_KINDS and "/" in source_file else "other"


def file_format_of(name: str) -> str:
    return FILE_FORMATS.get(PurePosixPath(name).suffix.lower(), "other")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _modified(ts_ns: int) -> datetime:
    return datetime.fromtimestamp(ts_ns / 1e9, UTC).replace(tzinfo=None)


def walk(raw: Path, build: Path, known: dict[str, dict] | None = None) -> list[RawFile]:
    """Every file under `raw` (sorted by source_file), ZIP members after their ZIP. `known` is the
    previous run's state per source_file (size, mtime_ns, sha256): unchanged files are not read."""
    known = known or {}
    files: list[RawFile] = []
    wanted_unpacked: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(raw):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if not path.is_file():
                continue  # a broken symlink, a socket: not a file
            source_file = path.relative_to(raw).as_posix()
            stat = path.stat()
            before = known.get(source_file, {})
            if before.get("size") == stat.st_size and before.get("mtime_ns") == stat.st_mtime_ns:
                sha = before["sha256"]
            else:
                sha = file_sha256(path)
            entry = RawFile(
                source_file=source_file,
                path=path,
                raw_kind=raw_kind_of(source_file),
                file_format=file_format_of(filename),
                size=stat.st_size,
                sha256=sha,
                modified_at=_modified(stat.st_mtime_ns),
                mtime_ns=stat.st_mtime_ns,
            )
            files.append(entry)
            if entry.file_format == "zip":
                dest = unpacked_dir(build, source_file)
                wanted_unpacked.add(dest)
                files += unpack_zip(entry, dest)
    remove_stale_unpacked(build, wanted_unpacked)
    return files


def unpacked_dir(build: Path, zip_source_file: str) -> Path:
    return build / "unpacked" / zip_source_file


def member_is_safe(name: str) -> bool:
    """No absolute path, drive letter or `..`: a member must stay inside its folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    return not (path.is_absolute() or ".." in path.parts or ":" in (path.parts[0] if path.parts else ""))


def _zip_time(info: zipfile.ZipInfo) -> datetime:
    try:
        return datetime(*info.date_time)
    except ValueError:
        return datetime(1980, 1, 1)


def unpack_zip(zip_entry: RawFile, dest: Path) -> list[RawFile]:
    """The members of a ZIP as RawFiles, unpacked into `dest` unless the stamp there says these
    bytes were unpacked already. Every member is listed; unsafe ones are not unpacked."""
    stamp_path = dest / ZIP_STAMP
    stamp = None
    if stamp_path.exists():
        try:
            stamp = json.loads(stamp_path.read_text())
        except ValueError:
            stamp = None
    if stamp is None or stamp.get("zip_sha256") != zip_entry.sha256:
        try:
            stamp = _extract(zip_entry, dest)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
            zip_entry.problem = f"not a readable ZIP file ({exc})"
            shutil.rmtree(dest, ignore_errors=True)
            return []
    members = []
    for name, info in stamp["members"].items():
        source_file = f"{zip_entry.source_file}/{name}"
        safe = info["safe"]
        member = RawFile(
            source_file=source_file,
            path=(dest / name) if safe else None,
            raw_kind=zip_entry.raw_kind,
            file_format=file_format_of(name),
            size=info["size"],
            sha256=info["sha256"],
            modified_at=datetime.fromisoformat(info["modified_at"]),
            zip_file=zip_entry.source_file,
        )
        if not safe:
            member.problem = "unsafe path inside the ZIP (absolute, or climbing out with `..`): not unpacked"
        elif member.file_format == "zip":
            member.note = "a ZIP inside a ZIP is not unpacked: unzip it into the raw folder"
        members.append(member)
    return members


def _extract(zip_entry: RawFile, dest: Path) -> dict:
    """Unpack into a temporary sibling folder, then swap it in: a killed run leaves no half ZIP."""
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    make_folder(tmp)
    members: dict[str, dict] = {}
    with zipfile.ZipFile(zip_entry.path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = info.filename.replace("\\", "/")
            safe = member_is_safe(name)
            data = zf.read(info) if safe else b""
            members[name] = {
                "safe": safe,
                "size": info.file_size,
                "sha256": hashlib.sha256(data).hexdigest() if safe else "",
                "modified_at": _zip_time(info).isoformat(),
            }
            if safe:
                out = tmp / name
                make_folder(out.parent)
                write_bytes(out, data)
    stamp = {"zip_sha256": zip_entry.sha256, "members": members}
    write_bytes(tmp / ZIP_STAMP, json.dumps(stamp, indent=1).encode())
    shutil.rmtree(dest, ignore_errors=True)
    make_folder(dest.parent)
    os.replace(tmp, dest)
    return stamp


def remove_stale_unpacked(build: Path, wanted: set[Path]) -> None:
    """Unpacked folders of ZIPs that are gone (or renamed), and leftovers of killed runs."""
    root = build / "unpacked"
    if not root.exists():
        return
    for folder in sorted(root.rglob("*"), key=lambda p: len(p.parts)):
        if not folder.is_dir() or not folder.exists():
            continue
        if any(w in folder.parents for w in wanted):
            continue  # inside an unpacked ZIP: its own content
        name = folder.name.lower()
        stale = name.endswith(".partial") or (name.endswith(".zip") and folder not in wanted)
        if stale and not any(folder in w.parents for w in wanted):
            shutil.rmtree(folder, ignore_errors=True)
