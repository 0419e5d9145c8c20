"""Lint: ruff on the Python (rules in pyproject.toml), sqlfluff (dbt templater, duckdb dialect,
rules in .sqlfluff) on the models and analyses.

`make test-fast` sets TIKTOK_LINT_CHANGED_ONLY=1: sqlfluff then checks only the SQL files that
differ from `main` (committed or not), which is what the inner loop changed; `make test` checks all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Build

import tiktok_settings

SQL_ROOTS = ("models", "analyses")


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def changed_sql_files(repo: Path = REPO, base: str = "main") -> list[str]:
    """SQL files under models/ and analyses/ that differ from `base` (committed, staged or not),
    plus new untracked ones; existing files only. Without a `base` branch: every SQL file."""
    merge_base = subprocess.run(["git", "merge-base", "HEAD", base], cwd=repo, capture_output=True, text=True)
    if merge_base.returncode != 0:
        return [str(p.relative_to(repo)) for root in SQL_ROOTS for p in sorted((repo / root).rglob("*.sql"))]
    names = subprocess.run(
        ["git", "diff", "--name-only", merge_base.stdout.strip(), "--", *SQL_ROOTS],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    names += subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", *SQL_ROOTS],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted({n for n in names if n.endswith(".sql") and (repo / n).exists()})


def test_ruff_lint_and_format_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        proc = subprocess.run([tool("ruff"), *args], cwd=REPO, capture_output=True, text=True)
        assert proc.returncode == 0, f"ruff {' '.join(args)}:\n{proc.stdout[-6000:]}{proc.stderr[-2000:]}"


def test_sqlfluff_lint_clean(sample_build: Build):
    targets = list(SQL_ROOTS)
    if tiktok_settings.current().lint_changed_only:
        targets = changed_sql_files()
        if not targets:
            pytest.skip("no SQL file differs from main")
    proc = subprocess.run(
        [tool("sqlfluff"), "lint", *targets, "--format", "human"],
        cwd=REPO,
        env=sample_build.env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-3000:]
    assert "All Finished" in proc.stdout + proc.stderr


def test_changed_sql_files_sees_committed_and_uncommitted_work(tmp_path):
    """The changed-only mode must see work in progress, or the fast tier would lint nothing."""

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "kept.sql").write_text("select 1 as x\n")
    (tmp_path / "models" / "edited.sql").write_text("select 1 as x\n")
    git("init", "-q", "-b", "main")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    git("checkout", "-qb", "work")
    (tmp_path / "models" / "committed.sql").write_text("select 2 as y\n")
    git("add", ".")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "work")
    (tmp_path / "models" / "edited.sql").write_text("select 3 as z\n")
    (tmp_path / "models" / "untracked.sql").write_text("select 4 as w\n")
    assert changed_sql_files(tmp_path) == ["models/committed.sql", "models/edited.sql", "models/untracked.sql"]
