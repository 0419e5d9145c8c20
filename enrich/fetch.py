"""The fetch loop: a few workers, one shared rate, bounded retries, and every answer cached
as it arrives.

- Rate: one token bucket for all workers (Tuning.rate requests per second, Tuning.workers in
  flight). A 429 pauses every worker: for its Retry-After (seconds or an HTTP date), else for
  the backoff; a Retry-After beyond Tuning.retry_after_cap stops the run (rerun later).
- Retries: timeouts, dropped connections and 5xx are retried with exponential backoff and
  jitter, at most Tuning.max_attempts tries per video; then the video counts as an error (not
  cached: the next run asks again).
- Failing soft: the run stops, keeping what it found, when the service seems gone: the first
  videos cannot even connect (no network), Tuning.breaker_errors videos in a row fail every
  attempt, the answers stop having the documented shape, or Tuning.breaker_not_found videos in
  a row are "not found" before anything is found (a retired endpoint answering 404 for all:
  those answers are then forgotten, not cached for weeks).
- Ctrl-C: workers stop taking videos; what is in flight finishes (within the timeout) and is
  cached; the rerun resumes.
Own retry loop rather than urllib3's Retry: a 429 must pause every worker at once, and the same
policy must govern backends that are not HTTP clients of ours (yt-dlp).
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from enrich.backends.base import Backend, BackendChanged, RateLimited, TransientError
from enrich.cache import Cache
from enrich.settings import Tuning

# Before anything answered, this many videos that could not connect mean "no network".
NETWORK_BREAKER = 3


class RateLimiter:
    """Slots `1/rate` seconds apart, shared by every worker; `pause` holds all of them."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._lock = threading.Lock()
        self._next = time.monotonic()
        self._paused_until = 0.0

    def acquire(self, stop: threading.Event) -> bool:
        """Wait for the next slot; False when `stop` was set meanwhile."""
        while True:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next, self._paused_until)
                self._next = start + self.interval
            if start > now and stop.wait(start - now):
                return False
            if stop.is_set():
                return False
            with self._lock:
                if time.monotonic() >= self._paused_until:
                    return True

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


@dataclass
class Outcome:
    video_id: int
    kind: str  # found | not_found | error | stopped
    record: object = None
    reason: str | None = None
    network: bool = False
    changed: bool = False
    long_wait: float | None = None


@dataclass
class Summary:
    backend: str
    candidates: int = 0
    cached_found: int = 0
    cached_not_found: int = 0
    to_fetch: int = 0
    over_budget: int = 0
    found: int = 0
    not_found: int = 0
    errors: int = 0
    not_attempted: int = 0
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    elapsed: float = 0.0
    stopped_reason: str | None = None
    interrupted: bool = False
    error_examples: list[str] = field(default_factory=list)

    @property
    def looked_up(self) -> int:
        return self.found + self.not_found + self.errors


def backoff_seconds(tuning: Tuning, attempt: int) -> float:
    """Exponential backoff with jitter: base, 2x base, 4x base, ... capped, times 0.5 to 1."""
    return min(tuning.backoff_cap, tuning.backoff * (2**attempt)) * random.uniform(0.5, 1.0)


