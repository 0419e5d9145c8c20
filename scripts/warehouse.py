"""Build, score and publish the warehouse: the steps behind `make build`.

    python scripts/warehouse.py build      # prepare, dbt build, ML, dbt build (scores), publish
    python scripts/warehouse.py prepare    # sample data, ZIP unpacking, pseudonym key, seed stubs
    python scripts/warehouse.py publish    # copy the build file to TIKTOK_WAREHOUSE atomically
    python scripts/warehouse.py summary

Environment (the raw-data contract, README):
    TIKTOK_RAW_DIR    raw folder (default data/sample)
    TIKTOK_BUILD_DIR  persistent build state (default build/)
    TIKTOK_WAREHOUSE  published DuckDB file (default warehouse.duckdb)
    TIKTOK_PSEUDONYM_KEY  optional secret for pseudonymising third-party user names
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


def child_env() -> dict[str, str]:
    """Absolute paths and telemetry off for every child process (dbt, ML)."""
    p = paths()
    env = dict(os.environ)
    env.update(
        TIKTOK_RAW_DIR=str(p["raw"]),
        TIKTOK_BUILD_DIR=str(p["build"]),
        TIKTOK_WAREHOUSE=str(p["warehouse"]),
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
        raise BuildError(f"{what} failed (exit {result.returncode}); the published warehouse is unchanged")


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
    run([sys.executable, str(REPO / "scripts" / "generate_sample_data.py"), "--out", str(raw)],
        "generate sample data")


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
    finally:
        con.close()
    lines = ["", "=" * 72, "TikTok warehouse built and published", "=" * 72]
    lines.append("tables: " + ", ".join(f"{schema} {n}" for schema, n in rows))
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


def build(skip_ml: bool = False) -> None:
    p = paths()
    prepare()
    dbt = venv_bin("dbt")
    run([dbt, "build"], "dbt build")
    first = run_results(p["build"])
    second: dict[str, int] = {}
    if not skip_ml:
        run([sys.executable, "-m", "ml", "run"], "ML: train, evaluate, score")
        run([dbt, "build", "--select", "tag:ml_scores+"], "dbt build of the scored marts")
        second = run_results(p["build"])
    report = REPO / "scripts" / "render_reports.py"
    if report.exists():
        run([sys.executable, str(report)], "static report")
    publish()
    print(summary(merge_counts(first, second)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "prepare", "publish", "summary"])
    parser.add_argument("--skip-ml", action="store_true", help="build without the ML step")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(skip_ml=args.skip_ml)
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
