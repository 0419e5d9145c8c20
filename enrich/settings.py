"""Where enrichment reads and writes, and how hard it may knock: one settings object.

Paths follow the build (TIKTOK_RAW_DIR, TIKTOK_BUILD_DIR, TIKTOK_WAREHOUSE, read through
tiktok_settings like every part of the project); the cache lives outside the build dir so that
`make clean` keeps hours of requests (TIKTOK_CACHE_DIR, default the user's cache folder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tiktok_settings

DEFAULT_OEMBED_URL = tiktok_settings.BY_NAME["TIKTOK_OEMBED_URL"].default
OUTPUT_RELATIVE = Path("enrichment") / "video_metadata.csv"


@dataclass(frozen=True)
class Tuning:
    """The request policy. The defaults are polite on purpose: a few requests in flight, a few
    per second, every answer cached, and a pause for everyone when the server says so (429)."""

    rate: float = 3.0  # requests per second, all workers together
    workers: int = 3  # requests in flight at most
    timeout: float = 15.0  # seconds to connect and to read one answer
    max_attempts: int = 6  # per video: the first try and up to five retries
    backoff: float = 1.0  # first retry waits this long, then 2x, 4x, ... (with jitter)
    backoff_cap: float = 60.0
    retry_after_cap: float = 600.0  # a longer Retry-After stops the run instead (see fetch)
    not_found_ttl_days: float = 30.0  # a "not found" is asked again after this long
    breaker_errors: int = 8  # this many videos in a row that failed every attempt: stop
    breaker_not_found: int = 50  # this many "not found" in a row before any find: stop

    def __post_init__(self) -> None:
        if not 0 < self.rate <= 20:
            raise ValueError(f"rate {self.rate}: give 0 < requests per second <= 20")
        if not 1 <= self.workers <= 8:
            raise ValueError(f"workers {self.workers}: give 1 to 8 requests in flight")


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    build_dir: Path
    warehouse: Path
    cache_dir: Path
    oembed_url: str = DEFAULT_OEMBED_URL
    tuning: Tuning = field(default_factory=Tuning)

    @classmethod
    def from_env(cls, tuning: Tuning | None = None) -> Settings:
        given = tiktok_settings.current()
        return cls(
            raw_dir=given.raw_dir,
            build_dir=given.build_dir,
            warehouse=given.warehouse,
            cache_dir=given.cache_dir,
            oembed_url=given.oembed_url,
            tuning=tuning or Tuning(),
        )

    @property
    def output_file(self) -> Path:
        return self.build_dir / OUTPUT_RELATIVE

    @property
    def build_file(self) -> Path:
        return self.build_dir / "warehouse.duckdb"

    @property
    def cache_file(self) -> Path:
        return self.cache_dir / "enrich.sqlite3"
