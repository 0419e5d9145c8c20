"""Debian's Chromium, headless and offline, on the static report: the arguments the browser test
and the screenshot script share (no network, no profile of the user's, no GPU)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def find_chromium() -> str | None:
    """The Chromium binary on PATH (or Debian's /usr/bin/chromium), None without one."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    return found


def chromium_args(binary: str, profile: Path) -> list[str]:
    return [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
    ]


def screenshot(binary: str, page: Path, out: Path, profile: Path, size: tuple[int, int] = (1280, 2000)) -> None:
    """Save a PNG of a page (its first `size` pixels); raises with Chromium's log on failure."""
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            *chromium_args(binary, profile),
            f"--window-size={size[0]},{size[1]}",
            "--virtual-time-budget=3000",
            f"--screenshot={out}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"no screenshot of {page}: {proc.stderr[-2000:]}")
