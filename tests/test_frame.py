"""The warehouse frame: build, publish, schemas, raw-data contract, readers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import IN_CI, REPO, SAMPLE, Build, build_env, file_sha256, run_dbt, run_pipeline

from ml.score_sets import ml_seed_dir

EXPECTED_SCHEMAS = {"staging", "intermediate", "marts", "audit", "reference", "ml"}


def all_tables(con) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() order by 1, 2"
    ).fetchall()


def test_build_publishes_every_layer(sample_build: Build):
    con = sample_build.connect()
    try:
        schemas = {s for s, _ in all_tables(con)}
        views = con.execute(
            "select count(*) from duckdb_views() where not internal and database_name = current_database()"
        ).fetchone()[0]
    finally:
        con.close()
    assert schemas >= EXPECTED_SCHEMAS, f"missing schemas: {EXPECTED_SCHEMAS - schemas}"
    assert views == 0, "views embed the catalog name and raw paths: publish tables only"
    assert "TikTok warehouse built and published" in sample_build.log
    assert str(sample_build.warehouse) in sample_build.log


def test_dbt_tests_and_unit_tests_ran(sample_build: Build):
    # run_results of the last pass; the first pass's are summarised in the build log.
    assert "dbt tests:" in sample_build.log
    passed = int(sample_build.log.split("dbt tests: ")[1].split(" passed")[0])
    assert passed > 20, f"only {passed} dbt tests passed"
    log = (sample_build.build / "logs" / "dbt.log").read_text(errors="replace")
    assert "unit_test" in log or "unit test" in log.lower()


def test_ml_score_seeds_survive_the_build_as_csv(sample_build: Build):
    """dbt once wrote compiled seed SQL over the score CSVs (absolute seed path): after a full
    build each seed file must still be a CSV whose rows are the rows of its warehouse table."""
    seeds = sorted(ml_seed_dir(sample_build.build).glob("*.csv"))
    assert seeds, "the ML step wrote no score seeds"
    con = sample_build.connect()
    try:
        for path in seeds:
            lines = path.read_text().splitlines()
            assert lines and "," in lines[0] and not lines[0].lstrip().lower().startswith(("select", "insert")), (
                f"{path.name} is not a CSV any more: {lines[:2]}"
            )
            in_file = duckdb.sql(f"select count(*) from read_csv('{path}', all_varchar = true)").fetchone()[0]
            in_table = con.execute(f"select count(*) from ml.{path.stem}").fetchone()[0]
            assert in_file == in_table > 0, f"{path.name}: {in_file} rows in the file, {in_table} in ml.{path.stem}"
    finally:
        con.close()


def test_published_file_opens_from_anywhere_under_another_name(sample_build: Build, tmp_path):
    """BI tools attach the file under their own name and working directory."""
    copy = tmp_path / "some other name.duckdb"
    shutil.copyfile(sample_build.warehouse, copy)
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        'rels = con.execute("select schema_name, table_name from duckdb_tables() '
        'where database_name = current_database()").fetchall()\n'
        'for s, t in rels: con.execute(f\'select count(*) from "{s}"."{t}"\').fetchone()\n'
        "print(len(rels))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(copy)], cwd="/", capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) > 10


def reader14_python() -> Path:
    """A separate venv with DuckDB 1.4.2, the version inside Evidence's connector."""
    venv = REPO / ".venv-duckdb14"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "duckdb==1.4.2"], check=True)
    return py


