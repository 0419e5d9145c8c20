#!/usr/bin/env python3
"""Screenshot a page of the static report in headless Chromium (Debian's `chromium`, offline).

    python scripts/screenshot_report.py                     # build/reports/influence/cam.plays.html
    python scripts/screenshot_report.py --page influence.html --out /tmp/influence.png

`make screenshot` renders the sample's real-shaped account page (capped like list, posts matched
to their public videos) into docs/influence_account.png, the picture the docs show. Build first
(`make build`): the page is read from the build's report folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tiktok_settings
from scripts.static_report.browser import find_chromium, screenshot


def main(argv=None) -> int:
    build = tiktok_settings.current().build_dir
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--site", type=Path, default=build / "reports", help="the static report folder (default: <build>/reports)"
    )
    p.add_argument(
        "--page", default="influence/cam.plays.html", help="page under --site (default influence/cam.plays.html)"
    )
    p.add_argument("--out", type=Path, default=Path("docs/influence_account.png"), help="PNG to write")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=2400, help="pixels from the top of the page")
    a = p.parse_args(argv)
    page = a.site / a.page
    if not page.exists():
        p.error(f"{page} not found: build the report first (make build)")
    binary = find_chromium()
    if not binary:
        p.error("Chromium not found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        screenshot(binary, page, a.out, Path(profile), (a.width, a.height))
    print(f"screenshot: {a.out} ({page})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
