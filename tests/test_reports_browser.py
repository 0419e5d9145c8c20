"""The static report in a real browser: Debian's Chromium, headless, offline.

Every page of the sample build's report is loaded; a page fails on a JavaScript error, on a chart
without drawn marks, on a problem box, or when its closing script never ran. A screenshot of each
page is saved (test tmp dir, and <build>/reports/screenshots/ for people to look at).

Chromium comes from `apt-get install chromium` (.ci/run does it). Without it the test skips
locally with a message; under CI (env CI set) it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import IN_CI, Build

from scripts.static_report.browser import chromium_args, find_chromium
from scripts.static_report.browser import screenshot as take_screenshot

pytestmark = pytest.mark.browser

CHART_RE = re.compile(r'<svg class="chart-svg" data-chart-id="(c\d+)".*?</svg>', re.S)
# The renderer tags each data mark <g id="cN-mark-K">; a drawn mark holds a path with an outline,
# a <use> of a marker (scatter points) or an image, outside its <defs>.
MARK_START = re.compile(r'<g id="c\d+-mark-\d+"')
DRAWN = re.compile(r'<path [^>]*\bd="M[^"]+"|<use |<image ')


def drawn_marks(svg: str) -> int:
    """How many mark groups hold something drawn (each group cut at its own closing </g>)."""
    count = 0
    for start in MARK_START.finditer(svg):
        depth, end = 0, len(svg)
        for tag in re.finditer(r"<g\b[^>]*?(/?)>|</g>", svg[start.start() :]):
            if tag.group(0).startswith("</"):
                depth -= 1
            elif not tag.group(1):
                depth += 1
            if depth == 0:
                end = start.start() + tag.end()
                break
        group = re.sub(r"<defs>.*?</defs>", "", svg[start.start() : end], flags=re.S)
        count += bool(DRAWN.search(group))
    return count


@pytest.fixture(scope="session")
def chromium() -> str:
    found = find_chromium()
    if not found:
        message = (
            "Chromium not found: the browser check of the report needs Debian's chromium "
            "(`sudo apt-get install chromium`; .ci/run installs it)"
        )
        if IN_CI:
            pytest.fail(message + " -- under CI this check must run, not skip")
        pytest.skip(message)
    return found


def load(binary: str, page: Path, profile: Path, screenshot: Path | None = None) -> tuple[str, str]:
    """(DOM after load, console log) of a page; with screenshot, also save a PNG of it."""
    url = page.resolve().as_uri()
    proc = subprocess.run(
        [*chromium_args(binary, profile), "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"chromium failed on {page}: {proc.stderr[-2000:]}"
    if screenshot:
        take_screenshot(binary, page, screenshot, profile)
    return proc.stdout, proc.stderr


def page_faults(dom: str, log: str) -> list[str]:
    faults = []
    if 'data-rendered="1"' not in dom:
        faults.append("the page's closing script did not run")
    errors = re.search(r'data-js-errors="([^"]*)"', dom)
    if errors:
        faults.append(f"JavaScript error: {errors.group(1)}")
    faults += [
        f"console: {line.strip()[:300]}"
        for line in log.splitlines()
        if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)
    ]
    for chart in CHART_RE.finditer(dom):
        if not drawn_marks(chart.group(0)):
            faults.append(f"chart {chart.group(1)} has no drawn marks")
    if 'class="problem"' in dom:
        faults.append(
            "the page shows a problem box: " + "; ".join(re.findall(r'<div class="problem">(.*?)</div>', dom))[:500]
        )
    return faults


def test_the_check_catches_a_script_error_and_an_empty_chart(chromium, tmp_path):
    """The harness itself can fail: a page with a JS error and a chart without marks."""
    good = tmp_path / "site" / "good.html"
    good.parent.mkdir()
    good.write_text(
        '<!doctype html><html><head><script>window.addEventListener("error",function(e){'
        'document.documentElement.setAttribute("data-js-errors",e.message);});</script></head><body>'
        '<svg class="chart-svg" data-chart-id="c1"><g id="c1-mark-0"><path d="M 0 0 L 10 10"/></g></svg>'
        '<script>document.documentElement.setAttribute("data-rendered","1");</script></body></html>'
    )
    dom, log = load(chromium, good, tmp_path / "profile")
    assert page_faults(dom, log) == []
    broken = good.with_name("broken.html")
    broken.write_text(
        good.read_text()
        .replace('<g id="c1-mark-0"><path d="M 0 0 L 10 10"/></g>', "<g></g>")
        .replace("</body>", "<script>noSuchFunction();</script></body>")
    )
    dom, log = load(chromium, broken, tmp_path / "profile")
    faults = page_faults(dom, log)
    assert any("noSuchFunction" in f for f in faults), faults
    assert any("no drawn marks" in f for f in faults), faults


def test_every_report_page_loads_cleanly_in_chromium(chromium, sample_build: Build, tmp_path):
    site = sample_build.build / "reports"
    pages = sorted(p for p in site.rglob("*.html"))
    assert len(pages) >= 10, f"report pages: {[p.name for p in pages]}"
    shots = tmp_path / "screenshots"
    problems = {}
    charts = 0
    for page in pages:
        name = page.relative_to(site).with_suffix(".png").as_posix().replace("/", "__")
        dom, log = load(chromium, page, tmp_path / "profile", shots / name)
        charts += len(CHART_RE.findall(dom))
        faults = page_faults(dom, log)
        if faults:
            problems[page.relative_to(site).as_posix()] = faults
    keep = site / "screenshots"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(shots, keep)
    print(f"screenshots: {keep}")
    assert problems == {}, problems
    assert charts >= 10, f"only {charts} charts across the report"
    assert len(list(shots.glob("*.png"))) == len(pages)
    # A blank screenshot is a tiny PNG; a rendered page with text and charts is not.
    small = [p.name for p in shots.glob("*.png") if p.stat().st_size < 20_000]
    assert not small, f"screenshots that look blank: {small}"
    if os.environ.get("REPORTS_KEEP_SCREENSHOTS"):
        shutil.copytree(shots, os.environ["REPORTS_KEEP_SCREENSHOTS"], dirs_exist_ok=True)
