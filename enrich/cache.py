"""The persistent lookup cache: SQLite in TIKTOK_CACHE_DIR, outside the build dir.

Every answer is committed as it arrives, so a run stopped by Ctrl-C (or a crash, or a dropped
network) resumes where it stopped: a rerun asks only for what the cache does not know. "Found"
is kept for good (captions rarely change); "not found" (deleted, private, never public) for a
while only (Tuning.not_found_ttl_days), then it is asked again. Failures are not cached: they
are retried by the next run. The own-video list (pasted links, the account listing) is kept
here too, so that every later run writes those videos into the enrichment file.

The cache holds the ids of videos the user watched: owner-only, like every file the build
writes (TIKTOK_FILE_MODE).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from enrich.backends.base import VideoRecord
from ingest.landing import file_mode, make_folder

SCHEMA_VERSION = "1"
SCHEMA = """
create table if not exists meta (key text primary key, value text not null);
create table if not exists lookups (
    backend text not null,
    video_id text not null,
    status text not null check (status in ('found', 'not_found')),
    looked_up_at real not null,
    reason text,
    record text,
    primary key (backend, video_id)
);
create table if not exists own_videos (
    video_id text primary key,
    source text not null,
    added_at real not null
);
"""


@dataclass(frozen=True)
class Known:
    status: str  # found | not_found
    looked_up_at: float


class Cache:
    """One connection, used by the fetch loop's main thread only (workers never write)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        make_folder(path.parent)
        self.con = sqlite3.connect(str(path), timeout=30)
        path.chmod(file_mode())
        self.con.execute("pragma journal_mode = wal")
        self.con.execute("pragma synchronous = normal")
        self.con.executescript(SCHEMA)
        version = self.con.execute("select value from meta where key = 'schema_version'").fetchone()
        if version is None:
            self.con.execute("insert into meta values ('schema_version', ?)", (SCHEMA_VERSION,))
        elif version[0] != SCHEMA_VERSION:
            raise RuntimeError(
                f"{path}: cache schema {version[0]}, this version reads {SCHEMA_VERSION}: remove the file"
            )
        self.con.commit()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ lookups
    def known(self, backend: str, not_found_ttl_days: float, now: float | None = None) -> dict[int, Known]:
        """What this backend already answered: found ones, and not-found ones younger than the TTL."""
        now = time.time() if now is None else now
        oldest = now - not_found_ttl_days * 86400
        rows = self.con.execute(
            "select video_id, status, looked_up_at from lookups where backend = ? "
            "and (status = 'found' or looked_up_at >= ?)",
            (backend, oldest),
        )
        return {int(video_id): Known(status, at) for video_id, status, at in rows}

    def put_found(self, backend: str, record: VideoRecord, now: float | None = None) -> None:
        self.con.execute(
            "insert or replace into lookups values (?, ?, 'found', ?, null, ?)",
            (backend, str(record.video_id), time.time() if now is None else now, json.dumps(record.to_json())),
        )
        self.con.commit()

    def put_not_found(self, backend: str, video_id: int, reason: str | None, now: float | None = None) -> None:
        self.con.execute(
            "insert or replace into lookups values (?, ?, 'not_found', ?, ?, null)",
            (backend, str(video_id), time.time() if now is None else now, reason),
        )
        self.con.commit()

    def forget(self, backend: str, video_ids: Iterable[int]) -> None:
        self.con.executemany(
            "delete from lookups where backend = ? and video_id = ?", [(backend, str(v)) for v in video_ids]
        )
        self.con.commit()

    def forget_not_found(self) -> int:
        count = self.con.execute("delete from lookups where status = 'not_found'").rowcount
        self.con.commit()
        return count

    def found_records(self, video_ids: Iterable[int] | None = None) -> dict[int, list[VideoRecord]]:
        """Found records by video id (every backend that found it, newest first)."""
        wanted = None if video_ids is None else {int(v) for v in video_ids}
        out: dict[int, list[VideoRecord]] = {}
        rows = self.con.execute(
            "select video_id, record from lookups where status = 'found' order by looked_up_at desc"
        )
        for video_id, record in rows:
            vid = int(video_id)
            if wanted is None or vid in wanted:
                out.setdefault(vid, []).append(VideoRecord.from_json(json.loads(record)))
        return out

    # ------------------------------------------------------------------ own videos
    def add_own_videos(self, video_ids: Iterable[int], source: str) -> None:
        now = time.time()
        self.con.executemany(
            "insert into own_videos values (?, ?, ?) on conflict (video_id) do nothing",
            [(str(v), source, now) for v in video_ids],
        )
        self.con.commit()

    def own_videos(self) -> list[int]:
        return [int(v) for (v,) in self.con.execute("select video_id from own_videos order by video_id")]

    def forget_own_videos(self) -> int:
        count = self.con.execute("delete from own_videos").rowcount
        self.con.commit()
        return count

    # ------------------------------------------------------------------ stats
    def stats(self) -> list[tuple[str, str, int]]:
        return self.con.execute("select backend, status, count(*) from lookups group by 1, 2 order by 1, 2").fetchall()
