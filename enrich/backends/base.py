"""The one small interface every backend implements, and what a lookup can end in.

A backend answers one question: what is public about video <id>? `lookup` returns a `Lookup`
(found with a `VideoRecord`, or not found with the reason) or raises: `RateLimited` and
`TransientError` are retried by the fetch loop (fetch.py), with backoff, for every backend
alike; `BackendChanged` means the service answers but no longer in the shape we know, and is
not retried. Backends never sleep or retry themselves, so one policy governs every request.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Protocol


@dataclass(frozen=True)
class VideoRecord:
    """One video in the video-metadata contract (README: raw-data contract, video_metadata)."""

    video_id: int
    video_link: str | None = None
    description: str | None = None
    hashtags: str | None = None  # space-separated `#tags`, in caption order
    sound_title: str | None = None  # as a post names its sound: `<title> - <artist>`
    sound_id: str | None = None
    author_handle: str | None = None  # no `@`
    fetched_at: str | None = None  # UTC, `YYYY-MM-DDTHH:MM:SSZ`
    fetch_source: str | None = None  # the backend(s) the values came from

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> VideoRecord:
        known = {name: data.get(name) for name in cls.__dataclass_fields__}
        known["video_id"] = int(known["video_id"])
        return cls(**known)


@dataclass(frozen=True)
class Lookup:
    found: bool
    record: VideoRecord | None = None
    reason: str | None = None  # why not found (HTTP status, the service's message)


class LookupFailure(Exception):
    """Base of the failures the fetch loop handles."""


class TransientError(LookupFailure):
    """Worth another try later: a timeout, a 5xx, a dropped connection. `network` marks a
    failure to reach the service at all (no route, no DNS), which stops a run early when
    nothing has been reached yet."""

    def __init__(self, message: str, network: bool = False) -> None:
        super().__init__(message)
        self.network = network


class RateLimited(LookupFailure):
    """The service said slow down (HTTP 429); `retry_after` in seconds when it said how long."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BackendChanged(LookupFailure):
    """The service answers, but not in the documented shape (a retired or moved endpoint)."""


class BackendUnavailable(Exception):
    """The backend cannot run here at all (an optional package is not installed)."""


class Backend(Protocol):
    name: str

    def lookup(self, video_id: int) -> Lookup: ...


HASHTAG = re.compile(r"#(\w+)")


def hashtags_of(*texts: str | None) -> str | None:
    """The `#tags` of the texts, in order of appearance, each once (case as written)."""
    seen: dict[str, str] = {}
    for text in texts:
        for tag in HASHTAG.findall(text or ""):
            seen.setdefault(tag.lower(), tag)
    return " ".join(f"#{tag}" for tag in seen.values()) or None


def video_url(video_id: int, handle: str | None = None) -> str:
    """A public video URL. TikTok resolves the video from its id; the handle may be empty."""
    return f"https://www.tiktok.com/@{handle or ''}/video/{video_id}"


def sound_title_of(track: str | None, artist: str | None) -> str | None:
    """`<title> - <artist>`, the form of a post's `Sound` (an original sound's title often
    names its author already: `original sound - tiff`)."""
    track = (track or "").strip()
    artist = (artist or "").strip()
    if not track:
        return None
    if not artist or track.endswith(f" - {artist}"):
        return track
    return f"{track} - {artist}"
