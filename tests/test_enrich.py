"""Enrichment (python -m enrich): against a local oEmbed stand-in on 127.0.0.1, never the network.

The stand-in (tests/oembed_server.py) answers in the documented oEmbed shape, 404 for unknown
ids, 429 with Retry-After when told, slowly when told; it counts every request, so "no request
for a known id" is a count at the server. yt-dlp is tested on recorded extractor output only
(tests/fixtures/enrich/). One test goes to TikTok for real, only with TIKTOK_ENRICH_NETWORK=1.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest
from conftest import IN_CI, REPO
from oembed_server import FakeOEmbed, documented_answer

import tiktok_settings
from enrich import cli
from enrich.backends.base import BackendChanged, RateLimited, TransientError, VideoRecord, sound_title_of
from enrich.backends.oembed import OEmbedBackend, parse_embed_html, record_from_answer, retry_after_seconds
from enrich.backends.ytdlp import YtDlpBackend, record_from_info
from enrich.cache import Cache
from enrich.candidates import NoBuild, read_candidates, read_links_file, video_id_of
from enrich.fetch import Fetcher
from enrich.output import COLUMNS, merge
from enrich.settings import Tuning

FIXTURES = REPO / "tests" / "fixtures" / "enrich"
# Fast retries and a quick rate for the tests; the defaults are tested on their own.
FAST = ["--no-progress", "--backoff", "0.01", "--rate", "20", "--workers", "3", "--timeout", "2"]
BASE_ID = 7300000000000000000
DOCUMENTED_HTML = (
    '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/6718335390845095173" '
    'data-video-id="6718335390845095173" data-embed-from="oembed" style="max-width: 605px;min-width: 325px;" > '
    '<section> <a target="_blank" title="@scout2015" '
    'href="https://www.tiktok.com/@scout2015?refer=embed">@scout2015</a> '
    "<p>Scramble up ur name &#38; I'll try to guess it😍❤️ "
    '<a title="foryoupage" target="_blank" href="https://www.tiktok.com/tag/foryoupage?refer=embed">#foryoupage</a> '
    '<a title="petsoftiktok" target="_blank" '
    'href="https://www.tiktok.com/tag/petsoftiktok?refer=embed">#petsoftiktok</a> '
    '<a title="aesthetic" target="_blank" href="https://www.tiktok.com/tag/aesthetic?refer=embed">#aesthetic</a></p> '
    '<a target="_blank" title="♬ original sound - tiff" '
    'href="https://www.tiktok.com/music/original-sound-6689804660171082501?refer=embed">♬ original sound - tiff</a> '
    "</section> </blockquote>"
)


def vid(n: int) -> int:
    return BASE_ID + n


def make_build_db(path: Path, watches=(), likes=(), favorites=(), shares=(), profiles=()) -> Path:
    """A DuckDB file with the staged tables enrich reads: lists of (video id, 'YYYY-MM-DD HH:MM:SS')."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema staging")
    for table, column, rows in (
        ("stg_tiktok_export__watches", "watched_at", watches),
        ("stg_tiktok_export__likes", "liked_at", likes),
        ("stg_tiktok_export__favorite_videos", "favorited_at", favorites),
        ("stg_tiktok_export__shares", "shared_at", shares),
    ):
        con.execute(f"create table staging.{table} (account_id varchar, video_id bigint, {column} timestamp)")
        if rows:
            con.executemany(f"insert into staging.{table} values ('me', ?, ?)", [list(r) for r in rows])
    con.execute("create table staging.stg_tiktok_export__profiles (account_id varchar, user_name varchar)")
    if profiles:
        con.executemany("insert into staging.stg_tiktok_export__profiles values (?, ?)", [[p, p] for p in profiles])
    con.close()
    return path


@pytest.fixture
def server():
    fake = FakeOEmbed()
    yield fake
    fake.close()


