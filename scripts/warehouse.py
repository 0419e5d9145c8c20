"""Build, score and publish the warehouse: the steps behind `make build`.

    python scripts/warehouse.py build      # prepare, dbt build, ML, dbt build (scores), publish
    python scripts/warehouse.py prepare    # sample data, ingest (python -m ingest), pseudonym key, seed stubs
    python scripts/warehouse.py prepare --no-ingest  # build folders, pseudonym key, seed stubs only:
                                                     # what dbt compile and dbt docs need (no raw file)
    python scripts/warehouse.py publish    # copy the build file to TIKTOK_WAREHOUSE atomically
    python scripts/warehouse.py summary
    python scripts/warehouse.py exec -- dbt show --select creators   # any command, same env

Environment (the raw-data contract, README):
    TIKTOK_RAW_DIR    raw folder (default data/sample)
    TIKTOK_BUILD_DIR  persistent build state (default build/)
    TIKTOK_WAREHOUSE  published DuckDB file (default warehouse.duckdb)
    TIKTOK_PSEUDONYM_KEY  optional secret for pseudonymising third-party user names
    TIKTOK_DBT_VARS   dbt vars for every dbt call of the build, as YAML/JSON, e.g.
                      '{skip_unreadable_files: true}' (passed as `dbt build --vars ...`; ingest
                      honours skip_unreadable_files too)
    TIKTOK_FILE_MODE  mode of the files the build writes (default 0600, folders 0700); 0640
                      lets a BI tool running as another user read the published warehouse
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import tiktok_settings
from ingest.landing import apply_modes, file_mode, make_folder
from ingest.run import IngestResult, run_ingest
from ingest.settings import skip_unreadable_files
from ml.score_sets import handoff_files, ml_seed_dir, seed_root

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO / "data" / "sample"


settings = tiktok_settings.current


class BuildError(RuntimeError):
    """A step failed; the published warehouse was left untouched."""


def paths() -> dict[str, Path]:
    return {
        "raw": settings().raw_dir,
        "build": settings().build_dir,
        "warehouse": settings().warehouse,
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
        # dbt's file log at debug level (every query it sends) is much of a small build's time;
        # DBT_LOG_LEVEL_FILE=debug brings it back
        DBT_LOG_LEVEL_FILE=os.environ.get("DBT_LOG_LEVEL_FILE", "info"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env


class TreeMemory:
    """The most memory a process and its descendants held at once: their resident sizes summed,
    sampled from /proc every `interval` seconds. A process's own ru_maxrss adds nothing up across
    processes, and a child started from a large parent inherits the parent's peak at exec. Pages
    that forked processes share are counted in each (an upper bound: the proportional size,
    smaps_rollup, costs the kernel a walk of every page table and stalls a large process while it
    runs). A spike shorter than the interval can be missed (the first second is sampled every
    0.02 s). `peak_mib` stays None where /proc has no such figures."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval = pid, interval
        self.peak_mib: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        began = time.perf_counter()
        while True:
            total = tree_rss_kib(self.pid)
            if total is not None:
                self.peak_mib = max(self.peak_mib or 0.0, total / 1024)
            # Densely over the first second, so a short-lived process is measured at all.
            dense = time.perf_counter() - began < 1.0
            if self._stop.wait(min(self.interval, 0.02) if dense else self.interval):
                return


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def tree_rss_kib(pid: int) -> int | None:
    """Summed resident size (KiB) of `pid` and every descendant, or None when /proc cannot tell."""
    total, seen, todo = 0, False, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE_KIB
                seen = True
        except (OSError, IndexError, ValueError):
            pass  # exited, or no /proc
        todo += _children(current)
    return total if seen else None


def _children(pid: int) -> list[int]:
    """The child processes of `pid` (each of its threads may have started some)."""
    found = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                found += [int(child) for child in f.read().split()]
        except OSError:
            continue  # the thread ended, or a kernel without the children file
    return found


def wait_with_peak(proc: subprocess.Popen, sample: bool = True) -> float:
    """Wait for a child (setting its returncode); the most memory (MiB) it and its descendants
    held at once (TreeMemory; os.wait4's ru_maxrss where /proc cannot tell, or without `sample`).
    On Ctrl-C the child got it too: it is let finish before this re-raises."""
    with TreeMemory(proc.pid) if sample else contextlib.nullcontext() as tree:
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.wait()
            raise
    proc.returncode = os.waitstatus_to_exitcode(status)
    return tree.peak_mib if tree is not None and tree.peak_mib is not None else usage.ru_maxrss / 1024


