"""A stand-in for TikTok's oEmbed endpoint on 127.0.0.1, for the enrichment tests.

It answers in the documented response shape (TikTok's Embed Videos docs, oEmbed: `version`,
`type`, `title`, `author_url`, `author_name`, `width`, `height`, `html`, `thumbnail_*`,
`provider_*`, plus the `author_unique_id`, `embed_product_id` and `embed_type` real answers
carry), 404 for unknown ids, 429 with Retry-After every `rate_limit_every`-th request, a slow
answer for ids in `slow`, and records every request (id, time) so tests can count them.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

VIDEO_ID = re.compile(r"/video/(\d+)")


def documented_answer(video_id: int, caption: str, handle: str, sound: str, sound_id: str) -> dict:
    """An oEmbed answer shaped like the documented one (the scout2015 example)."""
    tags = " ".join(
        f'<a title="{t}" target="_blank" href="https://www.tiktok.com/tag/{t}?refer=embed">#{t}</a>'
        for t in re.findall(r"#(\w+)", caption)
    )
    text = re.sub(r"\s*#\w+", "", caption)
    slug = re.sub(r"\W+", "-", sound).strip("-")
    html = (
        f'<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@{handle}/video/{video_id}" '
        f'data-video-id="{video_id}" data-embed-from="oembed" style="max-width: 605px;min-width: 325px;" > '
        f'<section> <a target="_blank" title="@{handle}" href="https://www.tiktok.com/@{handle}?refer=embed">'
        f"@{handle}</a> <p>{text} {tags}</p> "
        f'<a target="_blank" title="♬ {sound}" href="https://www.tiktok.com/music/{slug}-{sound_id}?refer=embed">'
        f"♬ {sound}</a> </section> </blockquote> "
        '<script async src="https://www.tiktok.com/embed.js"></script>'
    )
    return {
        "version": "1.0",
        "type": "video",
        "title": caption,
        "author_url": f"https://www.tiktok.com/@{handle}",
        "author_name": handle.title(),
        "width": "100%",
        "height": "100%",
        "html": html,
        "thumbnail_width": 576,
        "thumbnail_height": 1024,
        "thumbnail_url": f"https://p16-sign.tiktokcdn-us.com/obj/cover-{video_id}.jpeg",
        "provider_url": "https://www.tiktok.com",
        "provider_name": "TikTok",
        "author_unique_id": handle,
        "embed_product_id": str(video_id),
        "embed_type": "video",
    }


@dataclass
class FakeOEmbed:
    videos: dict[int, dict] = field(default_factory=dict)  # id -> answer
    rate_limit_every: int = 0  # every n-th request answers 429 (0: never)
    retry_after: str = "1"
    slow: dict[int, float] = field(default_factory=dict)  # id -> seconds before answering
    fail_first: dict[int, int] = field(default_factory=dict)  # id -> that many 503s first
    mode: str = "ok"  # ok | html (a retired endpoint's page) | down (503 for all) | all404
    requests: list[tuple[int | None, float, int]] = field(default_factory=list)  # (id, time, status)
    asked: list[str] = field(default_factory=list)  # every `url` parameter, as sent

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                fake.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/oembed"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(
        self,
        video_id: int,
        caption: str,
        handle: str = "creator",
        sound: str = "original sound - creator",
        sound_id: str = "7000000000000000001",
    ) -> None:
        self.videos[video_id] = documented_answer(video_id, caption, handle, sound, sound_id)

    def ids_requested(self) -> list[int | None]:
        with self._lock:
            return [video_id for video_id, _, _ in self.requests]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlparse(handler.path).query)
        asked = (query.get("url") or [""])[0]
        match = VIDEO_ID.search(asked)
        video_id = int(match.group(1)) if match else None
        with self._lock:
            number = len(self.requests) + 1
            status = 200
            if self.mode == "down":
                status = 503
            elif self.rate_limit_every and number % self.rate_limit_every == 0:
                status = 429
            elif video_id is not None and self.fail_first.get(video_id, 0) > 0:
                self.fail_first[video_id] -= 1
                status = 503
            self.requests.append((video_id, time.monotonic(), status))
            self.asked.append(asked)
        delay = self.slow.get(video_id, 0) if status == 200 else 0
        if delay:
            time.sleep(delay)
        if status == 429:
            self._send(handler, 429, {"code": 429, "message": "too many requests"}, {"Retry-After": self.retry_after})
        elif status == 503:
            self._send(handler, 503, {"code": 503, "message": "busy"})
        elif self.mode == "html":
            body = b"<html><body>This page moved</body></html>"
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        elif video_id in self.videos and self.mode != "all404":
            self._send(handler, 200, self.videos[video_id])
        else:
            self._send(
                handler, 404, {"code": 404, "message": "Something went wrong", "status_msg": "Something went wrong"}
            )

    @staticmethod
    def _send(handler, status: int, payload: dict, headers: dict | None = None) -> None:
        body = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass
