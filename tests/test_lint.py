"""sqlfluff (dbt templater, duckdb dialect, rules in .sqlfluff) is clean on every model."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, Build


def test_sqlfluff_lint_clean(sample_build: Build):
    sqlfluff = Path(sys.executable).parent / "sqlfluff"
    proc = subprocess.run(
        [str(sqlfluff), "lint", "models", "analyses", "--format", "human"],
        cwd=REPO, env=sample_build.env, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-3000:]
    assert "All Finished" in proc.stdout + proc.stderr
