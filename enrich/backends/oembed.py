"""TikTok's public oEmbed endpoint: one GET per video, no key, no login.

    GET <TIKTOK_OEMBED_URL>?url=https://www.tiktok.com/@/video/<id>

The answer is oEmbed JSON (TikTok's Embed Videos documentation): `title` (the caption,
hashtags inline), `author_name`, `author_url`, `author_unique_id` (the handle),
`embed_product_id` (the video id), `embed_type`, `thumbnail_*`, `provider_*` and `html`, the
embed blockquote of the documentation's example, which also links the sound:
`<a title="♬ original sound - tiff" href="https://www.tiktok.com/music/original-sound-6689804660171082501">`.
The handle in the asked URL may be empty: the endpoint resolves the video by its id, and an export's links
rarely carry the author.

Only the id leaves the machine. Deleted, private and never-public videos answer with a 4xx.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from enrich.backends.base import (
    BackendChanged,
    Lookup,
    RateLimited,
    TransientError,
    VideoRecord,
    hashtags_of,
    video_url,
)

NAME = "oembed"
USER_AGENT = "tiktok-warehouse-enrich/0.4 (personal data export enrichment; one request per video id)"
NOT_FOUND_STATUSES = {400, 403, 404, 410}
SOUND_ID = re.compile(r"/music/[^/?#]*?-?(\d{6,20})/?(?:[?#]|$)")
HANDLE_IN_URL = re.compile(r"/@([\w.\-]+)")


class _Anchors(HTMLParser):
    """The links of the embed blockquote: (href, title, text) each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str, str]] = []
        self._open: list[list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            values = dict(attrs)
            self._open = [values.get("href") or "", values.get("title") or "", ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.anchors.append(tuple(part.strip() for part in self._open))
            self._open = None


def parse_embed_html(html: str | None) -> dict[str, str | None]:
    """Sound title and id, and the `#tags`, out of the embed blockquote."""
    parser = _Anchors()
    try:
        parser.feed(html or "")
        parser.close()
    except Exception:  # a malformed blockquote: the JSON fields still count
        return {"sound_title": None, "sound_id": None, "tags": None}
    sound_title = sound_id = None
    tags = []
    for href, title, text in parser.anchors:
        if "/music/" in href and sound_title is None:
            sound_title = (title or text).lstrip("♬").strip() or None
            match = SOUND_ID.search(href)
            sound_id = match.group(1) if match else None
        elif "/tag/" in href:
            tags.append(text if text.startswith("#") else f"#{text or title}")
    return {"sound_title": sound_title, "sound_id": sound_id, "tags": " ".join(tags) or None}


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_from_answer(video_id: int, answer: dict) -> VideoRecord:
    """The contract's fields out of one oEmbed answer."""
    embedded = parse_embed_html(answer.get("html"))
    handle = (answer.get("author_unique_id") or "").strip().lstrip("@")
    if not handle:
        match = HANDLE_IN_URL.search(answer.get("author_url") or "")
        handle = match.group(1) if match else ""
    caption = answer.get("title")
    caption = caption.strip() if isinstance(caption, str) else None
    return VideoRecord(
        video_id=video_id,
        video_link=video_url(video_id, handle or None),
        description=caption or None,
        hashtags=hashtags_of(caption, embedded["tags"]),
        sound_title=embedded["sound_title"],
        sound_id=embedded["sound_id"],
        author_handle=handle or None,
        fetched_at=now_text(),
        fetch_source=NAME,
    )


class OEmbedBackend:
    """One GET per id against `base_url` (TIKTOK_OEMBED_URL)."""

    name = NAME

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self._local = threading.local()

    def _session(self):
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
            self._local.session = session
        return session

    def lookup(self, video_id: int) -> Lookup:
        import requests

        try:
            response = self._session().get(
                self.base_url, params={"url": video_url(video_id)}, timeout=self.timeout, allow_redirects=True
            )
        except requests.exceptions.Timeout as exc:
            raise TransientError(f"no answer within {self.timeout:g} s ({type(exc).__name__})") from exc
        except requests.exceptions.ConnectionError as exc:
            raise TransientError(f"cannot connect: {_short(exc)}", network=True) from exc
        except requests.exceptions.RequestException as exc:
            raise TransientError(f"request failed: {_short(exc)}") from exc
        status = response.status_code
        if status == 429:
            raise RateLimited("HTTP 429 Too Many Requests", retry_after_seconds(response.headers.get("Retry-After")))
        if status in NOT_FOUND_STATUSES:
            return Lookup(found=False, reason=f"HTTP {status}{_message(response)}")
        if status >= 500:
            raise TransientError(f"HTTP {status}{_message(response)}")
        if status != 200:
            raise BackendChanged(f"unexpected HTTP {status}")
        try:
            answer = response.json()
        except (ValueError, json.JSONDecodeError) as exc:
            kind = response.headers.get("Content-Type", "?")
            raise BackendChanged(f"answered {kind}, not oEmbed JSON") from exc
        if not isinstance(answer, dict):
            raise BackendChanged("answered JSON that is not an oEmbed object")
        if "html" not in answer and "title" not in answer:
            # TikTok answers some unavailable videos with 200 and an error object
            if any(key in answer for key in ("code", "status_msg", "message")):
                return Lookup(found=False, reason=f"error answer: {_message_of(answer)}")
            raise BackendChanged(f"answered an object without title or html (keys: {', '.join(sorted(answer))})")
        product = str(answer.get("embed_product_id") or "").strip()
        if product and product != str(video_id):
            return Lookup(found=False, reason=f"answered for another video ({product})")
        return Lookup(found=True, record=record_from_answer(video_id, answer))


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 160 else text[:157] + "..."


def _message_of(answer: dict) -> str:
    return str(answer.get("status_msg") or answer.get("message") or answer.get("code") or "")[:120]


def _message(response) -> str:
    try:
        answer = response.json()
    except ValueError:
        return ""
    text = _message_of(answer) if isinstance(answer, dict) else ""
    return f" ({text})" if text else ""
