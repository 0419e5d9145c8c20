"""Deterministic sample-data generator for the TikTok analytics warehouse.

Writes the five raw folders (export/, video_metadata/, claims/, top_creators/,
profiles/) plus pii_canaries.json under --out, mimicking the real formats,
quirks included (docs/sample_data.md describes them and the planted signals).
One module per raw kind; common.py holds what they share.

Standard library only (runs before any venv exists). Output is byte-identical
for the same --seed and --scale: every random stream is a random.Random seeded
from a string (sha512-based, independent of PYTHONHASHSEED), no wall clock is
read, and ZIP entries carry a fixed timestamp. Large outputs are written row
by row; the largest thing held in memory is one account's export.

    python scripts/generate_sample_data.py --seed 42 --scale 1 --out data/sample
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from .claims import write_claims
from .common import Canaries, CreatorPool, load_themes
from .exports import write_exports
from .profiles import write_profiles
from .top_creators import write_top_creators
from .video_metadata import MetaWriter

RAW_FOLDERS = ("export", "video_metadata", "claims", "top_creators", "profiles")
CANARY_FILE = "pii_canaries.json"

__all__ = ["CANARY_FILE", "RAW_FOLDERS", "generate", "main"]


def generate(out: Path, seed: int = 42, scale: int = 1, null_accounts: int = 0) -> dict:
    """Write the raw folders under out; null_accounts adds that many null accounts (posting
    drawn independently of engagement: no influence) for calibrating the influence verdict."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for sub in RAW_FOLDERS:
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    if (out / CANARY_FILE).exists():
        (out / CANARY_FILE).unlink()
    themes = load_themes()
    pool = CreatorPool(seed, list(themes))
    can = Canaries()
    report = {"events": 0, "accounts": [], "null_accounts": []}
    meta = MetaWriter(out / "video_metadata" / "videos.csv", themes, seed)
    try:
        write_exports(out, seed, scale, themes, pool, can, meta, report, null_accounts)
    finally:
        meta.close()
    report["video_metadata_rows"] = meta.rows
    write_claims(out, seed, scale, report)
    write_top_creators(out, seed, scale, pool, report)
    write_profiles(out, seed, scale, pool, themes, report, can)
    with open(out / CANARY_FILE, "w", encoding="utf-8", newline="\n") as fh:
        json.dump({"pii": can.pii, "third_party_usernames": can.users}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Writes export/, video_metadata/, claims/, top_creators/, profiles/ and "
        "pii_canaries.json under --out (those are wiped first; nothing else is touched).",
    )
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument(
        "--scale",
        type=int,
        default=1,
        help="size multiplier, integer >= 1 (default 1; ~250 gives ~10M watch+like events)",
    )
    p.add_argument("--out", default="data/sample", help="output folder (default data/sample)")
    p.add_argument(
        "--null-accounts",
        type=int,
        default=0,
        metavar="N",
        help="add N null accounts under export/null/ whose posting is independent of their engagement "
        "(no influence: the calibration of the influence verdict; default 0)",
    )
    p.add_argument(
        "--describe", action="store_true", help="print the planted theme schedules and row counts as JSON on stdout"
    )
    a = p.parse_args(argv)
    if a.scale < 1:
        p.error("--scale must be >= 1")
    if a.null_accounts < 0:
        p.error("--null-accounts must be >= 0")
    report = generate(Path(a.out), a.seed, a.scale, a.null_accounts)
    if a.describe:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print(
            f"wrote {a.out}: {report['events']} watch+like events, {report['claims_rows']} claims rows, "
            f"{report['profiles_rows']} profiles",
            file=sys.stderr,
        )
    return 0
