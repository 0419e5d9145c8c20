"""Build, score and publish the warehouse: the steps behind `make build`.

    python scripts/warehouse.py build      # prepare, dbt build, ML, dbt build (scores), publish
    python scripts/warehouse.py prepare    # sample data, ZIP unpacking, pseudonym key, seed stubs
    python scripts/warehouse.py publish    # copy the build file to TIKTOK_WAREHOUSE atomically
    python scripts/warehouse.py summary
    python scripts/warehouse.py exec -- dbt show --select creators   # any command, same env

Environment (the raw-data contract, README):
    TIKTOK_RAW_DIR    raw folder (default data/sample)
    TIKTOK_BUILD_DIR  persistent build state (default build/)
    TIKTOK_WAREHOUSE  published DuckDB file (default warehouse.duckdb)
    TIKTOK_PSEUDONYM_KEY  optional secret for pseudonymising third-party user names
    TIKTOK_DBT_VARS   dbt vars for every dbt call of the build, as YAML/JSON, e.g.
                      '{skip_unreadable_files: true}' (passed as `dbt build --vars ...`)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ml.score_sets import seed_root

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO / "data" / "sample"


class BuildError(RuntimeError):
    """A step failed; the published warehouse was left untouched."""


def paths() -> dict[str, Path]:
    return {
        "raw": Path(os.environ.get("TIKTOK_RAW_DIR", DEFAULT_RAW)).resolve(),
        "build": Path(os.environ.get("TIKTOK_BUILD_DIR", REPO / "build")).resolve(),
        "warehouse": Path(os.environ.get("TIKTOK_WAREHOUSE", REPO / "warehouse.duckdb")).resolve(),
    }


def dbt_seed_dir(build: Path) -> str:
    """The ML score-seed folder as dbt must see it: relative to the project.

    dbt writes each seed's "compiled" text to <target>/run/<project>/<seed path>; with an
    absolute seed path that join *is* the seed file, and dbt overwrote the score CSVs with
    SQL. A relative path lands inside the target dir instead. Refuse the rare layout where the
    relative path's `..` climb out of the target dir back onto the seeds themselves."""
    seeds = seed_root(build)
    rel = os.path.relpath(seeds, REPO)
    landing = Path(os.path.normpath(build / "target" / "run" / "tiktok_warehouse" / rel))
    if landing == seeds or seeds in landing.parents:
        raise BuildError(
            f"TIKTOK_BUILD_DIR={build}: put the build dir under or beside the repo "
            f"(dbt would write compiled seeds over {seeds})"
        )
    return rel.replace(os.sep, "/")


