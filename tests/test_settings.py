"""The one settings object: every TIKTOK_* variable the project names is declared there, read
there only, parsed with a clear error, and listed in the README exactly as declared."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import tiktok_settings
from tiktok_settings import REPO, VARIABLES, current
from tiktok_settings.__main__ import END, START, render

NAME = re.compile(r"\bTIKTOK_[A-Z][A-Z_]*[A-Z]\b")
# Reading a variable from the environment in Python: only tiktok_settings may.
PYTHON_READ = re.compile(
    r"""(?:environ\.get|getenv)\s*\(\s*["']TIKTOK_|environ\[\s*["']TIKTOK_\w+["']\s*\](?!\s*=[^=])"""
)
SCANNED = ("*.py", "*.sql", "*.yml", "*.md", "Makefile", "*.toml")
SKIPPED_DIRS = {".venv", "build", "target", "logs", "node_modules", ".git", "dbt_packages"}


def project_files() -> list[Path]:
    files = []
    for pattern in SCANNED:
        for path in REPO.rglob(pattern):
            parts = set(path.relative_to(REPO).parts)
            if not parts & SKIPPED_DIRS and path.is_file():
                files.append(path)
    return files


def test_every_variable_named_in_the_project_is_declared():
    declared = {v.name for v in VARIABLES}
    named = {}
    for path in project_files():
        for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
            named.setdefault(name, path.relative_to(REPO))
    undeclared = {name: str(path) for name, path in named.items() if name not in declared}
    assert not undeclared, f"TIKTOK_* variables used but not declared in tiktok_settings: {undeclared}"
    unused = declared - set(named) - {v.name for v in VARIABLES if v.audience == "tests"}
    assert not unused, f"declared but never used: {sorted(unused)}"


def test_only_the_settings_package_reads_the_environment():
    readers = [
        f"{path.relative_to(REPO)}:{n}"
        for path in project_files()
        if path.suffix == ".py" and "tiktok_settings" not in path.parts and path.name != "test_settings.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PYTHON_READ.search(line)
    ]
    assert not readers, f"read TIKTOK_* through tiktok_settings.current() instead: {readers}"


def test_the_readme_table_is_the_declared_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    assert render(readme) == readme, "README.md's table is stale: run python -m tiktok_settings readme"


def test_the_readme_check_fails_on_a_stale_table(tmp_path, monkeypatch):
    stale = (REPO / "README.md").read_text(encoding="utf-8").replace("the raw folder above", "the raw folder")
    monkeypatch.setattr(tiktok_settings.__main__, "REPO", tmp_path)
    (tmp_path / "README.md").write_text(stale, encoding="utf-8")
    assert tiktok_settings.__main__.main(["readme", "--check"]) == 1
    assert tiktok_settings.__main__.main(["readme"]) == 0
    assert tiktok_settings.__main__.main(["readme", "--check"]) == 0


def test_defaults_and_values_are_read_when_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("TIKTOK_RAW_DIR", raising=False)
    given = current()
    assert given.raw_dir == (REPO / "data" / "sample").resolve()
    monkeypatch.setenv("TIKTOK_RAW_DIR", str(tmp_path))
    # the same object sees the change: nothing is read at import or construction time
    assert given.raw_dir == tmp_path.resolve()
    assert current({"TIKTOK_ML_SEED_MAX_ROWS": "0"}).ml_seed_max_rows == 0
    assert current({}).ml_seed_max_rows == 100_000
    assert current({"TIKTOK_FILE_MODE": "0640"}).file_mode == 0o640
    assert current({"TIKTOK_FILE_MODE": " "}).file_mode == 0o600  # blank counts as unset
    assert current({"TIKTOK_ENGINE": "Spark"}).engine == "spark"
    assert current({"TIKTOK_TEST_SPARK": "1"}).test_spark is True
    assert current({}).pseudonym_key is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TIKTOK_ML_SEED_MAX_ROWS", "-1", "whole number"),
        ("TIKTOK_ML_MAX_FIT_ROWS", "1e5", "whole number"),
        ("TIKTOK_FILE_MODE", "rw-", "octal"),
        ("TIKTOK_FILE_MODE", "0755", "nobody may execute"),
        ("TIKTOK_FILE_MODE", "0400", "owner must read and write"),
        ("TIKTOK_ENGINE", "postgres", "duckdb or spark"),
    ],
)
def test_a_bad_value_names_the_variable(name, value, message):
    attr = tiktok_settings.BY_NAME[name].attr
    with pytest.raises(ValueError, match=message) as raised:
        getattr(current({name: value}), attr)
    assert name in str(raised.value)


def test_an_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError):
        _ = current().raw_folder


def test_the_cli_checks_the_committed_readme():
    result = subprocess.run(
        [sys.executable, "-m", "tiktok_settings", "readme", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
