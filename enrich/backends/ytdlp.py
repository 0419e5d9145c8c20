"""yt-dlp, optional (`make enrich-ytdlp` installs the pinned version): a video's music title and
artist, and the user's own public videos through its `tiktok:user` extractor.

Tested on recorded extractor output only (tests/fixtures/enrich/), never on the network:
`extract` is the one call into yt-dlp and tests hand in a stand-in. yt-dlp's TikTok info dict
carries `description`, `uploader` (the handle), `timestamp`, `track` and `artists` (older
versions: `artist`); it has no music id, so `sound_id` stays empty from this backend (the
oEmbed answer's embed links the sound with its id).

What it sends: the video URL built from the id (`https://www.tiktok.com/@_/video/<id>`, the
form yt-dlp itself uses) or, for the own-video listing, `https://www.tiktok.com/@<handle>`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from enrich.backends.base import (
    BackendChanged,
    BackendUnavailable,
    Lookup,
    RateLimited,
    TransientError,
    VideoRecord,
    hashtags_of,
    sound_title_of,
    video_url,
)
from enrich.backends.oembed import now_text

NAME = "ytdlp"
INSTALL_HINT = "yt-dlp is not installed: `make enrich-ytdlp` installs the pinned version (requirements-enrich.txt)"

# Substrings of yt-dlp's error messages, lowercased, and what they mean for a lookup.
NOT_FOUND_MARKS = (
    "video not available",
    "http error 404",
    "http error 410",
    "private",
    "permission",
    "log in",
    "login",
    "removed",
    "status code 10",
)
RATE_LIMIT_MARKS = ("http error 429", "too many requests")
NETWORK_MARKS = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "getaddrinfo",
    "network is unreachable",
    "connection refused",
    "no route to host",
)
TRANSIENT_MARKS = ("timed out", "timeout", "connection", "http error 5", "errno", "reset by peer")
CHANGED_MARKS = ("unable to extract", "unsupported url", "keeps sending the same page")


def ytdlp_module():
    try:
        import yt_dlp
    except ImportError as exc:
        raise BackendUnavailable(INSTALL_HINT) from exc
    return yt_dlp


def classify(message: str) -> Lookup:
    """A yt-dlp error as a lookup result, or raised as the failure it is."""
    text = message.lower()
    if any(mark in text for mark in RATE_LIMIT_MARKS):
        raise RateLimited(f"yt-dlp: {message[:160]}")
    if any(mark in text for mark in NETWORK_MARKS):
        raise TransientError(f"yt-dlp: {message[:160]}", network=True)
    if any(mark in text for mark in NOT_FOUND_MARKS):
        return Lookup(found=False, reason=f"yt-dlp: {message[:160]}")
    if any(mark in text for mark in CHANGED_MARKS):
        raise BackendChanged(f"yt-dlp's TikTok extractor failed: {message[:160]} (upgrade the pin?)")
    if any(mark in text for mark in TRANSIENT_MARKS):
        raise TransientError(f"yt-dlp: {message[:160]}")
    raise TransientError(f"yt-dlp: {message[:160]}")


def record_from_info(video_id: int, info: dict, source: str = NAME) -> VideoRecord:
    """The contract's fields out of a yt-dlp info dict (one video, or one flat playlist entry)."""
    artists = info.get("artists") or ([info["artist"]] if info.get("artist") else [])
    artist = ", ".join(a for a in artists if a) or None
    handle = (info.get("uploader") or "").strip().lstrip("@") or None
    description = info.get("description") or info.get("title")
    description = description.strip() if isinstance(description, str) else None
    return VideoRecord(
        video_id=video_id,
        video_link=video_url(video_id, handle),
        description=description or None,
        hashtags=hashtags_of(description),
        sound_title=sound_title_of(info.get("track"), artist),
        sound_id=None,
        author_handle=handle,
        fetched_at=now_text(),
        fetch_source=source,
    )


class YtDlpBackend:
    name = NAME

    def __init__(self, timeout: float = 15.0, extract: Callable[[str, dict], dict] | None = None) -> None:
        self.timeout = timeout
        self._extract = extract or self._extract_with_ytdlp
        if extract is None:
            ytdlp_module()  # fail now, with the install hint, not on the first video
        self._local = threading.local()

    def _options(self, **extra) -> dict:
        return {
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "skip_download": True,
            "socket_timeout": self.timeout,
            # the fetch loop retries, with the run's backoff and rate: no retries of its own
            "retries": 0,
            "extractor_retries": 0,
            "noplaylist": True,
            **extra,
        }

    def _extract_with_ytdlp(self, url: str, options: dict) -> dict:
        yt_dlp = ytdlp_module()
        with yt_dlp.YoutubeDL(self._options(**options)) as ydl:
            return ydl.extract_info(url, download=False)

    def _call(self, url: str, options: dict) -> dict:
        try:
            return self._extract(url, options)
        except (BackendChanged, RateLimited, TransientError):
            raise
        except Exception as exc:  # yt-dlp raises DownloadError/ExtractorError with a message
            result = classify(str(exc))
            raise _NotFound(result) from exc

    def lookup(self, video_id: int) -> Lookup:
        try:
            info = self._call(f"https://www.tiktok.com/@_/video/{video_id}", {})
        except _NotFound as nf:
            return nf.result
        if str(info.get("id") or video_id) != str(video_id):
            return Lookup(found=False, reason=f"yt-dlp answered for another video ({info.get('id')})")
        return Lookup(found=True, record=record_from_info(video_id, info))

    def list_user(self, handle: str, limit: int | None = None) -> list[VideoRecord]:
        """The account's public videos (the `tiktok:user` extractor), newest first. Sends the
        handle to TikTok: callers ask only with the user's explicit flag."""
        options = {"extract_flat": "in_playlist", "noplaylist": False}
        if limit:
            options["playlistend"] = limit
        try:
            listing = self._call(f"https://www.tiktok.com/@{handle}", options)
        except _NotFound as nf:
            raise BackendChanged(f"yt-dlp could not list @{handle}: {nf.result.reason}") from nf
        records = []
        for entry in listing.get("entries") or []:
            try:
                video_id = int(entry.get("id"))
            except (TypeError, ValueError):
                continue
            records.append(record_from_info(video_id, entry, source="ytdlp-user"))
        return records


class _NotFound(Exception):
    def __init__(self, result: Lookup) -> None:
        super().__init__(result.reason)
        self.result = result
