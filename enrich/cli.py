"""`python -m enrich`: look up what the export only links to; `make enrich` runs it.

    python -m enrich [fetch] [--max-videos N] [--dry-run] [--backend oembed|ytdlp]
                     [--own-links FILE] [--list-own-videos [--handle NAME]] ...
    python -m enrich write        # rewrite the enrichment file from the cache (no network)
    python -m enrich cache        # where the cache is and what it holds; --forget-not-found, ...

Environment: TIKTOK_RAW_DIR, TIKTOK_BUILD_DIR, TIKTOK_WAREHOUSE (as the build), TIKTOK_OEMBED_URL
(default https://www.tiktok.com/oembed), TIKTOK_CACHE_DIR (default the user's cache folder),
TIKTOK_FILE_MODE (default 0600).

What is sent where: one GET per video to the oEmbed endpoint with the video's public URL built
from its id (`?url=https://www.tiktok.com/@/video/<id>`), or the same id to TikTok through yt-dlp
(--backend ytdlp); nothing else from the export. Your own handle is sent only with
--list-own-videos. Exit status: 0 (also when the network or the service failed: the build never
needs enrichment), 2 for a usage problem or no build, 130 after Ctrl-C (rerun to resume).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from enrich.backends import BACKENDS, make_backend
from enrich.backends.base import BackendChanged, BackendUnavailable, LookupFailure
from enrich.cache import Cache
from enrich.candidates import Candidates, NoBuild, read_candidates, read_links_file
from enrich.fetch import Fetcher, Summary
from enrich.output import merge, write_enrichment
from enrich.settings import Settings, Tuning

COMMANDS = ("fetch", "write", "cache")
LIST_LABELS = {"favorite": "favourites", "like": "likes", "share": "shares", "watch": "watches"}
REPO = Path(__file__).resolve().parent.parent


def duration_text(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m enrich", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command")
    fetch = commands.add_parser("fetch", help="look the videos up (the default command)")
    fetch.add_argument("--backend", choices=BACKENDS, default="oembed", help="where to look (default: oembed)")
    fetch.add_argument(
        "--max-videos",
        type=int,
        metavar="N",
        help="look up at most N videos this run that the cache does not know (the most important first: "
        "favourites, likes, shares, then the most recent watches); default: all of them",
    )
    fetch.add_argument(
        "--dry-run",
        action="store_true",
        help="say how many videos would be looked up, how long it takes and what would be sent where; send nothing",
    )
    fetch.add_argument(
        "--own-links",
        type=Path,
        metavar="FILE",
        help="a file of links to your own videos, one per line (copied from the app or the site): looked up first, "
        "like any video, and kept as yours for post matching (only their ids are sent)",
    )
    fetch.add_argument(
        "--list-own-videos",
        action="store_true",
        help="list your public videos with yt-dlp's tiktok:user extractor: SENDS YOUR HANDLE to TikTok "
        "(needs make enrich-ytdlp; often limited to recent videos)",
    )
    fetch.add_argument(
        "--handle",
        action="append",
        metavar="NAME",
        help="with --list-own-videos: the handle to list (repeatable; default: the user names in your exports)",
    )
    fetch.add_argument("--own-videos-limit", type=int, metavar="N", help="list only your newest N public videos")
    defaults = Tuning()
    fetch.add_argument(
        "--rate", type=float, default=defaults.rate, help=f"requests per second (default {defaults.rate:g})"
    )
    fetch.add_argument(
        "--workers", type=int, default=defaults.workers, help=f"requests in flight at most (default {defaults.workers})"
    )
    fetch.add_argument(
        "--timeout", type=float, default=defaults.timeout, help=f"seconds per answer (default {defaults.timeout:g})"
    )
    fetch.add_argument(
        "--backoff",
        type=float,
        default=defaults.backoff,
        help=f"first retry's wait in seconds, doubled per retry (default {defaults.backoff:g})",
    )
    fetch.add_argument(
        "--not-found-ttl",
        type=float,
        default=defaults.not_found_ttl_days,
        metavar="DAYS",
        help=f"ask again for videos found missing longer ago (default {defaults.not_found_ttl_days:g} days)",
    )
    fetch.add_argument("--refresh-not-found", action="store_true", help="ask again for every video found missing")
    fetch.add_argument("--no-progress", action="store_true", help="no progress bar")
    fetch.add_argument(
        "--allow-sample",
        action="store_true",
        help="look up the committed sample data's ids too (synthetic: TikTok knows none of them)",
    )
    fetch.add_argument(
        "--build-if-missing",
        action="store_true",
        help="when there is no build yet, build first (the pipeline without the ML step); make enrich sets it",
    )
    commands.add_parser("write", help="rewrite the enrichment file from the cache, without the network")
    cache = commands.add_parser("cache", help="where the cache is and what it holds")
    cache.add_argument("--forget-not-found", action="store_true", help="forget every 'not found' (asked again)")
    cache.add_argument("--forget-own-videos", action="store_true", help="forget the list of your own videos")
    cache.add_argument("--clear", action="store_true", help="delete the cache file")
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = build_parser()
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["fetch", *argv]
    if argv[0] in ("-h", "--help"):
        parser.print_help()
        print("\nfetch options (the default command):\n")
        parser.parse_args(["fetch", "--help"])
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, flush=True)


def warn(message: str) -> None:
    print(f"enrich: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- steps
def is_sample(settings: Settings) -> bool:
    from scripts.warehouse import DEFAULT_RAW

    return settings.raw_dir == DEFAULT_RAW.resolve()


def load_candidates(settings: Settings, build_if_missing: bool) -> Candidates:
    try:
        return read_candidates(settings.warehouse, settings.build_file)
    except NoBuild:
        if not build_if_missing:
            raise
    say("==> enrich: no build yet; building the export's tables first (the pipeline without the ML step)")
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "warehouse.py"), "build", "--skip-ml"], cwd=REPO)
    if result.returncode != 0:
        raise NoBuild(f"the build failed (exit {result.returncode}); fix it, then run make enrich again")
    return read_candidates(settings.warehouse, settings.build_file)


def write_file(settings: Settings, cache: Cache, candidates: Candidates) -> tuple[int, int]:
    """Rewrite the enrichment file: every video of the build or of the own-video list that
    some backend found. Returns (rows, rows with a caption)."""
    wanted = set(candidates.video_ids) | set(cache.own_videos())
    rows = [merge(records) for records in cache.found_records(wanted).values()]
    written = write_enrichment(settings.output_file, rows)
    return written, sum(1 for row in rows if row.description)


def list_own_videos(settings: Settings, cache: Cache, handles: list[str], limit: int | None) -> int:
    """The own-video listing (yt-dlp tiktok:user). Best effort: a failure is reported, not fatal."""
    from enrich.backends.ytdlp import YtDlpBackend

    backend = YtDlpBackend(timeout=settings.tuning.timeout)
    listed = 0
    for handle in handles:
        say(f"==> enrich: listing @{handle}'s public videos with yt-dlp (sends the handle @{handle} to TikTok)")
        try:
            records = backend.list_user(handle, limit)
        except (LookupFailure, BackendChanged) as exc:
            warn(f"could not list @{handle}'s videos: {exc}. Paste your video links into a file and use --own-links.")
            continue
        for record in records:
            cache.put_found("ytdlp", record)
        cache.add_own_videos([r.video_id for r in records], f"listing:@{handle}")
        say(f"    @{handle}: {len(records):,} public videos listed")
        listed += len(records)
    return listed


def print_summary(summary: Summary, settings: Settings, candidates: Candidates, written: tuple[int, int]) -> None:
    counts = candidates.count_by_list()
    lists = ", ".join(f"{LIST_LABELS.get(name, name)} {n:,}" for name, n in counts.items())
    own = summary.candidates - sum(counts.values())
    say("")
    say(f"enrich ({summary.backend}): {summary.candidates:,} videos to cover ({lists}, own videos {own:,})")
    say(
        f"  from cache:    {summary.cached_found + summary.cached_not_found:,} "
        f"(found {summary.cached_found:,}, not found {summary.cached_not_found:,})"
    )
    say(
        f"  looked up:     {summary.looked_up:,} -> found {summary.found:,}, not found {summary.not_found:,}, "
        f"errors {summary.errors:,} (asked again next run)"
    )
    if summary.looked_up:
        rate = summary.requests / summary.elapsed if summary.elapsed else 0.0
        say(
            f"  requests:      {summary.requests:,} in {duration_text(summary.elapsed)} ({rate:.1f}/s), "
            f"{summary.retries:,} retries, {summary.rate_limited:,} answered 429"
        )
    if summary.over_budget:
        say(f"  left for later: {summary.over_budget:,} over --max-videos (run again to continue)")
    if summary.not_attempted:
        say(f"  not asked:     {summary.not_attempted:,} (the run stopped first; run again to continue)")
    for example in summary.error_examples:
        say(f"  error: {example}")
    rows, captioned = written
    say(f"  wrote {settings.output_file}: {rows:,} videos, {captioned:,} with a caption")
    say("  next: make build (it reads that file beside your own video-metadata CSVs)")


# ---------------------------------------------------------------------------- commands
def cmd_fetch(args: argparse.Namespace) -> int:
    tuning = Tuning(
        rate=args.rate,
        workers=args.workers,
        timeout=args.timeout,
        backoff=args.backoff,
        not_found_ttl_days=0.0 if args.refresh_not_found else args.not_found_ttl,
    )
    settings = Settings.from_env(tuning)
    if args.handle and not args.list_own_videos:
        warn("--handle is used only with --list-own-videos (the flag that sends it to TikTok)")
        return 2
    if args.max_videos is not None and args.max_videos < 0:
        warn("--max-videos: give 0 or more")
        return 2
    if is_sample(settings) and not (args.dry_run or args.allow_sample):
        warn(
            f"TIKTOK_RAW_DIR is the committed sample data ({settings.raw_dir}): its video ids are synthetic. "
            "Point TIKTOK_RAW_DIR at your own folder (README: use your own data), or pass --allow-sample."
        )
        return 2
    own_ids: list[int] = []
    if args.own_links:
        try:
            own_ids, problems = read_links_file(args.own_links)
        except ValueError as exc:
            warn(str(exc))
            return 2
        for problem in problems:
            warn(problem)
    try:
        candidates = load_candidates(settings, args.build_if_missing and not args.dry_run)
    except NoBuild as exc:
        warn(str(exc))
        return 2
    handles = [h.strip().lstrip("@").lower() for h in (args.handle or candidates.accounts) if h.strip()]
    if args.list_own_videos and not handles:
        warn("--list-own-videos: the exports name no user name; give it with --handle NAME")
        return 2
    try:
        backend = make_backend(args.backend, settings)
    except BackendUnavailable as exc:
        warn(str(exc))
        return 2
    where = settings.oembed_url if args.backend == "oembed" else "TikTok (yt-dlp)"

    with Cache(settings.cache_file) as cache:
        ordered = list(dict.fromkeys([*own_ids, *candidates.video_ids]))
        known = cache.known(backend.name, tuning.not_found_ttl_days)
        todo = [video_id for video_id in ordered if video_id not in known]
        summary = Summary(backend.name, candidates=len(ordered))
        summary.cached_found = sum(1 for v in ordered if v in known and known[v].status == "found")
        summary.cached_not_found = sum(1 for v in ordered if v in known and known[v].status == "not_found")
        if args.max_videos is not None and len(todo) > args.max_videos:
            summary.over_budget = len(todo) - args.max_videos
            todo = todo[: args.max_videos]
        summary.to_fetch = len(todo)
        if args.dry_run:
            say(
                f"enrich --dry-run: would look up {len(todo):,} of {len(ordered):,} videos "
                f"({summary.cached_found + summary.cached_not_found:,} already in the cache"
                + (f", {summary.over_budget:,} over --max-videos" if summary.over_budget else "")
                + f") with {backend.name}: about {duration_text(len(todo) / tuning.rate)} "
                f"at {tuning.rate:g} requests/s."
            )
            say(f"  would send: the video id of each, to {where}; nothing else from your export.")
            if args.list_own_videos:
                say(
                    f"  would send your handle(s) {', '.join('@' + h for h in handles)} to TikTok (yt-dlp tiktok:user)."
                )
            say(f"  cache: {settings.cache_file}; file: {settings.output_file}")
            return 0
        if own_ids:
            cache.add_own_videos(own_ids, f"links:{args.own_links.name}")
        if args.list_own_videos:
            try:
                list_own_videos(settings, cache, handles, args.own_videos_limit)
            except BackendUnavailable as exc:
                warn(f"--list-own-videos: {exc}")
        say(
            f"==> enrich: {len(todo):,} videos to look up with {backend.name} at {where} "
            f"(video ids only; {tuning.rate:g} requests/s, {tuning.workers} in flight; about "
            f"{duration_text(len(todo) / tuning.rate)}); cache {settings.cache_file}"
        )
        fetcher = Fetcher(backend, cache, tuning, where=where)
        try:
            run = fetcher.run(todo, progress=False if args.no_progress else None)
        except KeyboardInterrupt:  # a second Ctrl-C while the first one was being handled
            run = fetcher.summary
            run.interrupted = True
        for name in ("found", "not_found", "errors", "not_attempted", "requests", "retries", "rate_limited"):
            setattr(summary, name, getattr(run, name))
        summary.elapsed, summary.error_examples = run.elapsed, run.error_examples
        summary.stopped_reason, summary.interrupted = run.stopped_reason, run.interrupted
        written = write_file(settings, cache, candidates)
    print_summary(summary, settings, candidates, written)
    if summary.stopped_reason:
        warn(f"stopped: {summary.stopped_reason}")
    if summary.interrupted:
        warn("interrupted: every answer so far is cached; run the same command again to resume")
        return 130
    return 0


def cmd_write(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        candidates = read_candidates(settings.warehouse, settings.build_file)
    except NoBuild as exc:
        warn(str(exc))
        return 2
    with Cache(settings.cache_file) as cache:
        rows, captioned = write_file(settings, cache, candidates)
    say(f"wrote {settings.output_file}: {rows:,} videos, {captioned:,} with a caption (from {settings.cache_file})")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    path = settings.cache_file
    if args.clear:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        say(f"removed {path}")
        return 0
    if not path.exists():
        say(f"cache: {path} (empty: nothing looked up yet)")
        return 0
    with Cache(path) as cache:
        if args.forget_not_found:
            say(f"forgot {cache.forget_not_found():,} 'not found' answers")
        if args.forget_own_videos:
            say(f"forgot {cache.forget_own_videos():,} own videos")
        say(f"cache: {path}")
        for backend, status, count in cache.stats():
            say(f"  {backend:8} {status:10} {count:,}")
        say(f"  own videos: {len(cache.own_videos()):,}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "write":
            return cmd_write(args)
        if args.command == "cache":
            return cmd_cache(args)
        return cmd_fetch(args)
    except ValueError as exc:  # settings out of range (--rate, --workers, TIKTOK_FILE_MODE)
        warn(str(exc))
        return 2
