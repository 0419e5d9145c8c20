"""The bad-input corpus: every case of tests/bad_inputs/cases.py gets its outcome.

Two pipeline runs over ONE raw folder holding every case (each in <kind>/<case id>/):

1. `warehouse.py build --skip-ml` with TIKTOK_DBT_VARS='{skip_unreadable_files: true}': the
   build succeeds and publishes; every `error` case is skipped and listed in
   audit.skipped_raw_files with its reason; every `loads`/`quarantine` case has its staged,
   quarantined and duplicate counts, quarantine reasons and reconciliation.
2. The same build without the var: it fails, prints one line per unreadable file naming it and
   the problem, and the warehouse published by run 1 is byte for byte unchanged.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass

import pytest
from bad_inputs.cases import CASES, DOC, KINDS, OUTCOMES, Case, markdown
from conftest import SAMPLE, Build, build_env, file_sha256, run_pipeline

pytestmark = pytest.mark.slow

ERROR_CASES = [c for c in CASES if c.outcome == "error"]
ROW_CASES = [c for c in CASES if c.outcome != "error"]


def result_name(result: dict) -> str:
    """`test.<project>.<name>.<hash>` -> name (models: `model.<project>.<name>`)."""
    return result["unique_id"].split(".")[2]


@dataclass
class Corpus:
    build: Build
    skip_output: str
    skip_results: dict
    strict_returncode: int
    strict_output: str
    hash_before: str
    hash_after: str


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("bad_inputs")
    raw, build_dir, warehouse = root / "raw", root / "build", root / "published" / "warehouse.duckdb"
    for case in CASES:
        case.write(raw)
    env = build_env(raw, build_dir, warehouse, TIKTOK_DBT_VARS="{skip_unreadable_files: true}")
    skip = run_pipeline(env, "build", "--skip-ml")
    results = json.loads((build_dir / "target" / "run_results.json").read_text())
    before = file_sha256(warehouse)
    strict = run_pipeline(build_env(raw, build_dir, warehouse, TIKTOK_DBT_VARS=""), "build", "--skip-ml", check=False)
    return Corpus(
        build=Build(raw=raw, build=build_dir, warehouse=warehouse, env=env, log=skip.stdout),
        skip_output=skip.stdout + skip.stderr,
        skip_results=results,
        strict_returncode=strict.returncode,
        strict_output=strict.stdout + strict.stderr,
        hash_before=before,
        hash_after=file_sha256(warehouse),
    )


# ----------------------------------------------------------------------------- the corpus itself
def test_corpus_covers_every_kind_and_outcome():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
    for case in CASES:
        assert case.kind in KINDS and case.outcome in OUTCOMES, case.id
        assert case.problem and case.fix, case.id
        assert case.outcome == "loads" or case.reason, f"{case.id}: error/quarantine cases need a reason"
        assert case.outcome == "error" or case.staged is not None, f"{case.id}: expected staged count"
        assert sum(len(c) for c in case.files.values()) < 2000, f"{case.id}: keep fixtures tiny"
    for kind in KINDS:
        outcomes = {c.outcome for c in CASES if c.kind == kind}
        assert "error" in outcomes and outcomes & {"loads", "quarantine"}, (kind, outcomes)


def test_docs_table_is_generated_from_the_cases():
    text = DOC.read_text()
    assert text == markdown(), "docs/bad_inputs.md is stale: run `python -m tests.bad_inputs.cases`"
    for case in CASES:
        assert f"`{case.id}`" in text


# ----------------------------------------------------------------------------- unreadable files
@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.id)
def test_unreadable_file_stops_the_build_in_one_line(corpus: Corpus, case: Case):
    assert corpus.strict_returncode != 0, "an unreadable file must fail the build"
    pattern = re.compile(case.error_regex())
    lines = [line for line in corpus.strict_output.splitlines() if pattern.search(line)]
    assert lines, f"no line matches {pattern.pattern!r}:\n{corpus.strict_output[-4000:]}"
    assert "BUILD FAILED: raw file " in corpus.strict_output, "the pipeline's last words name the files"
    assert corpus.hash_after == corpus.hash_before, "a failed build changed the published warehouse"


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.id)
def test_unreadable_file_is_skipped_and_recorded_with_the_var(corpus: Corpus, case: Case):
    rows = corpus.build.query(
        "select raw_kind, reason from audit.skipped_raw_files where source_file like ?", [case.prefix + "%"]
    )
    assert len(rows) == len(case.files), rows
    assert rows[0][0] == case.kind
    assert re.search(case.reason, rows[0][1]), rows


def test_skipping_ends_with_a_loud_warning(corpus: Corpus):
    n = len(ERROR_CASES)
    assert f"WARNING: {n} unreadable raw file(s) were SKIPPED" in corpus.skip_output
    assert corpus.build.query("select count(*) from audit.skipped_raw_files")[0][0] == n
    test = [r for r in corpus.skip_results["results"] if result_name(r) == "skipped_raw_files_none_skipped"]
    assert test and test[0]["status"] == "warn" and test[0]["failures"] == n, test


# ----------------------------------------------------------------------------- bad rows / values
def counts(build: Build, case: Case) -> dict:
    """Staged, quarantined and duplicate rows of the case's files, and the quarantine reasons,
    each from the model that owns it; `unreconciled` lists reconciliation rows that do not add up."""
    like = [case.prefix + "%"]
    q = build.query
    if case.kind == "export":
        # exports reconcile per account; with no profile, a case's account is its folder name
        rec = q(
            "select raw_item_count, staged_row_count, duplicate_row_count, quarantined_row_count "
            "from audit.tiktok_export_reconciliation where account_id = ?",
            [case.id],
        )
        staged, duplicates, quarantined = (sum(r[i] for r in rec) for i in (1, 2, 3))
        unreconciled = [r for r in rec if r[0] != r[1] + r[2] + r[3]]
        reasons = q(
            "select quarantine_reason, item_position from audit.tiktok_export_quarantined_items "
            "where source_file like ?",
            like,
        )
    elif case.kind == "video_metadata":
        staged = q("select count(*) from staging.stg_video_metadata__videos where source_file like ?", like)[0][0]
        reasons = q(
            "select quarantine_reason, item_position from audit.tiktok_export_quarantined_items "
            "where list_name = 'video_metadata' and source_file like ?",
            like,
        )
        rec = q(
            "select raw_rows, staged_rows, quarantined_rows, duplicate_rows "
            "from audit.video_metadata_reconciliation where source_file like ?",
            like,
        )
        duplicates = sum(r[3] for r in rec)
        quarantined = sum(r[2] for r in rec)
        unreconciled = [r for r in rec if r[0] != r[1] + r[2] + r[3]]
    elif case.kind == "claims":
        staged = q("select count(*) from staging.stg_claims__videos where source_file like ?", like)[0][0]
        reasons = q("select reason, source_row from audit.claims_videos_quarantined where source_file like ?", like)
        rec = q(
            "select raw_rows, staged_rows, quarantined_rows, duplicate_rows "
            "from audit.claims_videos_reconciliation where source_file like ?",
            like,
        )
        duplicates = q("select count(*) from audit.claims_videos_duplicates where source_file like ?", like)[0][0]
        quarantined = sum(r[2] for r in rec)
        unreconciled = [r for r in rec if r[0] != r[1] + r[2] + r[3]]
    else:
        source, model = {
            "top_creators": ("top_creators", "stg_top_creators__rankings"),
            "profiles": ("creator_profiles", "stg_creator_profiles__profiles"),
        }[case.kind]
        staged = q(f"select count(*) from staging.{model} where source_file like ?", like)[0][0]
        reasons = q(
            "select quarantine_reason, source_row from audit.creators_quarantine "
            "where source_name = ? and source_file like ?",
            [source, *like],
        )
        rec = q(
            "select raw_rows, staged_rows, quarantined_rows, exact_duplicate_rows + repeated_handle_rows "
            "from audit.creators_reconciliation where source_name = ? and source_file like ?",
            [source, *like],
        )
        duplicates = sum(r[3] for r in rec)
        quarantined = sum(r[2] for r in rec)
        unreconciled = [r for r in rec if r[0] != r[1] + r[2] + r[3]]
    return {
        "staged": staged,
        "quarantined": quarantined,
        "duplicates": duplicates,
        "reasons": reasons,
        "unreconciled": unreconciled,
        "reconciled_files": len(rec),
    }


@pytest.mark.parametrize("case", ROW_CASES, ids=lambda c: c.id)
def test_rows_load_or_are_quarantined_with_their_reason(corpus: Corpus, case: Case):
    build = corpus.build
    skipped = build.query("select reason from audit.skipped_raw_files where source_file like ?", [case.prefix + "%"])
    assert not skipped, f"{case.id} must not be treated as unreadable: {skipped}"
    got = counts(build, case)
    expected = {"staged": case.staged, "quarantined": case.quarantined, "duplicates": case.duplicates}
    assert {k: got[k] for k in expected} == expected, got
    # every quarantined row is in the audit table with its position and a reason
    assert len(got["reasons"]) == case.quarantined, got["reasons"]
    for reason, position in got["reasons"]:
        assert position is not None and re.search(case.reason, reason), (reason, case.reason)
    # nothing vanished: raw rows = staged + quarantined + duplicates, per file (or account)
    assert not got["unreconciled"], got["unreconciled"]
    if case.staged or case.quarantined:
        assert got["reconciled_files"] >= 1, "the case's rows are missing from the reconciliation"
    for sql, value in case.checks:
        assert build.query(sql.replace("{prefix}", case.prefix))[0][0] == value, sql


def test_quarantine_warn_tests_report_how_many(corpus: Corpus):
    """Each domain's warn-severity test fires on the corpus and reports the quarantined count."""
    status = {result_name(r): (r["status"], r["failures"]) for r in corpus.skip_results["results"]}
    for name in ("tiktok_export_rows_quarantined", "creators_reconciliation_no_quarantined_rows_warn_only"):
        assert status[name][0] == "warn" and status[name][1] > 0, (name, status[name])
    for prefix in (
        "accepted_range_claims_videos_reconciliation_quarantined_rows",
        "accepted_range_video_metadata_reconciliation_quarantined_rows",
    ):
        hits = [v for k, v in status.items() if k.startswith(prefix)]
        assert hits and hits[0][0] == "warn" and hits[0][1] > 0, (prefix, hits)
    errors = {k: v for k, v in status.items() if v[0] in ("error", "fail")}
    assert not errors, errors


# ----------------------------------------------------------------------------- large files
def test_a_non_utf8_byte_anywhere_in_a_csv_is_named_with_its_offset(tmp_path):
    """Ingest reads every CSV whole for its encoding, streaming (no size cap): one Latin-1 byte
    deep in a file stops the build with the file, the byte and its offset."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE, raw)
    profiles = raw / "profiles" / "brightdata_tiktok_profiles.csv"
    data = profiles.read_bytes()
    offset = data.index(b"a", len(data) // 2)
    profiles.write_bytes(data[:offset] + b"\xe9" + data[offset + 1 :])  # one Latin-1 byte
    env = build_env(raw, tmp_path / "build", tmp_path / "warehouse.duckdb")
    proc = run_pipeline(env, "build", "--skip-ml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-2000:]
    line = "raw file profiles/brightdata_tiktok_profiles.csv cannot be read: "
    line += f"not UTF-8 text (byte 0xE9 at offset {offset};"
    assert line in out, out[-3000:]
    assert not (tmp_path / "warehouse.duckdb").exists()