@pytest.fixture
def env(tmp_path, server, monkeypatch):
    """TIKTOK_* pointing at tmp dirs and the stand-in; returns the build dir."""
    build = tmp_path / "build"
    monkeypatch.setenv("TIKTOK_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("TIKTOK_BUILD_DIR", str(build))
    monkeypatch.setenv("TIKTOK_WAREHOUSE", str(tmp_path / "published" / "warehouse.duckdb"))
    monkeypatch.setenv("TIKTOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TIKTOK_OEMBED_URL", server.url)
    monkeypatch.delenv("TIKTOK_FILE_MODE", raising=False)
    return build


def watches(n: int, start: int = 0) -> list[tuple[int, str]]:
    return [(vid(i), f"2025-01-{1 + i % 28:02d} 10:{i % 60:02d}:00") for i in range(start, start + n)]


def read_output(build: Path) -> list[dict]:
    with open(build / "enrichment" / "video_metadata.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def fast_tuning(**kw) -> Tuning:
    return Tuning(**{"rate": 20, "workers": 3, "timeout": 2, "backoff": 0.01, **kw})


# ---------------------------------------------------------------------------- parsing the answers
def test_embed_html_of_the_documented_example_gives_sound_and_tags():
    parsed = parse_embed_html(DOCUMENTED_HTML)
    assert parsed == {
        "sound_title": "original sound - tiff",
        "sound_id": "6689804660171082501",
        "tags": "#foryoupage #petsoftiktok #aesthetic",
    }


def test_record_from_a_documented_answer_fills_the_contract():
    answer = documented_answer(
        6718335390845095173,
        "Scramble up ur name #foryoupage #PetsOfTikTok",
        "scout2015",
        "Renegade - K Camp",
        "123456789",
    )
    record = record_from_answer(6718335390845095173, answer)
    assert record.description == "Scramble up ur name #foryoupage #PetsOfTikTok"
    assert record.hashtags == "#foryoupage #PetsOfTikTok"  # title and embed tags, each once
    assert record.author_handle == "scout2015"
    assert record.sound_title == "Renegade - K Camp"
    assert record.sound_id == "123456789"
    assert record.video_link == "https://www.tiktok.com/@scout2015/video/6718335390845095173"
    assert record.fetch_source == "oembed"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record.fetched_at)


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    from email.utils import formatdate

    in_a_minute = retry_after_seconds(formatdate(time.time() + 60, usegmt=True))
    assert 55 <= in_a_minute <= 61


def test_sound_title_is_title_dash_artist_as_a_post_names_it():
    assert sound_title_of("Big Fun", "Evan Todd") == "Big Fun - Evan Todd"
    assert sound_title_of("original sound - tiff", "tiff") == "original sound - tiff"
    assert sound_title_of("Renegade", None) == "Renegade"
    assert sound_title_of(None, "x") is None


def test_merge_takes_each_field_from_the_newest_backend_that_has_it():
    oembed = VideoRecord(
        1,
        description="caption #a",
        sound_title="x - y",
        sound_id="9",
        author_handle="h",
        fetched_at="2026-11-02T00:00:00Z",
        fetch_source="oembed",
    )
    ytdlp = VideoRecord(
        1,
        description="caption #a",
        sound_title="x - y, z",
        author_handle="h",
        fetched_at="2026-11-01T00:00:00Z",
        fetch_source="ytdlp",
    )
    merged = merge([oembed, ytdlp])
    assert (merged.sound_title, merged.sound_id, merged.fetch_source) == ("x - y", "9", "oembed")
    merged = merge([VideoRecord(1, description=None, fetch_source="oembed", fetched_at="b"), ytdlp])
    assert merged.description == "caption #a" and merged.fetch_source == "ytdlp"


def test_contact_details_in_captions_never_reach_the_file():
    from enrich.output import mask_contacts

    caption = "collab 📩 biz.me+tt@gmail.com or +1 (555) 123-4567, ask @skyandtami #food 2024 10-minute 3.5"
    assert mask_contacts(caption) == "collab 📩 [email] or [phone], ask @skyandtami #food 2024 10-minute 3.5"
    merged = merge([VideoRecord(1, description="write me: me@example.org #cat", fetch_source="oembed")])
    assert merged.description == "write me: [email] #cat"


# ---------------------------------------------------------------------------- ids in, links in
def test_candidates_come_favourites_likes_shares_first_then_recent_watches(tmp_path):
    db = make_build_db(
        tmp_path / "w.duckdb",
        watches=[(vid(1), "2025-01-01 00:00:00"), (vid(2), "2025-03-01 00:00:00"), (vid(5), "2025-02-01 00:00:00")],
        likes=[(vid(3), "2024-01-01 00:00:00"), (vid(1), "2023-01-01 00:00:00")],
        favorites=[(vid(4), "2022-01-01 00:00:00")],
        shares=[(vid(6), "2024-05-01 00:00:00"), (None, "2024-05-01 00:00:00")],
        profiles=["Alex.Cooks"],
    )
    found = read_candidates(tmp_path / "missing.duckdb", db)
    assert found.video_ids == [vid(4), vid(3), vid(1), vid(6), vid(2), vid(5)]
    assert found.first_list[vid(1)] == "like"
    assert found.count_by_list() == {"favorite": 1, "like": 2, "share": 1, "watch": 2}
    assert found.accounts == ["alex.cooks"]
    assert found.source == db


def test_no_build_says_run_make_build_first(tmp_path):
    with pytest.raises(NoBuild, match="run `make build` first"):
        read_candidates(tmp_path / "a.duckdb", tmp_path / "b.duckdb")


def test_links_file_reads_every_link_form_and_names_the_lines_without_an_id(tmp_path):
    links = tmp_path / "my_videos.txt"
    links.write_text(
        "# my videos\n"
        f"https://www.tiktok.com/@me/video/{vid(1)}?is_from_webapp=1\n"
        f"https://www.tiktokv.com/share/video/{vid(2)}/\n\n"
        f"https://m.tiktok.com/v/{vid(3)}.html\n"
        f"{vid(4)}\n"
        f"https://www.tiktok.com/@me/video/{vid(1)}\n"
        "https://vm.tiktok.com/ZMabc123/\n",
        encoding="utf-8",
    )
    ids, problems = read_links_file(links)
    assert ids == [vid(1), vid(2), vid(3), vid(4)]
    assert len(problems) == 1 and "line 8" in problems[0] and "short link" in problems[0]
    assert video_id_of("https://www.tiktok.com/music/Sound-7012345678901234567") is None


# ---------------------------------------------------------------------------- the CLI against the stand-in
def test_rerun_asks_only_for_new_ids_and_remembers_not_found(env, server, tmp_path):
    db = make_build_db(env / "warehouse.duckdb", watches=watches(20))
    for i in range(18):  # two of the twenty are gone (404)
        server.add(vid(i), f"video {i} #food #easyrecipe")
    assert cli.main(FAST) == 0
    assert sorted(server.ids_requested()) == [vid(i) for i in range(20)]
    rows = read_output(env)
    assert [r["video_id"] for r in rows] == [str(vid(i)) for i in range(18)]

    assert cli.main(FAST) == 0  # everything known: found or not found
    assert len(server.requests) == 20, "a rerun asked again for a video the cache knows"

    make_build_db(db, watches=watches(22))  # the next build brings two more watches
    server.add(vid(21), "new one #dance")
    assert cli.main(FAST) == 0
    assert sorted(server.ids_requested()[20:]) == [vid(20), vid(21)]
    assert len(read_output(env)) == 19


def test_not_found_is_asked_again_after_its_ttl(env, server):
    make_build_db(env / "warehouse.duckdb", watches=watches(3))
    with Cache(tiktok_settings.current().cache_dir / "enrich.sqlite3") as cache:
        cache.put_not_found("oembed", vid(0), "HTTP 404", now=time.time() - 40 * 86400)  # stale
        cache.put_not_found("oembed", vid(1), "HTTP 404")  # fresh
    assert cli.main(FAST) == 0
    assert sorted(server.ids_requested()) == [vid(0), vid(2)]
    assert cli.main([*FAST, "--refresh-not-found"]) == 0
    assert sorted(server.ids_requested()[2:]) == [vid(0), vid(1), vid(2)]


def test_max_videos_is_a_budget_spent_on_the_most_important_first(env, server):
    make_build_db(
        env / "warehouse.duckdb",
        watches=[(vid(1), "2025-01-01 00:00:00"), (vid(2), "2025-06-01 00:00:00")],
        likes=[(vid(3), "2025-01-01 00:00:00")],
        favorites=[(vid(4), "2025-01-01 00:00:00")],
        shares=[(vid(5), "2025-01-01 00:00:00")],
    )
    for i in range(1, 6):
        server.add(vid(i), f"v{i}")
    one_at_a_time = [*FAST, "--workers", "1"]
    assert cli.main([*one_at_a_time, "--max-videos", "3"]) == 0
    assert server.ids_requested() == [vid(4), vid(3), vid(5)]  # favourite, like, share
    assert cli.main([*one_at_a_time, "--max-videos", "1"]) == 0
    assert server.ids_requested()[3:] == [vid(2)]  # then the most recent watch
    assert cli.main([*one_at_a_time, "--max-videos", "0"]) == 0
    assert len(server.requests) == 4
    assert cli.main(one_at_a_time) == 0
    assert server.ids_requested()[4:] == [vid(1)]


def test_dry_run_says_how_many_and_sends_nothing(env, server, capsys):
    make_build_db(env / "warehouse.duckdb", watches=watches(40), profiles=["me.myself"])
    assert cli.main([*FAST, "--dry-run", "--max-videos", "30", "--list-own-videos"]) == 0
    out = capsys.readouterr().out
    assert "would look up 30 of 40 videos" in out and "10 over --max-videos" in out
    assert "about 2 s at 20 requests/s" in out
    assert "would send your handle(s) @me.myself" in out
    assert server.requests == []
    assert not (env / "enrichment" / "video_metadata.csv").exists()


def test_the_sample_data_is_not_sent_to_tiktok(env, server, monkeypatch, capsys):
    from scripts.warehouse import DEFAULT_RAW

    make_build_db(env / "warehouse.duckdb", watches=watches(3))
    monkeypatch.setenv("TIKTOK_RAW_DIR", str(DEFAULT_RAW))
    assert cli.main(FAST) == 2
    assert "synthetic" in capsys.readouterr().err and server.requests == []
    assert cli.main([*FAST, "--allow-sample"]) == 0 and len(server.requests) == 3


def test_only_video_ids_are_sent(env, server, tmp_path):
    make_build_db(env / "warehouse.duckdb", watches=watches(5), profiles=["me.myself"])
    links = tmp_path / "mine.txt"
    links.write_text(f"https://www.tiktok.com/@me.myself/video/{vid(50)}\n")
    assert cli.main([*FAST, "--own-links", str(links)]) == 0
    assert len(server.asked) == 6
    assert all(re.fullmatch(r"https://www\.tiktok\.com/@/video/\d+", asked) for asked in server.asked), server.asked
    assert server.ids_requested()[0] == vid(50)  # own links first


def test_own_links_land_as_own_videos_in_every_later_file(env, server, tmp_path):
    make_build_db(env / "warehouse.duckdb", watches=watches(2))
    server.add(vid(0), "watched #food")
    server.add(vid(90), "my own post #dance", handle="me.myself")
    links = tmp_path / "mine.txt"
    links.write_text(f"https://www.tiktok.com/@me.myself/video/{vid(90)}\n")
    assert cli.main([*FAST, "--own-links", str(links)]) == 0
    assert cli.main(FAST) == 0  # a later run without the file still writes the own video
    rows = {r["video_id"]: r for r in read_output(env)}
    assert rows[str(vid(90))]["author_handle"] == "me.myself"
    assert rows[str(vid(90))]["description"] == "my own post #dance"


def test_output_file_is_the_contract_owner_only_and_atomic(env, server, monkeypatch):
    make_build_db(env / "warehouse.duckdb", watches=watches(3))
    server.add(
        vid(0),
        'pasta, "again"\nline two #food #EasyRecipe',
        handle="Chef.Lu",
        sound="Renegade - K Camp",
        sound_id="6689804660171082501",
    )
    assert cli.main(FAST) == 0
    path = env / "enrichment" / "video_metadata.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["video_metadata.csv"]  # no temp file left
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    (row,) = read_output(env)
    assert row["description"] == 'pasta, "again"\nline two #food #EasyRecipe'
    assert row["hashtags"] == "#food #EasyRecipe"
    assert row["sound_title"] == "Renegade - K Camp" and row["sound_id"] == "6689804660171082501"
    assert row["author_handle"] == "Chef.Lu" and row["fetch_source"] == "oembed"
    assert row["video_link"] == f"https://www.tiktok.com/@Chef.Lu/video/{vid(0)}"
    cache = tiktok_settings.current().cache_dir / "enrich.sqlite3"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    monkeypatch.setenv("TIKTOK_FILE_MODE", "0640")
    assert cli.main(["write"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_cache_lives_outside_the_build_dir_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("TIKTOK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TIKTOK_BUILD_DIR", str(tmp_path / "build"))
    from enrich.settings import Settings

    settings = Settings.from_env()
    assert settings.cache_file == tmp_path / "xdg" / "tiktok-warehouse" / "enrich.sqlite3"
    assert not settings.cache_file.is_relative_to(settings.build_dir)


def test_a_new_enrichment_file_rebuilds_the_themes(tmp_path):
    """The build treats the enrichment file (in the build dir, not the raw folder) like a
    video-metadata file: new or changed, it re-tags every account's themes (a full refresh) and
    rebuilds everything."""
    from ingest.run import IngestResult
    from scripts import warehouse as pipeline

    current = {"version": pipeline.BUILD_STATE_VERSION, "project_code": "p", "incremental_code": "i", "settings": "s"}
    previous = {**current, "completed": {**current, "with_ml": True}}
    landed = IngestResult(
        load_id=2, changed=True, landed=["enrichment/video_metadata.csv"], new=["enrichment/video_metadata.csv"]
    )
    plan = pipeline.plan_build(previous, current, landed, with_ml=True, db_exists=True)
    assert plan.full_refresh and "enrichment/video_metadata.csv" in plan.full_refresh, plan
    assert plan.scope in ("all", "dbt"), plan
    nothing = IngestResult(load_id=2, changed=False)
    assert pipeline.plan_build(previous, current, nothing, with_ml=True, db_exists=True).scope == "nothing"


# ---------------------------------------------------------------------------- politeness and failures
def run_fetcher(server, ids, tuning, tmp_path) -> tuple[Fetcher, Cache]:
    cache = Cache(tmp_path / "cache" / "enrich.sqlite3")
    fetcher = Fetcher(OEmbedBackend(server.url, timeout=tuning.timeout), cache, tuning, where=server.url)
    fetcher.run(ids, progress=False)
    return fetcher, cache


def test_default_rate_is_polite(server, tmp_path):
    """The default policy (Tuning()): never more than its rate, measured at the server."""
    ids = [vid(i) for i in range(16)]
    for video_id in ids:
        server.add(video_id, "x")
    fetcher, cache = run_fetcher(server, ids, Tuning(), tmp_path)
    times = [t for _, t, _ in server.requests]
    measured = (len(times) - 1) / (times[-1] - times[0])
    print(
        f"\ndefault policy: {len(times)} requests at {measured:.2f} requests/s (rate {Tuning().rate:g}, "
        f"{Tuning().workers} in flight)"
    )
    assert fetcher.summary.found == 16
    assert measured <= Tuning().rate * 1.1
    cache.close()


def test_429_pauses_every_worker_for_retry_after(server, tmp_path):
    ids = [vid(i) for i in range(12)]
    for video_id in ids:
        server.add(video_id, "x")
    server.rate_limit_every, server.retry_after = 5, "1"
    fetcher, cache = run_fetcher(server, ids, fast_tuning(), tmp_path)
    assert fetcher.summary.found == 12 and fetcher.summary.rate_limited >= 2
    for index, (video_id, at, status) in enumerate(server.requests):
        if status != 429:
            continue
        retry = next(t for v, t, _ in server.requests[index + 1 :] if v == video_id)
        assert retry - at >= 0.95, "the 429'd video was asked again before Retry-After"
        # only requests already on their way when the 429 came back may arrive in the pause
        during = [v for v, t, _ in server.requests[index + 1 :] if at < t < at + 0.95]
        assert len(during) <= fast_tuning().workers - 1, during
    cache.close()


def test_5xx_is_retried_with_growing_backoff(server, tmp_path):
    server.add(vid(1), "x")
    server.fail_first[vid(1)] = 2
    fetcher, cache = run_fetcher(server, [vid(1)], fast_tuning(backoff=0.2), tmp_path)
    assert fetcher.summary.found == 1 and fetcher.summary.retries == 2
    t0, t1, t2 = [t for _, t, _ in server.requests]
    assert t1 - t0 >= 0.1 - 0.02 and t2 - t1 >= 0.2 - 0.02  # base x 2^n x [0.5, 1]
    cache.close()


def test_retries_are_bounded_and_a_slow_answer_times_out(server, tmp_path):
    for i in range(4):
        server.add(vid(i), "x")
    server.slow[vid(2)] = 3.0
    fetcher, cache = run_fetcher(server, [vid(i) for i in range(4)], fast_tuning(timeout=0.3, max_attempts=2), tmp_path)
    summary = fetcher.summary
    assert (summary.found, summary.errors) == (3, 1)
    assert server.ids_requested().count(vid(2)) == 2  # max_attempts, then given up
    assert "no answer within 0.3 s" in summary.error_examples[0]
    assert vid(2) not in cache.known("oembed", 30), "a failure must not be cached"
    cache.close()


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_no_network_is_a_clear_non_fatal_message(env, monkeypatch, capsys):
    make_build_db(env / "warehouse.duckdb", watches=watches(50))
    monkeypatch.setenv("TIKTOK_OEMBED_URL", f"http://127.0.0.1:{closed_port()}/oembed")
    started = time.monotonic()
    assert cli.main(FAST) == 0
    assert time.monotonic() - started < 20
    err = capsys.readouterr().err
    assert "cannot reach" in err and "No network?" in err and "`make build` works without it" in err
    assert read_output(env) == []  # the file is still written (empty), the build reads it


@pytest.mark.parametrize(
    "mode, message",
    [("html", "no longer answers in the documented shape"), ("down", "stopped answering")],
)
def test_a_backend_that_stops_answering_fails_soft(env, server, capsys, mode, message):
    make_build_db(env / "warehouse.duckdb", watches=watches(40))
    server.mode = mode
    assert cli.main(FAST) == 0
    err = capsys.readouterr().err
    assert message in err
    assert len(server.requests) < 40 * 2, "kept hammering a service that had stopped answering"


def test_a_flood_of_not_found_before_any_find_stops_and_is_forgotten(server, tmp_path):
    ids = [vid(i) for i in range(30)]
    server.mode = "all404"
    fetcher, cache = run_fetcher(server, ids, fast_tuning(breaker_not_found=10), tmp_path)
    assert "may no longer answer for videos" in fetcher.summary.stopped_reason
    assert cache.known("oembed", 30) == {}, "not-found answers of a suspicious run were cached"
    assert len(server.requests) < 30
    cache.close()


def test_an_interrupted_run_resumes_where_it_stopped(env, server, tmp_path):
    make_build_db(env / "warehouse.duckdb", watches=watches(60))
    for i in range(60):
        server.add(vid(i), f"video {i} #food")
    proc_env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-m", "enrich", "--no-progress", "--rate", "4", "--workers", "2"],
        cwd=REPO,
        env=proc_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A job started in the background by a non-interactive shell (a CI runner) inherits
        # SIGINT ignored, and Python then installs no KeyboardInterrupt handler: give Ctrl-C back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Wait for the run to be under way, however slowly the machine starts Python: a fixed short
    # deadline let a loaded machine finish the whole run before the interrupt came.
    deadline = time.monotonic() + 300
    while len(server.requests) < 15 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None and len(server.requests) >= 15, "the run did not get under way"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err and "resume" in err
    first = len(server.requests)
    assert 15 <= first < 60
    with Cache(tiktok_settings.current().cache_dir / "enrich.sqlite3") as cache:
        cached = set(cache.known("oembed", 30))
    assert len(cached) == first, "an answer that came back was not cached"
    assert len(read_output(env)) == first  # the file holds what the interrupted run found

    assert cli.main(FAST) == 0
    asked = server.ids_requested()
    assert len(asked) == 60 and len(set(asked)) == 60, "the resumed run asked again for a known video"
    assert set(asked[first:]) == {vid(i) for i in range(60)} - cached
    assert len(read_output(env)) == 60


# ---------------------------------------------------------------------------- yt-dlp, on recorded output
def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_ytdlp_record_from_a_recorded_info_dict():
    info = recorded("ytdlp_video_info.json")
    record = record_from_info(int(info["id"]), info)
    assert record.author_handle == "patrox"
    assert record.sound_title == "Big Fun - Evan Todd, Jessica Keenan Wynn, Alice Lee, Barrett Wilbert Weed, Jon Eidson"
    assert record.sound_id is None  # yt-dlp's info dict carries no music id
    assert record.hashtags == "#reverse #challenge"
    assert record.video_link == "https://www.tiktok.com/@patrox/video/6742501081818877190"
    assert record.fetch_source == "ytdlp"


def test_ytdlp_backend_looks_up_through_its_one_call_and_classifies_errors():
    info = recorded("ytdlp_video_info.json")
    calls = []

    def extract(url, options):
        calls.append(url)
        if url.endswith(info["id"]):
            return info
        raise RuntimeError(ERRORS[url.rsplit("/", 1)[1]])

    ERRORS = {
        "1": "ERROR: [TikTok] 1: Video not available, status code 0",
        "2": "ERROR: [TikTok] 2: Unable to download webpage: HTTP Error 429: Too Many Requests",
        "3": "ERROR: [TikTok] 3: Unable to download webpage: "
        "<urlopen error [Errno -3] Temporary failure in name resolution>",
        "4": "ERROR: [TikTok] 4: Unable to extract universal data for rehydration",
        "5": "ERROR: [TikTok] 5: Unable to download webpage: The read operation timed out",
    }
    backend = YtDlpBackend(extract=extract)
    found = backend.lookup(int(info["id"]))
    assert found.found and found.record.author_handle == "patrox"
    assert calls == ["https://www.tiktok.com/@_/video/6742501081818877190"]
    missing = backend.lookup(1)
    assert not missing.found and "Video not available" in missing.reason
    with pytest.raises(RateLimited):
        backend.lookup(2)
    with pytest.raises(TransientError) as network:
        backend.lookup(3)
    assert network.value.network
    with pytest.raises(BackendChanged):
        backend.lookup(4)
    with pytest.raises(TransientError) as slow:
        backend.lookup(5)
    assert not slow.value.network


class FakeYtDlp:
    """A stand-in for the yt_dlp module that answers with the recorded listing."""

    urls: ClassVar[list[str]] = []

    class YoutubeDL:
        def __init__(self, options):
            self.options = options

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def extract_info(self, url, download=False):
            FakeYtDlp.urls.append(url)
            assert download is False and self.options["extract_flat"] == "in_playlist"
            return recorded("ytdlp_user_listing.json")


def test_own_video_listing_sends_the_handle_only_with_the_flag(env, server, monkeypatch, capsys):
    make_build_db(env / "warehouse.duckdb", watches=watches(1), profiles=["alex.cooks"])
    assert cli.main([*FAST, "--handle", "alex.cooks"]) == 2  # --handle alone never sends it
    assert "--list-own-videos" in capsys.readouterr().err

    FakeYtDlp.urls = []
    monkeypatch.setattr("enrich.backends.ytdlp.ytdlp_module", lambda: FakeYtDlp)
    assert cli.main(FAST) == 0
    assert FakeYtDlp.urls == []
    assert cli.main([*FAST, "--list-own-videos"]) == 0
    assert FakeYtDlp.urls == ["https://www.tiktok.com/@alex.cooks"]
    rows = [r for r in read_output(env) if r["author_handle"] == "alex.cooks"]
    assert len(rows) == 3 and {r["fetch_source"] for r in rows} == {"ytdlp-user"}
    for row in rows:  # each id's creation time is the post time the matching model joins on
        assert int(row["video_id"]) >> 32 in {1719835200, 1719748800, 1719662400}
    assert "sends the handle @alex.cooks" in capsys.readouterr().out


def test_own_video_listing_without_ytdlp_says_how_to_install_it(env, server, monkeypatch, capsys):
    make_build_db(env / "warehouse.duckdb", watches=watches(2), profiles=["alex.cooks"])
    server.add(vid(0), "x")

    def missing():
        from enrich.backends.base import BackendUnavailable
        from enrich.backends.ytdlp import INSTALL_HINT

        raise BackendUnavailable(INSTALL_HINT)

    monkeypatch.setattr("enrich.backends.ytdlp.ytdlp_module", missing)
    assert cli.main([*FAST, "--list-own-videos"]) == 0  # the rest of the run goes on
    assert "make enrich-ytdlp" in capsys.readouterr().err
    assert len(read_output(env)) == 1
    assert cli.main([*FAST, "--backend", "ytdlp"]) == 2


# ---------------------------------------------------------------------------- the real service, opt-in
@pytest.mark.skipif(
    not tiktok_settings.current().enrich_network or IN_CI,
    reason="goes to TikTok: only with TIKTOK_ENRICH_NETWORK=1, never in CI",
)
def test_real_oembed_answers_the_documented_example():
    from enrich.settings import DEFAULT_OEMBED_URL

    result = OEmbedBackend(DEFAULT_OEMBED_URL).lookup(6718335390845095173)
    assert result.found, result.reason
    assert result.record.author_handle == "scout2015"
    assert "#foryoupage" in (result.record.hashtags or "")
