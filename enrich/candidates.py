"""Which videos to look up: the ids the last build staged, read-only, most important first.

Favourites, likes and shares first, then watches, each most recent first (a favourite says
more about taste than one more scroll past a video). Read from the published warehouse
(TIKTOK_WAREHOUSE, the readers' copy) or, failing that, the build's own DuckDB file; the
staged tables are public names kept by the export staging whatever reads the raw files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# (list, table, time column), in priority order.
ENGAGED_LISTS = (
    ("favorite", "stg_tiktok_export__favorite_videos", "favorited_at"),
    ("like", "stg_tiktok_export__likes", "liked_at"),
    ("share", "stg_tiktok_export__shares", "shared_at"),
    ("watch", "stg_tiktok_export__watches", "watched_at"),
)
# The same link forms the staging models read (macro video_id_from_link), and a bare id.
VIDEO_ID_IN_LINK = re.compile(r"/(?:video|v)/(\d{6,20})")
BARE_ID = re.compile(r"^\s*(\d{15,20})\s*$")


class NoBuild(RuntimeError):
    """Neither the published warehouse nor the build file holds the staged export tables."""


@dataclass(frozen=True)
class Candidates:
    video_ids: list[int]  # priority order
    first_list: dict[int, str]  # video id -> the most important list it is on
    accounts: list[str]  # the exports' own user names (for the own-video listing)
    source: Path  # the DuckDB file read

    def count_by_list(self) -> dict[str, int]:
        counts = {name: 0 for name, _, _ in ENGAGED_LISTS}
        for name in self.first_list.values():
            counts[name] = counts.get(name, 0) + 1
        return counts


def _tables(con) -> set[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'staging'"
    ).fetchall()
    views = con.execute(
        "select view_name from duckdb_views() where database_name = current_database() and schema_name = 'staging'"
    ).fetchall()
    return {name for (name,) in rows + views}


def read_candidates(warehouse: Path, build_file: Path) -> Candidates:
    """The engaged video ids of the last build. Raises NoBuild with what was looked for."""
    import duckdb

    problems = []
    for path in (warehouse, build_file):
        if not path.exists():
            problems.append(f"{path}: not there")
            continue
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:  # a build holding the lock, a foreign file
            problems.append(f"{path}: cannot open read-only ({str(exc).splitlines()[0]})")
            continue
        try:
            tables = _tables(con)
            present = [(name, table, at) for name, table, at in ENGAGED_LISTS if table in tables]
            if not present:
                problems.append(f"{path}: no staged export tables")
                continue
            selects = " union all ".join(
                f"select video_id, {rank} as priority, '{name}' as list_name, {at} as event_at "
                f"from staging.{table} where video_id is not null"
                for rank, (name, table, at) in enumerate(ENGAGED_LISTS)
                if (name, table, at) in present
            )
            rows = con.execute(
                f"""
                with events as ({selects}),
                -- each video once, on its most important list, ordered by its latest event there
                per_list as (
                    select video_id, priority, list_name, max(event_at) as last_at
                    from events group by video_id, priority, list_name
                ),
                ranked as (
                    select *, row_number() over (partition by video_id order by priority) as list_rank
                    from per_list
                )
                select video_id, list_name from ranked
                where list_rank = 1
                order by priority, last_at desc nulls last, video_id
                """
            ).fetchall()
            accounts = []
            if "stg_tiktok_export__profiles" in tables:
                accounts = [
                    name
                    for (name,) in con.execute(
                        "select distinct lower(trim(user_name)) from staging.stg_tiktok_export__profiles "
                        "where user_name is not null and trim(user_name) <> '' order by 1"
                    ).fetchall()
                ]
        finally:
            con.close()
        ids = [int(video_id) for video_id, _ in rows]
        return Candidates(ids, {int(v): name for v, name in rows}, accounts, path)
    raise NoBuild(
        "no build to read video ids from: run `make build` first (or `make enrich`, which builds when "
        "there is none).\n  " + "\n  ".join(problems)
    )


def video_id_of(text: str) -> int | None:
    """A video id out of a pasted link (long, share or /v/ form) or a bare id."""
    match = VIDEO_ID_IN_LINK.search(text) or BARE_ID.match(text)
    return int(match.group(1)) if match else None


def read_links_file(path: Path) -> tuple[list[int], list[str]]:
    """The video ids of a file of pasted links, one per line (blank lines and `#` comments
    skipped), in file order without repeats, and a note per line that holds no id."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the links file ({exc})") from exc
    ids: dict[int, None] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        video_id = video_id_of(line)
        if video_id is None:
            hint = (
                " (a short link: open it once in a browser and paste the long link it turns into)"
                if re.search(r"//(vm|vt)\.tiktok\.com/|tiktok\.com/t/", line)
                else ""
            )
            problems.append(f"{path.name} line {number}: no video id in {line[:80]!r}{hint}")
        else:
            ids.setdefault(video_id, None)
    return list(ids), problems
