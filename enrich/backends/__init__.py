"""Backends behind one interface (base.Backend): `lookup(video_id) -> Lookup`.

Adding one (TikTok's Embed Player documents only an iframe, no metadata answer, so there is
nothing to add for it today) is a module with a class and an entry in `make_backend`.
"""

from __future__ import annotations

from enrich.backends.base import Backend, BackendUnavailable
from enrich.settings import Settings

BACKENDS = ("oembed", "ytdlp")


def make_backend(name: str, settings: Settings) -> Backend:
    if name == "oembed":
        from enrich.backends.oembed import OEmbedBackend

        return OEmbedBackend(settings.oembed_url, timeout=settings.tuning.timeout)
    if name == "ytdlp":
        from enrich.backends.ytdlp import YtDlpBackend

        return YtDlpBackend(timeout=settings.tuning.timeout)
    raise BackendUnavailable(f"unknown backend {name!r} (choose from {', '.join(BACKENDS)})")