def run(cmd: list[str], what: str) -> float:
    """Run one child step; its ru_maxrss in MiB, the step's peak where /proc cannot tell (the
    build's steps sample this process and its children together: StepClock)."""
    print(f"\n==> {what}: {' '.join(cmd)}", flush=True)
    return finish(subprocess.Popen(cmd, cwd=REPO, env=child_env()), what)


def finish(proc: subprocess.Popen, what: str) -> float:
    """Wait for a child step (run, Warm): its ru_maxrss in MiB; a BuildError when it failed."""
    peak = wait_with_peak(proc, sample=False)
    if proc.returncode != 0:
        hints = failure_hints(paths()["build"]) if what.startswith("dbt") else []
        raise BuildError(
            "\n".join([*hints, f"{what} failed (exit {proc.returncode}); the published warehouse is unchanged"])
        )
    return peak


BUILD_STEPS = "build_steps.json"


@dataclass
class StepRecord:
    name: str = ""
    began: float = 0.0
    tree: TreeMemory | None = None
    peak: float | None = None  # the child's ru_maxrss (MiB), when the step ran one


class StepClock:
    """Seconds and peak memory of each step of one build: printed at its end and kept in
    <build>/build_steps.json (the benchmark reads it), so a slow build says where its time went."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.steps: list[dict] = []

    @contextlib.contextmanager
    def step(self, name: str):
        """Time the block; its peak is the most memory the build held during it: this process (dbt
        and ingest run in it) and its children together (TreeMemory). Where /proc cannot tell, the
        child's peak (`record.peak`), else this process's so far."""
        record = self.begin(name)
        try:
            yield record
        finally:
            self.end(record)

    def begin(self, name: str) -> StepRecord:
        """A step that may overlap others (the report beside the ML step): end() closes it."""
        record = StepRecord(name=name, began=time.perf_counter(), tree=TreeMemory(os.getpid()))
        record.tree.__enter__()
        return record

    def end(self, record: StepRecord) -> None:
        record.tree.__exit__(None, None, None)
        peak = record.tree.peak_mib
        if peak is None:
            peak = record.peak if record.peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.steps.append(
            {
                "step": record.name,
                "seconds": round(time.perf_counter() - record.began, 3),
                "peak_mib": round(peak),
                "start": round(record.began - self.start, 3),  # after the build began: overlaps show
            }
        )

    def write(self, build: Path, scope: str, slowest_nodes: list[dict] | None = None) -> None:
        self.steps.sort(key=lambda s: s["start"])
        doc = {
            "scope": scope,
            "seconds": round(time.perf_counter() - self.start, 3),
            "peak_mib": round(max([s["peak_mib"] for s in self.steps], default=0)),
            "steps": self.steps,
            "slowest_nodes": slowest_nodes or [],
        }
        write_state(build / BUILD_STEPS, doc)
        line = ", ".join(f"{s['step']} {s['seconds']:.1f} s" for s in self.steps)
        print(f"==> build steps: {line} (total {doc['seconds']:.1f} s, peak {doc['peak_mib']:,} MiB)", flush=True)


@contextlib.contextmanager
def child_environ():
    """os.environ as child_env() for the length of an in-process call (dbt reads its settings,
    and the project its env_var()s, from the process environment)."""
    saved, env = dict(os.environ), child_env()
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Dbt:
    """dbt run in this process: the project is parsed once per build and each `dbt build` of it
    reuses that manifest (as a child process, every call would start dbt and parse again)."""

    def __init__(self) -> None:
        self.manifest = None
        self.node_seconds: dict[str, float] = {}  # every node's execution time, all calls

    def slowest(self, n: int = 15) -> list[dict]:
        ranked = sorted(self.node_seconds.items(), key=lambda kv: -kv[1])[:n]
        return [{"node": node, "seconds": round(seconds, 3)} for node, seconds in ranked]

    def parse(self) -> None:
        """The project's manifest (once per build; every call below reuses it)."""
        from dbt.cli.main import dbtRunner

        if self.manifest is None:
            with child_environ():
                parsed = dbtRunner().invoke(["parse", *dbt_vars_args()])
            self._check(parsed, "dbt parse")
            self.manifest = parsed.result

    def __call__(self, args: list[str], what: str) -> None:
        from dbt.cli.main import dbtRunner

        print(f"\n==> {what}: dbt {' '.join(args)}", flush=True)
        self.parse()
        with child_environ():
            try:
                result = dbtRunner(manifest=self.manifest).invoke(args)
            finally:
                release_duckdb_file()
        for node in getattr(result.result, "results", None) or []:
            self.node_seconds[node.node.unique_id] = node.execution_time
        self._check(result, what)

    def relations_after(self, tag: str) -> list[str]:
        """schema.name of each model and seed tagged `tag` and of everything that reads them
        (dbt's `tag:<tag>+`): what a later `dbt build --select tag:<tag>+` writes."""
        nodes, todo, seen = self.manifest.nodes, [u for u, n in self.manifest.nodes.items() if tag in n.tags], set()
        while todo:
            uid = todo.pop()
            if uid not in seen:
                seen.add(uid)
                todo += self.manifest.child_map.get(uid, [])
        return sorted(
            f"{nodes[u].schema}.{nodes[u].alias}".lower()
            for u in seen
            if u in nodes and nodes[u].resource_type in ("model", "seed")
        )

    @staticmethod
    def _check(result, what: str) -> None:
        if result.success:
            return
        hints = failure_hints(paths()["build"])
        crash = [f"dbt stopped: {result.exception}"] if result.exception else []
        raise BuildError("\n".join([*hints, *crash, f"{what} failed; the published warehouse is unchanged"]))