def test_published_file_opens_in_duckdb_1_4_reader(sample_build: Build):
    try:
        py = reader14_python()
    except subprocess.CalledProcessError as exc:  # no registry access on this machine
        if IN_CI:
            raise
        pytest.skip(f"could not install duckdb==1.4.2: {exc}")
    script = (
        "import duckdb, sys\n"
        "assert duckdb.__version__ == '1.4.2', duckdb.__version__\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        'rels = con.execute("select schema_name, table_name from duckdb_tables() '
        'where database_name = current_database()").fetchall()\n'
        'for s, t in rels: con.execute(f\'select * from "{s}"."{t}" limit 5\').fetchall()\n'
        "print(len(rels))\n"
    )
    out = subprocess.run([str(py), "-c", script, str(sample_build.warehouse)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) > 10


def test_source_file_is_relative_everywhere(sample_build: Build):
    con = sample_build.connect()
    try:
        cols = con.execute(
            "select table_schema, table_name from information_schema.columns "
            "where column_name = 'source_file' and table_catalog = current_database()"
        ).fetchall()
        assert cols, "no table records source_file"
        for schema, table in cols:
            bad = con.execute(
                f'select source_file from "{schema}"."{table}" '
                "where source_file like '/%' or source_file like '%:\\%' or source_file like '..%' limit 1"
            ).fetchall()
            assert not bad, f"{schema}.{table} has a non-relative source_file: {bad}"
    finally:
        con.close()


def test_pseudonym_key_lives_in_build_dir_only(sample_build: Build):
    key_file = sample_build.build / "pseudonym.key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    key = key_file.read_text()
    assert len(key) >= 32
    # the key never appears in the warehouse or in dbt's compiled SQL
    assert key.encode() not in sample_build.warehouse.read_bytes()
    for path in (sample_build.build / "target").rglob("*"):
        if path.is_file() and path.suffix in (".sql", ".json"):
            assert key not in path.read_text(errors="replace"), path


def test_reader_never_blocks_publish_and_keeps_its_view(sample_build: Build, tmp_path):
    """A BI tool holding the published file open: publishing replaces the file atomically."""
    env = dict(sample_build.env, TIKTOK_WAREHOUSE=str(tmp_path / "wh.duckdb"))
    run_pipeline(env, "publish")
    reader = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    try:
        before = reader.execute("select count(*) from duckdb_tables()").fetchone()[0]
        run_pipeline(env, "publish")  # would raise if the open reader blocked it
        assert reader.execute("select count(*) from duckdb_tables()").fetchone()[0] == before
    finally:
        reader.close()
    assert not list(tmp_path.glob(".*publishing")), "temporary publish file left behind"


@pytest.mark.slow
def test_failed_build_leaves_published_warehouse_untouched(sample_build: Build, tmp_path):
    published = tmp_path / "wh.duckdb"
    shutil.copyfile(sample_build.warehouse, published)
    before = file_sha256(published)
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    (raw / "claims" / "broken.csv").write_bytes(b"\x00\x01\x02 not a csv \xff\xfe" * 50)
    env = build_env(raw, tmp_path / "build", published)
    proc = run_pipeline(env, "build", "--skip-ml", check=False)
    assert proc.returncode != 0, "a broken raw file must fail the build"
    assert "BUILD FAILED" in proc.stderr
    assert file_sha256(published) == before


@pytest.mark.slow
def test_empty_raw_folder_builds_empty_typed_relations(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    env = build_env(raw, tmp_path / "build", tmp_path / "wh.duckdb")
    run_pipeline(env, "prepare")
    run_dbt(env, "build", "--exclude", "tag:ml_scores+")
    con = duckdb.connect(str(tmp_path / "build" / "warehouse.duckdb"), read_only=True)
    try:
        n = con.execute("select count(*) from staging.stg_claims__videos").fetchone()[0]
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'staging' and table_name = 'stg_claims__videos'"
            ).fetchall()
        )
    finally:
        con.close()
    assert n == 0
    assert types["video_view_count"] == "BIGINT"
    assert types["source_file"] == "VARCHAR"


@pytest.mark.slow
def test_duckdb_memory_limit_comes_from_the_environment(tmp_path):
    env = build_env(SAMPLE, tmp_path / "build", tmp_path / "wh.duckdb", TIKTOK_DUCKDB_MEMORY_LIMIT="lots")
    run_pipeline(env, "prepare")
    bad = run_dbt(env, "run", "--select", "stg_claims__video_rows", check=False)
    assert bad.returncode != 0
    assert "TIKTOK_DUCKDB_MEMORY_LIMIT='lots' is not a DuckDB memory size" in bad.stdout
    env["TIKTOK_DUCKDB_MEMORY_LIMIT"] = "3GB"
    run_dbt(env, "run", "--select", "stg_claims__video_rows")
    log = (tmp_path / "build" / "logs" / "dbt.log").read_text()
    assert "set memory_limit = '3GB'" in log, "the on-run-start hook did not set the limit"
    del env["TIKTOK_DUCKDB_MEMORY_LIMIT"]
    run_dbt(env, "run", "--select", "stg_claims__video_rows")
    last_run = (tmp_path / "build" / "logs" / "dbt.log").read_text()[len(log) :]
    assert "set memory_limit = '4GB'" in last_run  # unset: the project default (var duckdb_memory_limit)
    env["TIKTOK_DUCKDB_MEMORY_LIMIT"] = "default"
    run_dbt(env, "run", "--select", "stg_claims__video_rows")
    default_run = (tmp_path / "build" / "logs" / "dbt.log").read_text()[len(log) + len(last_run) :]
    assert "on-run-start" in default_run and "set memory_limit" not in default_run  # DuckDB's own


@pytest.mark.slow
def test_a_model_out_of_memory_says_to_raise_the_limit(tmp_path):
    env = build_env(SAMPLE, tmp_path / "build", tmp_path / "wh.duckdb", TIKTOK_DUCKDB_MEMORY_LIMIT="1MB")
    proc = run_pipeline(env, "build", "--skip-ml", check=False)
    assert proc.returncode != 0
    assert "Out of Memory" in proc.stdout, proc.stdout[-3000:]
    assert "ran out of memory under the DuckDB memory limit: set TIKTOK_DUCKDB_MEMORY_LIMIT higher" in proc.stderr
    assert not (tmp_path / "wh.duckdb").exists(), "a failed build published a warehouse"


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for target in ("build", "test", "lint", "docs", "clean", "reports", "sample", "bench", "enrich", "enrich-ytdlp"):
        assert f"make {target}" in out, f"`make help` lacks {target}"


def test_ci_script_calls_make_test_and_rejects_empty_runs():
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci
    make = (REPO / "Makefile").read_text()
    assert "-eq 5" in make and "-eq 5" in ci
    readme = (REPO / "README.md").read_text()
    assert "make build" in readme and "make test" in readme


def test_requirements_are_exact_pins():
    for name in ("requirements.in", "requirements.txt", "requirements-enrich.txt"):
        for line in (REPO / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                assert "==" in line, f"{name}: unpinned {line!r}"
    pins = (REPO / "requirements.txt").read_text()
    assert "dbt-duckdb==1.11.1" in pins and "duckdb==1.4." in pins
    assert "sqlfluff==4.4.0" in pins and "sqlfluff-templater-dbt==4.4.0" in pins
    assert not (REPO / "packages.yml").exists(), "dbt packages need the network"