def child_env() -> dict[str, str]:
    """Absolute paths and telemetry off for every child process (dbt, ML)."""
    p = paths()
    env = dict(os.environ)
    env.update(
        TIKTOK_RAW_DIR=str(p["raw"]),
        TIKTOK_BUILD_DIR=str(p["build"]),
        TIKTOK_WAREHOUSE=str(p["warehouse"]),
        TIKTOK_SEED_DIR=dbt_seed_dir(p["build"]),
        DBT_PROFILES_DIR=str(REPO),
        DBT_PROJECT_DIR=str(REPO),
        DBT_TARGET_PATH=str(p["build"] / "target"),
        DBT_LOG_PATH=str(p["build"] / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env


def run(cmd: list[str], what: str) -> None:
    print(f"\n==> {what}: {' '.join(cmd)}", flush=True)
    result = subprocess.run(cmd, cwd=REPO, env=child_env())
    if result.returncode != 0:
        hints = failure_hints(paths()["build"]) if what.startswith("dbt") else []
        raise BuildError(
            "\n".join([*hints, f"{what} failed (exit {result.returncode}); the published warehouse is unchanged"])
        )


def dbt_vars_args() -> list[str]:
    """`--vars <TIKTOK_DBT_VARS>` for every dbt call of the build (README: bad input)."""
    given = os.environ.get("TIKTOK_DBT_VARS", "").strip()
    return ["--vars", given] if given else []


def failure_hints(build: Path) -> list[str]:
    """What to do about a failed dbt call, from its run_results.json: the one-line messages of
    raw files that stopped it (frame: readable_raw_files), then each model that ran out of
    memory under the build's DuckDB memory limit."""
    path = build / "target" / "run_results.json"
    if not path.exists():
        return []
    unreadable: list[str] = []
    out_of_memory: list[str] = []
    for result in json.loads(path.read_text()).get("results", []):
        message = result.get("message") or ""
        for line in message.splitlines():
            line = line.strip()
            if line.startswith("raw file ") and " cannot be read: " in line and line not in unreadable:
                unreadable.append(line)
        if "Out of Memory" in message:
            model = result.get("unique_id", "?").split(".")[-1]
            out_of_memory.append(
                f"{model} ran out of memory under the DuckDB memory limit: set "
                "TIKTOK_DUCKDB_MEMORY_LIMIT higher (e.g. 8GB, or `default` for 80% of "
                "RAM; README: settings)"
            )
    return unreadable + out_of_memory


def venv_bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


# ----------------------------------------------------------------------------- prepare
def ensure_sample_data(raw: Path) -> None:
    if raw != DEFAULT_RAW.resolve():
        if not raw.is_dir():
            raise BuildError(f"TIKTOK_RAW_DIR={raw} does not exist (see README: raw-data contract)")
        return
    if any((raw / kind).exists() for kind in ("export", "claims", "top_creators", "profiles")):
        return
    run([sys.executable, str(REPO / "scripts" / "generate_sample_data.py"), "--out", str(raw)], "generate sample data")


def unpack_zips(raw: Path, build: Path) -> list[str]:
    """Unpack every ZIP under <raw>/export into <build>/unpacked/export/<zip path>/ (never into
    the user's folder). A ZIP is unpacked again only when its bytes change; stale unpacked
    folders of ZIPs that are gone are removed."""
    target_root = build / "unpacked" / "export"
    wanted: dict[Path, Path] = {}
    for zpath in sorted((raw / "export").rglob("*")) if (raw / "export").exists() else []:
        if zpath.is_file() and zpath.suffix.lower() == ".zip":
            wanted[target_root / zpath.relative_to(raw / "export")] = zpath
    done = []
    for dest, zpath in wanted.items():
        digest = hashlib.sha256(zpath.read_bytes()).hexdigest()
        stamp = dest / ".source_sha256"
        if stamp.exists() and stamp.read_text() == digest:
            continue
        tmp = dest.with_name(dest.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            with zipfile.ZipFile(zpath) as zf:
                for member in zf.infolist():
                    name = Path(member.filename)
                    if member.is_dir() or name.is_absolute() or ".." in name.parts:
                        continue
                    if name.suffix.lower() not in (".json", ".txt"):
                        continue
                    out = tmp / name
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(zf.read(member))
        except zipfile.BadZipFile as exc:
            raise BuildError(f"{zpath.relative_to(raw)}: not a readable ZIP file ({exc})") from exc
        (tmp / ".source_sha256").write_text(digest)
        shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, dest)
        done.append(str(zpath.relative_to(raw)))
    if target_root.exists():
        for stale in [d for d in target_root.rglob("*") if d.is_dir() and d.suffix.lower() == ".zip"]:
            if stale not in wanted:
                shutil.rmtree(stale, ignore_errors=True)
    return done


def ensure_pseudonym_key(build: Path) -> Path:
    """The per-install secret used to pseudonymise third-party user names. Kept in the build
    dir (outside the warehouse and the repo); TIKTOK_PSEUDONYM_KEY overrides it. A constant
    default would be reversible by hashing public handles."""
    key_file = build / "pseudonym.key"
    given = os.environ.get("TIKTOK_PSEUDONYM_KEY")
    if given:
        if not key_file.exists() or key_file.read_text() != given:
            key_file.write_text(given)
    elif not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
    key_file.chmod(0o600)
    return key_file


def prepare() -> None:
    p = paths()
    p["build"].mkdir(parents=True, exist_ok=True)
    # Always present (Spark lists them like the raw folder; a missing folder is an error there).
    (p["build"] / "unpacked").mkdir(exist_ok=True)
    (p["build"] / "enrichment").mkdir(mode=0o700, exist_ok=True)  # written by `make enrich`
    ensure_sample_data(p["raw"])
    unpacked = unpack_zips(p["raw"], p["build"])
    if unpacked:
        print(f"==> unpacked {len(unpacked)} ZIP export(s) into {p['build'] / 'unpacked'}")
    ensure_pseudonym_key(p["build"])
    run([sys.executable, "-m", "ml", "init-seeds"], "ML seed stubs")


# ----------------------------------------------------------------------------- publish
def publish() -> Path:
    """Checkpoint the build file, copy it beside the published path, os.replace it into place.
    Readers holding the old file keep their consistent view; nobody sees a half-written file."""
    import duckdb

    p = paths()
    src = p["build"] / "warehouse.duckdb"
    if not src.exists():
        raise BuildError(f"no build file at {src}: run the build first")
    con = duckdb.connect(str(src))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    dest = p["warehouse"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.publishing")
    shutil.copyfile(src, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    print(f"\n==> published {dest}")
    return dest


# ----------------------------------------------------------------------------- summary
def run_results(build: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    path = build / "target" / "run_results.json"
    if not path.exists():
        return counts
    for result in json.loads(path.read_text()).get("results", []):
        key = f"{result['unique_id'].split('.')[0]}:{result['status']}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def summary(test_counts: dict[str, int] | None = None) -> str:
    import duckdb

    p = paths()
    con = duckdb.connect(str(p["warehouse"]), read_only=True)
    try:
        rows = con.execute(
            "select schema_name, count(*) from duckdb_tables() "
            "where database_name = current_database() group by 1 order by 1"
        ).fetchall()
        has_skipped = con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'audit' and table_name = 'skipped_raw_files'"
        ).fetchone()[0]
        skipped = (
            con.execute(
                "select raw_kind, source_file, reason from audit.skipped_raw_files order by source_file"
            ).fetchall()
            if has_skipped
            else []
        )
    finally:
        con.close()
    lines = ["", "=" * 72, "TikTok warehouse built and published", "=" * 72]
    lines.append("tables: " + ", ".join(f"{schema} {n}" for schema, n in rows))
    if skipped:
        lines += [
            "!" * 72,
            f"WARNING: {len(skipped)} unreadable raw file(s) were SKIPPED "
            "(skip_unreadable_files); their rows are not in the warehouse:",
        ]
        lines += [f"  {kind}: {source_file}: {reason}" for kind, source_file, reason in skipped]
        lines += ["  (listed in audit.skipped_raw_files; docs/bad_inputs.md says how to fix them)", "!" * 72]
    if test_counts:
        passed = test_counts.get("test:pass", 0)
        warned = test_counts.get("test:warn", 0)
        lines.append(f"dbt tests: {passed} passed, {warned} warned")
    lines += [
        f"raw data:  {p['raw']}",
        f"warehouse: {p['warehouse']}",
        "open it:",
        f"  duckdb -readonly {p['warehouse']}",
        f"  python -c \"import duckdb; c = duckdb.connect('{p['warehouse']}', read_only=True); "
        "print(c.sql('show all tables'))\"",
        "  DBeaver/Metabase/Evidence: point a DuckDB connection at the file, read-only (README).",
        f"report: {p['build'] / 'reports' / 'index.html'} (if built)",
    ]
    return "\n".join(lines)


def merge_counts(*dicts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


# ----------------------------------------------------------------------------- incremental exports
# stg_tiktok_export__list_items parses only export folders with files it has not loaded yet; the
# event models and the theme chain after them (int_export_events_unioned .. int_lag_baselines_
# computed) rebuild only the accounts with new items. Anything else that would make rows built
# before stale forces a full refresh: a loaded file changed or gone, other dbt vars or pseudonym
# key, a change to the code of those models, the theme keywords or the video-metadata files.
BUILD_STATE = "build_state.json"
PARSER_CODE = (
    "models/staging/tiktok_export",
    "models/intermediate/influence",
    "macros/tiktok_export",
    "macros/frame",
    "seeds/theme_keywords.csv",
)
# What the whole build's result depends on besides the raw files: a change to any of it means a
# whole build (every model, test and the ML step), not just the export lineage.
PROJECT_CODE = (
    "models",
    "macros",
    "seeds",
    "ml",
    "dbt_project.yml",
    "profiles.yml",
    "requirements.txt",
    "scripts/warehouse.py",
)
# What a build selects when the only change since the last complete build is new export files:
# everything downstream of the export sources, plus the unreadable-file audit (it lists files
# itself, without a source()). Nothing else reads the exports, and the ML step reads none of it.
EXPORT_LINEAGE = ("source:tiktok_export+", "skipped_raw_files")


def files_signature(
    root: Path, base: Path, suffixes: tuple[str, ...] | None = None, skip: Path | None = None
) -> dict[str, list[int]]:
    """{path relative to base: [size, mtime_ns]} of the files under root (stat only, no read)."""
    files = {}
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if skip is not None and path.is_relative_to(skip):
            continue
        if path.is_file() and (suffixes is None or path.suffix.lower() in suffixes):
            stat = path.stat()
            files[path.relative_to(base).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return files


def code_digest(entries: tuple[str, ...], suffixes: tuple[str, ...] | None = None) -> str:
    code = hashlib.sha256()
    for entry in entries:
        root = REPO / entry
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and "__pycache__" not in path.parts and (suffixes is None or path.suffix in suffixes):
                code.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return code.hexdigest()


def build_state(raw: Path, build: Path) -> dict:
    files = files_signature(raw / "export", raw, (".json", ".txt"))
    files.update(files_signature(build / "unpacked" / "export", build / "unpacked", (".json", ".txt")))
    key = build / "pseudonym.key"
    settings = hashlib.sha256(
        (os.environ.get("TIKTOK_DBT_VARS", "") + "|" + (key.read_text() if key.exists() else "")).encode()
    ).hexdigest()
    return {
        "files": files,
        "parser_code": code_digest(PARSER_CODE, (".sql", ".csv")),
        "settings": settings,
        "project_code": code_digest(PROJECT_CODE),
        "other_raw_files": files_signature(raw, raw, skip=raw / "export"),
        # What `make enrich` wrote: read beside the video-metadata files, like them.
        "enrichment_files": files_signature(build / "enrichment", build, (".csv",)),
    }


def video_metadata_files(state: dict) -> dict[str, list[int]]:
    files = {name: sig for name, sig in state.get("other_raw_files", {}).items() if name.startswith("video_metadata/")}
    files.update(state.get("enrichment_files", {}))
    return files


def full_refresh_reason(previous: dict | None, current: dict) -> str | None:
    """Why the parsed export rows of the last build cannot be kept, or None (incremental)."""
    if previous is None:
        return None  # nothing loaded yet
    if previous.get("parser_code") != current["parser_code"]:
        return "the code of the incremental export models or the theme keywords changed"
    if video_metadata_files(previous) != video_metadata_files(current):
        return "the video-metadata files changed (every account's themes)"
    if previous.get("settings") != current["settings"]:
        return "the dbt vars (TIKTOK_DBT_VARS) or the pseudonym key changed"
    for name, signature in previous.get("files", {}).items():
        now = current["files"].get(name)
        if now is None:
            return f"{name} is gone"
        if now != signature:
            return f"{name} changed"
    return None


def build_scope(completed: dict | None, current: dict, with_ml: bool) -> tuple[str, str]:
    """What this build must run, from the state of the last complete build: ("all", why),
    ("exports", why): only the export lineage (new export files and nothing else changed), or
    ("nothing", why). Called after full_refresh_reason found no loaded export file changed."""
    if completed is None:
        return "all", "no complete build on record"
    if completed.get("project_code") != current["project_code"]:
        return "all", "the project's code changed (models, macros, seeds, ml, settings)"
    if completed.get("settings") != current["settings"]:
        return "all", "the dbt vars (TIKTOK_DBT_VARS) or the pseudonym key changed"
    before = {**completed.get("other_raw_files", {}), **completed.get("enrichment_files", {})}
    now = {**current["other_raw_files"], **current.get("enrichment_files", {})}
    changed = sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))
    if changed:
        more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
        return "all", f"raw file {changed[0]} is new, changed or gone{more}"
    if with_ml and not completed.get("with_ml"):
        return "all", "the last build skipped the ML step"
    added = sorted(current["files"].keys() - completed.get("files", {}).keys())
    if added:
        more = f" (and {len(added) - 1} more)" if len(added) > 1 else ""
        return "exports", f"only new export files since the last build: {added[0]}{more}"
    return "nothing", "no input changed since the last complete build"


def build_spark(skip_ml: bool = False) -> None:
    """The same project on Apache Spark (issue 9): `dbt build --target spark` into the build dir.
    Every model is a table there (no Delta: the incremental export staging is rebuilt in full).
    The ML step reads the Spark marts through ml.io (TIKTOK_ENGINE=spark); no DuckDB file is
    published."""
    p = paths()
    prepare()
    dbt = venv_bin("dbt")
    # tag:duckdb_only: the few dbt unit tests whose fixtures use DuckDB-only SQL (README: Spark)
    run([dbt, "build", "--target", "spark", "--exclude", "tag:duckdb_only", *dbt_vars_args()], "dbt build (Spark)")
    first = run_results(p["build"])
    second: dict[str, int] = {}
    if not skip_ml:
        os.environ["TIKTOK_ENGINE"] = "spark"
        run([sys.executable, "-m", "ml", "run"], "ML (Spark marts): train, evaluate, score")
        run(
            [
                dbt,
                "build",
                "--target",
                "spark",
                "--select",
                "tag:ml_scores+",
                "--exclude",
                "tag:duckdb_only",
                *dbt_vars_args(),
            ],
            "dbt build of the scored marts (Spark)",
        )
        second = run_results(p["build"])
    counts = merge_counts(first, second)
    print(f"\nSpark build in {p['build']}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def build(skip_ml: bool = False, whole: bool = False) -> None:
    """The warehouse from the raw folder. After a complete build, only what changed is rebuilt:
    new export files alone rebuild the export lineage (no ML step: it reads none of it); no change
    rebuilds nothing. `whole` (--all) runs every model, test and the ML step regardless."""
    p = paths()
    prepare()
    dbt = venv_bin("dbt")
    state_file = p["build"] / BUILD_STATE
    db_file = p["build"] / "warehouse.duckdb"
    state = build_state(p["raw"], p["build"])
    previous = json.loads(state_file.read_text()) if state_file.exists() else None
    reason = full_refresh_reason(previous, state)
    if previous is None and db_file.exists():
        reason = "no record of the export files loaded before"
    refresh = ["--full-refresh"] if reason else []
    if reason:
        print(f"==> full refresh of the parsed exports: {reason}")
    completed = previous.get("completed") if previous and not reason and db_file.exists() else None
    scope, why = build_scope(completed, state, with_ml=not skip_ml)
    if whole:
        scope, why = "all", "asked for (--all)"
    print(f"==> building {'everything' if scope == 'all' else scope}: {why}")
    select = ["--select", *EXPORT_LINEAGE] if scope == "exports" else []
    # The complete-build record is cleared before anything is rebuilt and written again only after
    # every step passed: after a failed or killed build the next one builds everything. The
    # export files are recorded as loaded once dbt has parsed them.
    if scope != "nothing":
        if previous is not None:
            state_file.write_text(json.dumps({**previous, "completed": None}, indent=1))
        run([dbt, "build", *refresh, *select, *dbt_vars_args()], "dbt build")
        state_file.write_text(json.dumps({**state, "completed": None}, indent=1))
    first = run_results(p["build"]) if scope != "nothing" else {}
    second: dict[str, int] = {}
    if scope == "all" and not skip_ml:
        run([sys.executable, "-m", "ml", "run"], "ML: train, evaluate, score")
        run([dbt, "build", "--select", "tag:ml_scores+", *dbt_vars_args()], "dbt build of the scored marts")
        second = run_results(p["build"])
    with_ml = (not skip_ml) if scope == "all" else bool(completed and completed.get("with_ml"))
    report = REPO / "scripts" / "render_reports.py"
    if report.exists():
        run([sys.executable, str(report)], "static report")
    publish()
    state_file.write_text(json.dumps({**state, "completed": {**state, "with_ml": with_ml}}, indent=1))
    print(summary(merge_counts(first, second)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "prepare", "publish", "summary", "exec"])
    parser.add_argument("--skip-ml", action="store_true", help="build without the ML step")
    parser.add_argument(
        "--all",
        action="store_true",
        dest="whole",
        help="build: every model, test and the ML step, even when only new exports (or nothing) changed",
    )
    parser.add_argument(
        "--target",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="dbt target of `build` (spark: local Spark session, see README)",
    )
    parser.add_argument("argv", nargs="*", help="exec: the command to run (after --)")
    args = parser.parse_args(argv)
    try:
        if args.command == "exec":
            if not args.argv:
                parser.error("exec needs a command, e.g. exec -- dbt docs generate")
            return subprocess.run(args.argv, cwd=REPO, env=child_env()).returncode
        if args.command == "build":
            if args.target == "spark":
                build_spark(skip_ml=args.skip_ml)
            else:
                build(skip_ml=args.skip_ml, whole=args.whole)
        elif args.command == "prepare":
            prepare()
        elif args.command == "publish":
            publish()
        else:
            print(summary())
    except BuildError as exc:
        print(f"\nBUILD FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