REPORT = REPO / "scripts" / "render_reports.py"
WARM_START = REPO / "scripts" / "warm_start.py"
# What each step imports before it starts (most of a small build's ML step and report otherwise)
ML_IMPORTS = ["ml.claims", "ml.creators", "ml.handoff"]
REPORT_IMPORTS = ["scripts.render_reports"]


class Warm:
    """A child step started early (scripts/warm_start.py): it imports its libraries while dbt
    builds, then runs when start() says so. A step never started exits without running (stop)."""

    def __init__(self, imports: list[str], target: list[str], what: str, pass_fds: tuple[int, ...] = ()) -> None:
        self.what = what
        self.cmd = [sys.executable, str(WARM_START), "--import", ",".join(imports), *target]
        self.proc = subprocess.Popen(self.cmd, cwd=REPO, env=child_env(), stdin=subprocess.PIPE, pass_fds=pass_fds)

    def start(self, keep_stdin: bool = False) -> None:
        print(f"\n==> {self.what}: {' '.join(self.cmd)}", flush=True)
        self.say(b"start\n")
        if not keep_stdin:
            self.proc.stdin.close()

    def say(self, line: bytes) -> None:
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # the step has exited: its exit code says how

    def wait(self) -> float:
        return finish(self.proc, self.what)

    def stop(self) -> None:
        """The build failed (or went on without this step): end it, started or not."""
        if not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class ReportBeside:
    """The static report started with the ML step: both only read the warehouse, so the pages
    that read no score (every account's influence pages: most of the charts) are drawn while the
    models train. The report lets go of the file before the scored marts are built
    (wait_released), then draws the pages that read them (finish). It is created warm, while
    dbt builds, and start() starts it with the ML step."""

    def __init__(self, later: list[str]) -> None:
        read, write = os.pipe()
        target = ["--script", str(REPORT), "--", "--later", ",".join(later), "--released-fd", str(write)]
        self.warm = Warm(
            REPORT_IMPORTS, target, "static report (the pages that read no score, beside the ML step)", (write,)
        )
        self.proc = self.warm.proc
        os.close(write)
        self.released = os.fdopen(read, "rb")

    def start(self) -> None:
        self.warm.start(keep_stdin=True)  # `go` follows on the same stdin (finish)

    def wait_released(self) -> None:
        """Until the report holds no connection to the warehouse (it says so once, then closes)."""
        said = self.released.readline()
        self.released.close()
        if not said:
            self.proc.wait()
            raise BuildError(
                f"static report failed (exit {self.proc.returncode}); the published warehouse is unchanged"
            )

    def finish(self) -> None:
        """The scores are written: the report draws the rest and writes the site."""
        print("\n==> static report: the pages that read the scores", flush=True)
        self.warm.say(b"go\n")
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise BuildError(
                f"static report failed (exit {self.proc.returncode}); the published warehouse is unchanged"
            )

    def stop(self) -> None:
        """The build failed: the report stops too (it removes what it had drawn)."""
        if not self.released.closed:
            self.released.close()
        self.warm.stop()