class Fetcher:
    def __init__(self, backend: Backend, cache: Cache, tuning: Tuning, where: str = "") -> None:
        self.backend = backend
        self.cache = cache
        self.tuning = tuning
        self.where = where or backend.name
        self.limiter = RateLimiter(tuning.rate)
        self.stop = threading.Event()
        self.reached = threading.Event()  # some answer came back: the network works
        self._lock = threading.Lock()
        self.summary = Summary(backend.name)

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.summary, name, getattr(self.summary, name) + 1)

    # ------------------------------------------------------------------ one video (a worker)
    def lookup(self, video_id: int) -> Outcome:
        tuning = self.tuning
        attempt = 0
        while True:
            if not self.limiter.acquire(self.stop):
                return Outcome(video_id, "stopped")
            self._count("requests")
            wait_here = 0.0
            try:
                result = self.backend.lookup(video_id)
            except RateLimited as exc:
                self.reached.set()
                self._count("rate_limited")
                wait = exc.retry_after if exc.retry_after is not None else backoff_seconds(tuning, attempt)
                if wait > tuning.retry_after_cap:
                    return Outcome(video_id, "error", reason=str(exc), long_wait=wait)
                self.limiter.pause(wait)
                last, network = exc, False
            except TransientError as exc:
                if not exc.network:
                    self.reached.set()
                elif not self.reached.is_set() and attempt >= 1:
                    # nothing has answered yet: do not spend minutes retrying a dead network
                    return Outcome(video_id, "error", reason=str(exc), network=True)
                wait_here = backoff_seconds(tuning, attempt)
                last, network = exc, exc.network
            except BackendChanged as exc:
                self.reached.set()
                return Outcome(video_id, "error", reason=str(exc), changed=True)
            else:
                self.reached.set()
                if result.found:
                    return Outcome(video_id, "found", record=result.record)
                return Outcome(video_id, "not_found", reason=result.reason)
            attempt += 1
            if attempt >= tuning.max_attempts:
                return Outcome(video_id, "error", reason=f"{last} (after {attempt} tries)", network=network)
            self._count("retries")
            if wait_here and self.stop.wait(wait_here):
                return Outcome(video_id, "stopped")

    # ------------------------------------------------------------------ the run (main thread)
    def run(self, video_ids: list[int], progress: bool | None = None) -> Summary:
        from tqdm import tqdm

        summary = self.summary
        started = time.monotonic()
        bar = tqdm(
            total=len(video_ids),
            desc=f"enrich ({self.backend.name})",
            unit=" videos",
            disable=(True if progress is False else None),
            mininterval=0.5,
            dynamic_ncols=True,
        )
        state = {"errors_in_a_row": 0, "not_found_in_a_row": 0, "network_in_a_row": 0}
        not_found_this_run: list[int] = []
        queue = iter(video_ids)
        pending: set[Future] = set()
        submitted = 0
        with ThreadPoolExecutor(max_workers=self.tuning.workers, thread_name_prefix="enrich") as pool:

            def fill() -> None:
                nonlocal submitted
                while not self.stop.is_set() and len(pending) < self.tuning.workers * 2:
                    video_id = next(queue, None)
                    if video_id is None:
                        return
                    pending.add(pool.submit(self.lookup, video_id))
                    submitted += 1

            def handle(outcome: Outcome) -> None:
                if outcome.kind == "stopped":
                    summary.not_attempted += 1
                    return
                bar.update(1)
                if outcome.kind == "found":
                    self.cache.put_found(self.backend.name, outcome.record)
                    summary.found += 1
                    state.update(errors_in_a_row=0, not_found_in_a_row=0, network_in_a_row=0)
                elif outcome.kind == "not_found":
                    self.cache.put_not_found(self.backend.name, outcome.video_id, outcome.reason)
                    summary.not_found += 1
                    not_found_this_run.append(outcome.video_id)
                    state.update(errors_in_a_row=0, network_in_a_row=0)
                    state["not_found_in_a_row"] += 1
                    if summary.found == 0 and state["not_found_in_a_row"] >= self.tuning.breaker_not_found:
                        self.cache.forget(self.backend.name, not_found_this_run)
                        self.halt(
                            f"{state['not_found_in_a_row']} videos in a row were 'not found' and none was found: "
                            f"{self.where} may no longer answer for videos (those answers were not kept). "
                            "Check the address, or try another backend (--backend)."
                        )
                else:
                    summary.errors += 1
                    if len(summary.error_examples) < 5:
                        summary.error_examples.append(f"{outcome.video_id}: {outcome.reason}")
                    state["errors_in_a_row"] += 1
                    state["network_in_a_row"] = state["network_in_a_row"] + 1 if outcome.network else 0
                    if outcome.long_wait is not None:
                        self.halt(
                            f"{self.where} asked to wait {outcome.long_wait / 60:.0f} minutes (HTTP 429, Retry-After): "
                            "stopped here; rerun later to resume where this run stopped."
                        )
                    elif outcome.changed:
                        self.halt(
                            f"{self.where} no longer answers in the documented shape ({outcome.reason}). TikTok "
                            "announced that Embed Videos (oEmbed) will be deprecated in favour of the Embed Player, "
                            "which documents no metadata answer; try --backend ytdlp (make enrich-ytdlp)."
                        )
                    elif not self.reached.is_set() and state["network_in_a_row"] >= NETWORK_BREAKER:
                        self.halt(
                            f"cannot reach {self.where}: {outcome.reason}. No network? Nothing was found in this "
                            "run; the cache and the enrichment file keep what earlier runs found. The build does "
                            "not need enrichment: `make build` works without it."
                        )
                    elif state["errors_in_a_row"] >= self.tuning.breaker_errors:
                        self.halt(
                            f"{self.where} stopped answering: {state['errors_in_a_row']} videos in a row failed "
                            f"every try (last: {outcome.reason}). What was found is kept; rerun later to resume."
                        )
                bar.set_postfix(found=summary.found, not_found=summary.not_found, errors=summary.errors, refresh=False)

            try:
                fill()
                while pending:
                    done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in done:
                        pending.discard(future)
                        handle(future.result())
                    fill()
            except KeyboardInterrupt:
                summary.interrupted = True
                self.stop.set()
                for future in list(pending):
                    if future.cancel():
                        pending.discard(future)
                        summary.not_attempted += 1
                # what is in flight ends within the timeout: keep its answers
                done, _ = wait(pending, timeout=self.tuning.timeout + 1)
                for future in done:
                    pending.discard(future)
                    handle(future.result())
            finally:
                bar.close()
            summary.not_attempted += len(pending)  # still in flight after the grace period
        summary.not_attempted += len(video_ids) - submitted
        summary.elapsed = time.monotonic() - started
        return summary

    def halt(self, reason: str) -> None:
        if self.summary.stopped_reason is None:
            self.summary.stopped_reason = reason
        self.stop.set()
