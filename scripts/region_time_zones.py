"""Write seeds/region_time_zones.csv: the IANA time zone of each region (ISO 3166 code) that has
one local time, from the pinned tz database (the `tzdata` package: its zone.tab and zone files).

    python scripts/region_time_zones.py            # rewrite the seed
    python scripts/region_time_zones.py --check    # exit 1 if the seed differs from the tz database

A region is single-zone when all of its tz database zones show the same UTC offset at every
moment from 2016 (TikTok's launch) to 2030: Germany (Europe/Berlin, Europe/Busingen) is, Spain
(Canary Islands), Portugal (Azores), Kazakhstan (one zone only since 2024), the US, Canada,
Brazil, Russia, Mexico, Australia and Indonesia are not, and get no row: the warehouse then
falls back to UTC unless the user sets the `local_time_zone` var. A single-zone region maps to
its first zone in zone.tab (the one the tz database lists first for the country).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "region_time_zones.csv"
FIRST_DAY = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
LAST_DAY = dt.datetime(2030, 12, 31, tzinfo=dt.UTC)
# Codes some apps write for a region instead of its ISO code (TikTok's own use is ISO alpha-2).
ALIASES = {"UK": "GB"}


def zone(name: str) -> ZoneInfo:
    """A zone from the pinned tzdata package, never the system's tz files (their version varies)."""
    with resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).open("rb") as fh:
        return ZoneInfo.from_file(fh, key=name)


def country_zones() -> dict[str, list[str]]:
    """ISO code -> its zones in zone.tab order."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, name = line.split("\t")[:3]
            zones.setdefault(code, []).append(name)
    return zones


def _offsets(zones: list[ZoneInfo], moments: list[dt.datetime]) -> list[tuple]:
    return [tuple(m.astimezone(z).utcoffset() for z in zones) for m in moments]


def same_local_time(names: list[str]) -> bool:
    """All zones show the same UTC offset at every hour of FIRST_DAY..LAST_DAY. Checked twice a
    day, and hourly on the days where any zone's offset changes (offsets only move there)."""
    if len(names) == 1:
        return True
    zones = [zone(n) for n in names]
    days = (LAST_DAY - FIRST_DAY).days + 1
    moments = [FIRST_DAY + dt.timedelta(hours=12 * i) for i in range(2 * days)]
    offsets = _offsets(zones, moments)
    if any(len(set(row)) > 1 for row in offsets):
        return False
    changing = {moments[i].date() for i in range(1, len(moments)) if offsets[i] != offsets[i - 1]}
    hourly = [
        dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(hours=h) for day in changing for h in range(-24, 24)
    ]
    return all(len(set(row)) == 1 for row in _offsets(zones, hourly))


def seed_rows() -> list[tuple[str, str]]:
    zones = country_zones()
    rows = [(code, names[0]) for code, names in sorted(zones.items()) if same_local_time(names)]
    single = dict(rows)
    rows += [(alias, single[code]) for alias, code in ALIASES.items() if code in single]
    return sorted(rows)


def seed_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region_code", "time_zone"])
    writer.writerows(seed_rows())
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the seed differs from the tz database")
    args = parser.parse_args(argv)
    text = seed_text()
    if args.check:
        current = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
        if current != text:
            print(f"{SEED.relative_to(REPO)} differs from the tz database: run scripts/region_time_zones.py")
            return 1
        return 0
    SEED.write_text(text, encoding="utf-8")
    print(f"wrote {SEED.relative_to(REPO)}: {text.count(chr(10)) - 1} single-zone regions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