def release_duckdb_file() -> None:
    """dbt-duckdb keeps its DuckDB connection for the life of the process, and with it the lock
    on the build file: close it, so the ML step (another process) can open the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


def dbt_vars_args() -> list[str]:
    """`--vars <TIKTOK_DBT_VARS>` for every dbt call of the build (README: bad input)."""
    given = settings().dbt_vars
    return ["--vars", given] if given else []


def unit_test_args(unit_tests: bool) -> list[str]:
    return [] if unit_tests else ["--exclude-resource-type", "unit_test"]


def failure_hints(build: Path) -> list[str]:
    """What to do about a failed dbt call, from its run_results.json: each model that ran out of
    memory under the build's DuckDB memory limit. (Unreadable raw files never reach dbt: ingest
    stops the build on them, naming each.)"""
    path = build / "target" / "run_results.json"
    if not path.exists():
        return []
    out_of_memory: list[str] = []
    for result in json.loads(path.read_text()).get("results", []):
        if "Out of Memory" in (result.get("message") or ""):
            model = result.get("unique_id", "?").split(".")[-1]
            out_of_memory.append(
                f"{model} ran out of memory under the DuckDB memory limit: set "
                "TIKTOK_DUCKDB_MEMORY_LIMIT higher (e.g. 8GB, or `default` for 80% of "
                "RAM; README: settings)"
            )
    return out_of_memory


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


def ingest(raw: Path, build: Path) -> IngestResult:
    """Land the raw folder (python -m ingest, in this process): a file that cannot be read stops
    the build naming it, unless skip_unreadable_files is set (then the build ends with a warning)."""
    print("\n==> ingest: raw files -> landed Parquet", flush=True)
    result = run_ingest(raw, build)
    print(result.summary(), flush=True)
    if result.unreadable:
        lines = result.unreadable_lines()
        if not skip_unreadable_files(settings().dbt_vars):
            hint = "Fix or remove the file, or build with --vars '{skip_unreadable_files: true}' to skip it."
            raise BuildError("\n".join(f"{line}. {hint}" for line in lines))
        print(f"==> {len(lines)} unreadable raw file(s) will be skipped (skip_unreadable_files)")
    return result


def ensure_pseudonym_key(build: Path) -> Path:
    """The per-install secret used to pseudonymise third-party user names. Kept in the build
    dir (outside the warehouse and the repo); TIKTOK_PSEUDONYM_KEY overrides it. A constant
    default would be reversible by hashing public handles."""
    key_file = build / "pseudonym.key"
    given = settings().pseudonym_key
    if given:
        if not key_file.exists() or key_file.read_text() != given:
            key_file.write_text(given)
    elif not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
    key_file.chmod(0o600)
    return key_file


def prepare(with_ingest: bool = True, clock: StepClock | None = None) -> IngestResult | None:
    """Everything dbt needs before it runs: the landed files (ingest), the pseudonym key and the
    ML seed stubs. Without ingest (`make docs`, `make lint`) no raw file is read and the raw
    folder need not exist: dbt compiles without the landed files."""
    p = paths()
    make_folder(p["build"])
    make_folder(p["build"] / "enrichment")  # written by `make enrich`
    result = None
    clock = clock or StepClock()
    if with_ingest:
        ensure_sample_data(p["raw"])
        with clock.step("ingest"):
            result = ingest(p["raw"], p["build"])
    ensure_pseudonym_key(p["build"])
    # the stubs are written once; a second Python process (pandas, duckdb) costs more than the check
    if not all(f.exists() for f in handoff_files(ml_seed_dir(p["build"]))):
        with clock.step("ML seed stubs") as step:
            step.peak = run([sys.executable, "-m", "ml", "init-seeds"], "ML seed stubs")
    return result


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
    tmp.unlink(missing_ok=True)
    # created with the file mode from the start: the copy is never readable by others, even briefly
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode()))
    shutil.copyfile(src, tmp)
    tmp.chmod(file_mode())
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    print(f"\n==> published {dest}")
    return dest


def published_stamp(path: Path) -> dict | None:
    """What a no-op build checks before it skips publishing: the published file as this build
    left it (size, modification time) and the file mode asked for now."""
    if not path.exists():
        return None
    stat = path.stat()
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "mode": file_mode()}


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


# ----------------------------------------------------------------------------- what a build runs
# Ingest lands only new or changed raw files, each with a new load id; dbt's incremental staging
# models restage only the accounts of rows above the load ids they hold, so a plain `dbt build`
# after new exports is incremental. What makes rows staged before stale forces --full-refresh: a
# landed file changed in place or gone, other dbt vars or pseudonym key, a change to the code of
# the incremental models or of ingest, the video-metadata files (every account's themes).
BUILD_STATE = "build_state.json"
# A build dir whose state has another version (from before the ingest layer) rebuilds in full.
BUILD_STATE_VERSION = 2
INCREMENTAL_CODE = (
    "ingest",
    "models/staging/tiktok_export",
    "models/intermediate",
    "macros",
    "seeds/theme_keywords.csv",
)
# What the whole build's result depends on besides the raw files: a change to any of it means a
# whole build (every model, test and the ML step).
PROJECT_CODE = (
    "ingest",
    "models",
    "macros",
    "seeds",
    "ml",
    "dbt_project.yml",
    "profiles.yml",
    "requirements.txt",
    "scripts/warehouse.py",
)
# Raw kinds whose change invalidates every account's incremental rows: an export changed in place
# or gone; video metadata (`enrichment`: what `make enrich` wrote, landed as
# enrichment/video_metadata.csv) new, changed or gone, since it tags every account's themes.
REFRESHING_KINDS = ("export", "video_metadata", "enrichment")
METADATA_KINDS = ("video_metadata", "enrichment")
# Raw kinds the ML step reads (through the marts): a change there means the ML step runs again.
ML_KINDS = ("claims", "top_creators", "profiles")


def code_digest(entries: tuple[str, ...], suffixes: tuple[str, ...] | None = None) -> str:
    code = hashlib.sha256()
    for entry in entries:
        root = REPO / entry
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and "__pycache__" not in path.parts and (suffixes is None or path.suffix in suffixes):
                code.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return code.hexdigest()


def build_fingerprint(build: Path) -> dict:
    """The cheap part of the no-op gate: code, seeds and settings (the raw files are ingest's)."""
    key = build / "pseudonym.key"
    digest = hashlib.sha256(
        (settings().dbt_vars + "|" + (key.read_text() if key.exists() else "")).encode()
    ).hexdigest()
    return {
        "version": BUILD_STATE_VERSION,
        "project_code": code_digest(PROJECT_CODE),
        "incremental_code": code_digest(INCREMENTAL_CODE),
        "settings": digest,
    }


@dataclass
class Plan:
    scope: str  # all (every model, test, the ML step) | dbt (dbt build, no ML) | nothing
    why: str
    full_refresh: str | None = None  # why the incremental models are rebuilt from scratch


def _first(names: list[str]) -> str:
    return names[0] + (f" (and {len(names) - 1} more)" if len(names) > 1 else "")


def _kind(source_file: str) -> str:
    return source_file.split("/", 1)[0]


def changed_lineage(ingested: IngestResult) -> list[str]:
    """What a build of changed export or video-metadata files selects: what reads the export
    tables (and the metadata tables when a metadata file changed), the manifest's tests and the
    audit of the raw files. A change in the other kinds rebuilds everything (plan_build), so the
    models that read the manifest for those kinds' files (profile and ranking-list dates) hold."""
    kinds = {_kind(f) for f in [*ingested.landed, *ingested.removed]}
    select = ["source:tiktok_export+", "source:ingest.manifest", "raw_files+", "skipped_raw_files+"]
    if kinds & set(METADATA_KINDS):
        select.append("source:video_metadata+")
    return ["--select", *select]


def plan_build(previous: dict | None, current: dict, ingested: IngestResult, with_ml: bool, db_exists: bool) -> Plan:
    """What this build runs, from the state of the last build and what ingest just landed."""
    if previous is None or previous.get("version") != BUILD_STATE_VERSION:
        refresh = "no build state of this version: the build dir is from before the ingest layer" if db_exists else None
        return Plan("all", "no complete build on record", refresh)
    refresh = previous.get("pending_full_refresh")
    if not refresh and not db_exists:
        refresh = None
    elif not refresh:
        if previous.get("incremental_code") != current["incremental_code"]:
            refresh = "the code of ingest or of the incremental models (or the theme keywords) changed"
        elif previous.get("settings") != current["settings"]:
            refresh = "the dbt vars (TIKTOK_DBT_VARS) or the pseudonym key changed"
        elif ingested.code_changed:
            refresh = "the ingest code changed: every raw file was landed again"
        else:
            gone = [f for f in ingested.removed if _kind(f) in REFRESHING_KINDS]
            changed = [f for f in ingested.changed_in_place if _kind(f) in REFRESHING_KINDS]
            new_metadata = [f for f in ingested.new if _kind(f) in METADATA_KINDS]
            if new_metadata:
                refresh = f"{_first(new_metadata)} is new video metadata (it tags every account's themes)"
            elif gone:
                refresh = f"{_first(gone)} is gone"
            elif changed:
                refresh = f"{_first(changed)} changed in place (landed again)"
    completed = previous.get("completed")
    if not completed or not db_exists:
        return Plan("all", "no complete build on record", refresh)
    if completed.get("project_code") != current["project_code"]:
        return Plan("all", "the project's code changed (ingest, models, macros, seeds, ml, settings)", refresh)
    if completed.get("settings") != current["settings"]:
        return Plan("all", "the dbt vars (TIKTOK_DBT_VARS) or the pseudonym key changed", refresh)
    ml_files = [f for f in [*ingested.landed, *ingested.removed] if _kind(f) in ML_KINDS]
    if ml_files:
        return Plan("all", f"raw file {_first(ml_files)} is new, changed or gone", refresh)
    if with_ml and not completed.get("with_ml"):
        return Plan("all", "the last build skipped the ML step", refresh)
    if ingested.changed or refresh:
        files = [*ingested.landed, *ingested.removed]
        why = f"new, changed or removed raw files: {_first(files)}" if files else "rows staged before are stale"
        return Plan("dbt", why, refresh)
    return Plan("nothing", "no input changed since the last complete build")


def build_spark(skip_ml: bool = False) -> None:
    """The same project on Apache Spark: `dbt build --target spark` into the build dir.
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


def build(skip_ml: bool = False, whole: bool = False, unit_tests: bool = False) -> None:
    """The warehouse from the raw folder. After a complete build, only what changed is rebuilt:
    new export files alone run `dbt build` of what reads them (changed_lineage; its incremental
    models restage only the new loads; no ML step: it reads none of it); no change runs neither
    landing nor dbt. `whole` (--all) runs
    every model, test and the ML step regardless. dbt's unit tests check the code on fixed
    fixtures, not the user's data: they run in the test suite, and here only when asked."""
    p = paths()
    clock = StepClock()
    ingested = prepare(clock=clock)
    dbt = Dbt()
    state_file = p["build"] / BUILD_STATE
    db_file = p["build"] / "warehouse.duckdb"
    current = build_fingerprint(p["build"])
    previous = json.loads(state_file.read_text()) if state_file.exists() else None
    plan = plan_build(previous, current, ingested, with_ml=not skip_ml, db_exists=db_file.exists())
    if whole:
        plan = Plan("all", "asked for (--all)", plan.full_refresh)
    refresh = ["--full-refresh"] if plan.full_refresh else []
    if plan.full_refresh:
        print(f"==> full refresh of the incremental models: {plan.full_refresh}")
    print(f"==> building {'everything' if plan.scope == 'all' else plan.scope}: {plan.why}")
    completed = (previous or {}).get("completed") if plan.scope != "all" else None
    # Nothing changed and the published copy is the one this build dir last wrote: no report, no copy.
    current_copy = completed and completed.get("published") == published_stamp(p["warehouse"])
    if plan.scope == "nothing" and current_copy and (p["build"] / "reports" / "index.html").exists():
        print(f"==> nothing to do: {p['warehouse']} and the report are current")
        clock.write(p["build"], plan.scope)
        return
    # The complete-build record is cleared before anything is rebuilt and written again only after
    # every step passed: after a failed or killed build the next one builds everything, with the
    # full refresh this one owed.
    first: dict[str, int] = {}
    second: dict[str, int] = {}
    report_done = not REPORT.exists()
    scores_follow = plan.scope == "all" and not skip_ml
    # The steps after dbt are started while it builds (Warm): they import their libraries
    # meanwhile, and are stopped if the build fails before they run.
    ml = beside = report = None
    try:
        if plan.scope != "nothing":
            write_state(state_file, {**current, "completed": None, "pending_full_refresh": plan.full_refresh})
            # One dbt build, also on a new build file (the unit tests of the incremental models give
            # their own relation, `this`, as a SQL fixture, which needs no table). When the ML step
            # follows, the scored marts wait for its scores instead of being built twice.
            later = ["--exclude", "tag:ml_scores+"] if scores_follow else []
            lineage = changed_lineage(ingested) if plan.scope == "dbt" else []
            with clock.step("dbt build"):
                dbt.parse()
                if scores_follow:
                    ml = Warm(ML_IMPORTS, ["--module", "ml", "--", "run"], "ML: train, evaluate, score")
                    if not report_done:
                        beside = ReportBeside(dbt.relations_after("ml_scores"))
                elif not report_done:
                    report = Warm(REPORT_IMPORTS, ["--script", str(REPORT)], "static report")
                dbt(["build", *refresh, *lineage, *later, *unit_test_args(unit_tests), *dbt_vars_args()], "dbt build")
            first = run_results(p["build"])
        if ml is not None:
            with clock.step("ML") as step:
                if beside is not None:
                    report_step = clock.begin("report")
                    beside.start()
                ml.start()
                step.peak = ml.wait()
            if beside is not None:
                beside.wait_released()
            scored = ["--select", "tag:ml_scores+", *unit_test_args(unit_tests), *dbt_vars_args()]
            with clock.step("dbt build of the scored marts"):
                dbt(["build", *scored], "dbt build of the scored marts")
            second = run_results(p["build"])
            if beside is not None:
                beside.finish()
                clock.end(report_step)
                report_done = True
        if not report_done:
            with clock.step("report") as step:
                if report is not None:
                    report.start()
                    step.peak = report.wait()
                else:
                    step.peak = run([sys.executable, str(REPORT)], "static report")
    except BaseException:
        for started in (ml, beside, report):
            if started is not None:
                started.stop()
        raise
    with_ml = (not skip_ml) if plan.scope == "all" else bool(completed and completed.get("with_ml"))
    if REPORT.exists():
        report_modes(p["build"])
    with clock.step("publish"):
        published = publish()
    write_state(
        state_file,
        {
            **current,
            "completed": {**current, "with_ml": with_ml, "published": published_stamp(published)},
            "pending_full_refresh": None,
        },
    )
    print(summary(merge_counts(first, second)))
    clock.write(p["build"], plan.scope, dbt.slowest())


def write_state(path: Path, state: dict) -> None:
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.chmod(file_mode())
    os.replace(tmp, path)


def render_report(args: list[str]) -> int:
    """`make reports`: the static report, then the file modes on it."""
    code = subprocess.run([sys.executable, str(REPORT), *args], cwd=REPO).returncode
    report_modes(paths()["build"])
    return code


def report_modes(build: Path) -> None:
    """The renderer writes with the default umask: the report and its chart cache hold the
    user's history."""
    apply_modes(build / "reports")
    apply_modes(build / "report_charts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "prepare", "publish", "summary", "exec", "report"])
    parser.add_argument("--skip-ml", action="store_true", help="build without the ML step")
    parser.add_argument(
        "--all",
        action="store_true",
        dest="whole",
        help="build: every model, test and the ML step, even when only new exports (or nothing) changed",
    )
    parser.add_argument(
        "--unit-tests",
        action="store_true",
        help="build: run dbt's unit tests too (they test the code on fixtures; `make test` runs them)",
    )
    parser.add_argument(
        "--target",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="dbt target of `build` (spark: local Spark session, see README)",
    )
    parser.add_argument(
        "--no-ingest",
        action="store_true",
        help="prepare: no sample data and no ingest (what dbt compile and dbt docs need: no raw file)",
    )
    parser.add_argument("argv", nargs="*", help="exec: the command to run (after --)")
    args = parser.parse_args(argv)
    try:
        if args.command == "report":
            return render_report(args.argv)
        if args.command == "exec":
            if not args.argv:
                parser.error("exec needs a command, e.g. exec -- dbt docs generate")
            return subprocess.run(args.argv, cwd=REPO, env=child_env()).returncode
        if args.command == "build":
            if args.target == "spark":
                build_spark(skip_ml=args.skip_ml)
            else:
                build(skip_ml=args.skip_ml, whole=args.whole, unit_tests=args.unit_tests)
        elif args.command == "prepare":
            prepare(with_ingest=not args.no_ingest)
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
