"""Start a build step before it is due: import what it needs, then wait for `start` on stdin.

    python scripts/warm_start.py --import ml.claims,ml.creators --module ml -- run
    python scripts/warm_start.py --import scripts.render_reports --script scripts/render_reports.py -- --check

scripts/warehouse.py build starts the ML step and the static report this way while dbt runs:
their imports (scikit-learn, pandas, matplotlib: seconds on a small machine) overlap dbt's
build instead of following it. On `start` the module (as `python -m`) or script (as `python
path`) runs with the given arguments, and its exit code is this process's. At the end of stdin
without `start` (the build failed or did not need the step), nothing runs and the exit code is 0.
"""

from __future__ import annotations

import argparse
import importlib
import os
import runpy
import sys


def read_line(fd: int = 0) -> bytes:
    """One line of `fd`, read a byte at a time: nothing after it is taken from the stream, so the
    step can read its own lines from stdin afterwards (the report's `go`)."""
    line = bytearray()
    while True:
        byte = os.read(fd, 1)
        if not byte:
            return bytes(line)
        line += byte
        if byte == b"\n":
            return bytes(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--import", dest="imports", default="", help="comma-separated modules to import first")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--module", help="run this module as `python -m` does")
    target.add_argument("--script", help="run this script as `python path` does")
    argv = sys.argv[1:] if argv is None else argv
    # the step's own arguments follow `--`, whatever they look like
    own = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    for name in filter(None, (n.strip() for n in args.imports.split(","))):
        importlib.import_module(name)
    if read_line().strip() != b"start":
        return 0
    if args.module:
        sys.argv = [args.module, *own]
        runpy.run_module(args.module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = [args.script, *own]
        sys.path[0] = os.path.dirname(os.path.abspath(args.script))
        runpy.run_path(args.script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
