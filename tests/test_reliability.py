"""Readers never blocked, warehouse never half-built: kill the build at several points, with a
reader holding the published file open, and show that the last good warehouse stays in place,
the next build recovers without manual steps, and rebuilding the same input gives identical
marts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, SAMPLE, Build, assert_same_contents, build_env, file_sha256, run_pipeline, table_contents

from ml.score_sets import ml_seed_dir


def start_build_all(env: dict) -> subprocess.Popen:
    """`warehouse.py build --all` in its own process group, its output on a pipe."""
    return subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "warehouse.py"), "build", "--all"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def build_and_kill(env: dict, marker: str, delay: float = 1.0, timeout: float = 600) -> str:
    """Start `warehouse.py build --all` (everything, though nothing changed), SIGKILL the whole
    process group `delay` seconds after the output line containing `marker`. Returns the output
    seen."""
    proc = start_build_all(env)
    seen = []
    deadline = time.monotonic() + timeout
    try:
        for line in proc.stdout:
            seen.append(line)
            if marker in line:
                time.sleep(delay)
                break
            if time.monotonic() > deadline:
                break
        else:
            pytest.fail(f"build ended before reaching {marker!r}:\n{''.join(seen)[-3000:]}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return "".join(seen)


@pytest.mark.slow
def test_killed_builds_leave_the_last_good_warehouse_and_recover(sample_build: Build, tmp_path):
    published = tmp_path / "published" / "warehouse.duckdb"
    env = build_env(SAMPLE, tmp_path / "build", published)
    run_pipeline(env, "build")
    good = file_sha256(published)
    good_content = table_contents(published)
    assert good_content, "no marts built"

    reader = duckdb.connect(str(published), read_only=True)  # a BI tool with the file open
    try:
        n_tables = reader.execute("select count(*) from duckdb_tables()").fetchone()[0]
        for marker, delay in (("==> dbt build:", 4.0), ("==> ML: train", 1.5)):
            build_and_kill(env, marker, delay)
            assert file_sha256(published) == good, f"published warehouse changed after a kill at {marker}"
            assert reader.execute("select count(*) from duckdb_tables()").fetchone()[0] == n_tables
        # The next build recovers without manual steps, with a reader still attached; a killed
        # build leaves no complete build on record, so it rebuilds everything.
        log = run_pipeline(env, "build").stdout
        assert "==> building everything: no complete build on record" in log, log[-2000:]
    finally:
        reader.close()
    assert not list(published.parent.glob(".*publishing"))
    seeds = list(ml_seed_dir(tmp_path / "build").iterdir())
    # score hand-off files only (seed CSVs, Parquet score files), no temp file of a killed write
    assert all(p.suffix in (".csv", ".parquet") and not p.name.startswith(".") for p in seeds), (
        f"half-written seed files left: {seeds}"
    )
    assert {p.suffix for p in seeds} == {".csv", ".parquet"}, seeds
    # Idempotent: the same input, built again in the same build dir, gives identical marts and
    # scores, and a fresh build elsewhere (the session build) agrees too.
    assert_same_contents(table_contents(published), good_content, "rebuild in the same build dir")
    assert_same_contents(table_contents(sample_build.warehouse), good_content, "fresh build elsewhere")


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process below `pid`."""
    from scripts.warehouse import _children

    found, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        try:
            found.append((child, Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except OSError:
            continue
        todo += _children(child)
    return found


@pytest.mark.slow
def test_a_failed_ml_step_stops_the_report_drawn_beside_it(tmp_path):
    """The report starts with the ML step; when the ML step fails, the build stops the report,
    which leaves the last good site as it was and no process or half-written site behind."""
    env = build_env(SAMPLE, tmp_path / "build", tmp_path / "published" / "warehouse.duckdb")
    run_pipeline(env, "build")
    site = tmp_path / "build" / "reports"
    good = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    proc = start_build_all(env)
    seen, report = [], []
    try:
        for line in proc.stdout:
            seen.append(line)
            if "==> ML: train" in line:
                break
        ml = []
        deadline = time.monotonic() + 60
        while not (ml and report) and time.monotonic() < deadline:
            below = descendants(proc.pid)
            ml = [pid for pid, cmd in below if "--module ml -- run" in cmd]
            report = [pid for pid, cmd in below if "render_reports.py -- --later" in cmd]
            time.sleep(0.05)
        assert ml and report, f"the ML step and the report run side by side:\n{''.join(seen)[-3000:]}"
        os.kill(ml[0], signal.SIGKILL)
        seen += proc.stdout.readlines()
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    log = "".join(seen)
    assert proc.returncode != 0 and "ML: train, evaluate, score failed" in log, log[-3000:]
    assert not os.path.exists(f"/proc/{report[0]}"), "the report outlived the build"
    assert not (tmp_path / "build" / "reports.partial").exists()
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == good


# ----------------------------------------------------------------------------- warm start
STEP = """
import sys
from pathlib import Path
line = sys.stdin.readline()
Path(sys.argv[1]).write_text(repr((sys.argv[1:], line)))
sys.exit(5)
"""


def warm(*target: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "warm_start.py"), "--import", "json,csv", *target],
        cwd=REPO,
        stdin=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_a_warm_step_runs_on_start_with_its_arguments_and_stdin(tmp_path):
    """The build starts the ML step and the report while dbt runs (scripts/warm_start.py): the
    step runs only on `start`, gets arguments that look like options, reads the lines after
    `start` itself (the report's `go`), and its exit code is the launcher's."""
    step, out = tmp_path / "step.py", tmp_path / "out.txt"
    step.write_text(STEP)
    proc = warm("--script", str(step), "--", str(out), "--later", "x")
    time.sleep(0.5)
    assert proc.poll() is None and not out.exists(), "the step ran before `start`"
    proc.stdin.write(b"start\ngo\n")  # in one write: the launcher must leave `go` to the step
    proc.stdin.close()
    assert proc.wait(timeout=60) == 5
    assert out.read_text() == repr(([str(out), "--later", "x"], "go\n"))


def test_a_warm_step_never_started_runs_nothing(tmp_path):
    step, out = tmp_path / "step.py", tmp_path / "out.txt"
    step.write_text(STEP)
    proc = warm("--script", str(step), "--", str(out))
    proc.stdin.close()  # the build failed before the step was due
    assert proc.wait(timeout=60) == 0
    assert not out.exists()


def test_a_warm_module_runs_as_python_m_does(tmp_path):
    proc = warm("--module", "ml", "--", "--help")
    proc.stdin.write(b"start\n")
    proc.stdin.close()
    assert proc.wait(timeout=120) == 0
