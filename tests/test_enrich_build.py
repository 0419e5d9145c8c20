"""`make enrich && make build` on an export with no captions at all, against the local oEmbed
stand-in: the enrichment file gives captions to the watched videos and the influence marts tag
their themes. Builds extra warehouses: slow."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, build_env, run_pipeline
from oembed_server import FakeOEmbed

ACCOUNT = "no.captions"
CAPTIONS = ["weeknight pasta #recipe #fyp", "learn this in 10 minutes #dance", "my cat vs the vacuum #funny"]
THEMES = {"food", "dance", "comedy"}
WATCHED, MISSING = 80, 2  # two watched videos are gone (404): 97.5% can get a caption


def video_id(n: int) -> int:
    """A plausible id: created n hours after 2024-06-01 (the top 32 bits are Unix seconds)."""
    return ((1717200000 + n * 3600) << 32) | (n * 7919)


def export_without_captions(raw: Path) -> dict[str, list[int]]:
    """A v3 export shaped like the real ones: watch, like and favourite items are only a date
    and a link; no post, no caption anywhere."""
    watched = [video_id(i) for i in range(WATCHED)]
    liked = [video_id(i) for i in range(0, 20, 2)] + [video_id(500 + i) for i in range(3)]
    favourites = [video_id(1), video_id(600)]

    def items(ids, minute, date_key="Date", link_key="Link"):
        # each list at its own minute: event ids are md5(account, time, video id) per list
        return [
            {
                date_key: f"2024-07-{1 + i % 28:02d} {i % 24:02d}:{minute:02d}:00",
                link_key: f"https://www.tiktokv.com/share/video/{v}/",
            }
            for i, v in enumerate(ids)
        ]

    doc = {
        "Comment": {"Comments": {"CommentsList": None}},
        "Direct Message": {"Direct Messages": {"ChatHistory": None}},
        "Likes and Favorites": {
            "Like List": {"ItemFavoriteList": items(liked, 10, "date", "link")},
            "Favorite Videos": {"FavoriteVideoList": items(favourites, 20)},
            "Favorite Sounds": {"FavoriteSoundList": None},
            "Favorite Hashtags": {"FavoriteHashtagList": None},
        },
        "Post": {"Posts": {"VideoList": None}},
        "Profile And Settings": {"Profile Info": {"ProfileMap": {"userName": ACCOUNT, "bioDescription": ""}}},
        "Your Activity": {
            "Watch History": {"VideoList": items(watched, 0)},
            "Searches": {"SearchList": None},
        },
    }
    path = raw / "export" / ACCOUNT / "user_data_tiktok.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return {"watched": watched, "liked": liked, "favourites": favourites}


def enrich(env: dict, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "enrich", "--no-progress", "--rate", "20", "--backoff", "0.01", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    return proc


@pytest.mark.slow
def test_enrich_then_build_captions_an_export_without_captions_and_tags_its_themes(tmp_path):
    raw = tmp_path / "raw"
    ids = export_without_captions(raw)
    # The user's own metadata for one watched video: it wins over the enriched row.
    (raw / "video_metadata").mkdir()
    own = video_id(5)
    (raw / "video_metadata" / "mine.csv").write_text(
        f"video_id,description,hashtags\n{own},my own words #dance,#dance\n", encoding="utf-8"
    )
    server = FakeOEmbed()
    try:
        gone = set(ids["watched"][-MISSING:])  # watched only: on no other list
        for n, video in enumerate(v for v in ids["watched"] + ids["liked"] + ids["favourites"] if v not in gone):
            server.add(video, CAPTIONS[n % len(CAPTIONS)], handle=f"creator{n % 7}")
        build, published = tmp_path / "build", tmp_path / "published" / "warehouse.duckdb"
        env = build_env(raw, build, published, TIKTOK_OEMBED_URL=server.url, TIKTOK_CACHE_DIR=str(tmp_path / "cache"))

        # 1. make enrich on a fresh machine: no build yet, so it builds first (the enrichment
        #    file does not exist then: an empty input), then looks every engaged video up.
        first = enrich(env, "--build-if-missing")
        assert "no build yet" in first.stdout
        distinct = set(ids["watched"]) | set(ids["liked"]) | set(ids["favourites"])
        assert sorted(server.ids_requested()) == sorted(distinct)
        # before: only the one watched video the user's own CSV describes has a theme
        assert tagged_watches(published) == 1, "an export without captions had watched themes before enrichment"

        # 2. make build: the enrichment file feeds the video metadata, the themes follow.
        log = run_pipeline(env, "build", "--skip-ml").stdout
        # new video metadata tags every account's themes: the incremental models start again
        assert "full refresh of the incremental models: enrichment/video_metadata.csv is new video metadata" in log, (
            log[:3000]
        )
        con = duckdb.connect(str(published), read_only=True)
        try:
            captioned, watched = con.execute(
                """
                select count(distinct w.video_id) filter (where m.description is not null), count(distinct w.video_id)
                from staging.stg_tiktok_export__watches as w
                left join staging.stg_video_metadata__videos as m on w.video_id = m.video_id
                """
            ).fetchone()
            print(f"\nwatched videos captioned after enrich + build: {captioned}/{watched} = {captioned / watched:.1%}")
            assert watched == WATCHED and captioned / watched >= 0.95
            origin, description = con.execute(
                "select metadata_origin, description from staging.stg_video_metadata__videos where video_id = ?", [own]
            ).fetchone()
            assert (origin, description) == ("user", "my own words #dance"), "the user's own row must win"
            themes = {
                theme
                for (theme,) in con.execute(
                    "select theme from marts.account_theme_distribution "
                    "where account_id = ? and theme_source = 'watched' and theme_event_count > 0",
                    [ACCOUNT],
                ).fetchall()
            }
            assert themes >= THEMES, themes
            assert tagged_watches(published) >= 0.95 * WATCHED - 1
            liked_themes = con.execute(
                "select count(*) from marts.account_theme_distribution where account_id = ? and theme_source = 'liked'",
                [ACCOUNT],
            ).fetchone()[0]
            assert liked_themes > 0
            reconciliation = {
                row[0]: row[1:]
                for row in con.execute(
                    "select source_file, metadata_origin, raw_rows, staged_rows, quarantined_rows, duplicate_rows "
                    "from audit.video_metadata_reconciliation"
                ).fetchall()
            }
        finally:
            con.close()
        enriched_rows = len(distinct) - MISSING
        assert reconciliation["enrichment/video_metadata.csv"] == ("enrichment", enriched_rows, enriched_rows - 1, 0, 1)
        assert reconciliation["video_metadata/mine.csv"] == ("user", 1, 1, 0, 0)

        # 3. make enrich again: nothing new to ask, the file is left as it was, the build has
        #    nothing to do.
        stamp = (build / "enrichment" / "video_metadata.csv").stat().st_mtime_ns
        enrich(env)
        assert len(server.requests) == len(distinct), "a rerun asked again for a known video"
        assert (build / "enrichment" / "video_metadata.csv").stat().st_mtime_ns == stamp
        assert "==> building nothing" in run_pipeline(env, "build", "--skip-ml").stdout

        # 4. make clean keeps the cache: after it, make enrich rebuilds and asks nothing.
        shutil.rmtree(build)
        enrich(env, "--build-if-missing")
        assert len(server.requests) == len(distinct)
        assert (build / "enrichment" / "video_metadata.csv").exists()
    finally:
        server.close()


def tagged_watches(db: Path) -> int:
    """Watch events with at least one theme (marts.account_theme_distribution)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select coalesce(max(tagged_event_count), 0) from marts.account_theme_distribution "
            "where account_id = ? and theme_source = 'watched'",
            [ACCOUNT],
        ).fetchone()[0]
    finally:
        con.close()
