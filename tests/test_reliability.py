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

import duckdb
import pytest
from conftest import REPO, SAMPLE, Build, assert_same_contents, build_env, file_sha256, run_pipeline, table_contents

from ml.score_sets import ml_seed_dir


def build_and_kill(env: dict, marker: str, delay: float = 1.0, timeout: float = 600) -> str:
    """Start `warehouse.py build --all` (everything, though nothing changed), SIGKILL the whole
    process group `delay` seconds after the output line containing `marker`. Returns the output
    seen."""
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "warehouse.py"), "build", "--all"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
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
