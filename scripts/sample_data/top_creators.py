"""top_creators/: the two real families of "top 1000 TikTokers" lists (DATA_FORMATS §3), about
1,000 rows each as the real files: the HypeAuditor scrape (CRLF, float artifacts, one account
twice, empty titles) and a copy of it with every space and dot stripped from the headers and
three rows wrapped whole in quotes (LF); the monthly K/M lists with their drifting headers: the
November-2022 shape exactly (a quoted bare LF in the header of a CRLF file, a row of commas,
1,000 rows), a June-2022 shape (no rank column, sorted by handle, 14 rows repeated), a blank
first row, a re-upload with a numeric copy after each K/M column."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .common import CreatorPool

# The HypeAuditor scrape started then and took a second per ten rows.
HYPE_SCRAPED = datetime(2022, 9, 21, 11, 31, tzinfo=UTC)
LIST_ROWS = 1000  # the real lists hold about 1,000 creators, whatever the scale
HYPE_HEADER = [
    "Country",
    "Rank",
    "Account",
    "Title",
    "Link",
    "Subscribers count",
    "Views avg.",
    "Likes avg.",
    "Comments avg.",
    "Shares avg.",
    "Scraped",
]
# source rows of the stripped copy that a broken export wrapped whole in quotes
WRAPPED_ROWS = (17, 480, 913)
# (month, header, line ending, blank first row, numeric copies, rank column, repeated rows)
MONTHS = [
    (
        "2022-06",
        "Tiktoker name,Tiktok name,Subscribers count,Views avg.,Likes avg.,Comments avg.,Shares avg.".split(","),
        "\n",
        False,
        False,
        False,
        14,
    ),
    (
        "2022-09",
        [
            "S.no",
            "Tiktoker name",
            "Tiktok name",
            "Subscribers count",
            "Views avg.",
            "Likes avg.",
            "Comments avg.",
            "Shares avg.",
        ],
        "\n",
        False,
        False,
        True,
        10,
    ),
    (
        "2022-10",
        [
            "row-cell",
            "Tiktoker name",
            "Tiktok name",
            "Subscribers",
            "Views (Avg.)",
            "Likes avg",
            "Comments (Avg.)",
            "Shares (Avg.)",
        ],
        "\n",
        True,
        False,
        True,
        10,
    ),
    # The real November-2022 file, exactly: a quoted bare LF in the header of a CRLF file, then a
    # row of commas, then 1,000 rows. DuckDB's sniffer cannot detect its dialect.
    (
        "2022-11",
        [
            "row-cell",
            "Tiktoker name",
            "Tiktok name",
            "\nFollowers",
            "Views (Avg.)",
            "Likes (Avg.)",
            "Comments (Avg.)",
            "Shares (Avg.)",
        ],
        "\r\n",
        True,
        False,
        True,
        0,
    ),
    (
        "2022-12",
        "Rank,Tiktoker name,Tiktok name,followers,views(avg),Likes avg.,comments(avg),shares(avg)".split(","),
        "\n",
        False,
        True,
        True,
        10,
    ),
]


def kmb(v: float) -> str:
    """Display text as on TikTok/ranking sites: 221.7K, 26M, 726."""
    if v >= 1e6:
        s = f"{v / 1e6:.1f}".rstrip("0").rstrip(".")
        return s + "M"
    if v >= 1e3:
        s = f"{v / 1e3:.1f}".rstrip("0").rstrip(".")
        return s + "K"
    return str(int(v))


def stripped(header: str) -> str:
    """A copy's header with every space and dot stripped (`Subscriberscount`, `Viewsavg`)."""
    return header.replace(" ", "").replace(".", "")


def write_top_creators(out: Path, seed: int, scale: int, pool: CreatorPool, report):
    rng = random.Random(f"{seed}-top")
    d = out / "top_creators"
    for sub in ("hypeauditor", "hypeauditor_stripped", "monthly"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    top = pool.ranked[: LIST_ROWS - 1]  # and one account listed again: 1,000 rows

    def stats(c, jitter):
        f = c["followers"] * jitter
        likes = f * c["er"] * 0.9
        return (
            f,
            likes * rng.uniform(7, 14),
            likes,
            f * c["er"] * rng.uniform(0.03, 0.07),
            f * c["er"] * rng.uniform(0.01, 0.05),
        )

    # HypeAuditor: float artifacts come from million-scaled one-decimal values (33.3 * 1e6).
    rows = []
    for r, c in enumerate(top, 1):
        vals = stats(c, 1.0)
        nums = [repr(round(v / 1e6, 1) * 1e6) if v >= 1e6 else repr(round(v / 1e3, 1) * 1e3) for v in vals]
        at = HYPE_SCRAPED + timedelta(seconds=r // 10, microseconds=(r * 7919) % 1_000_000)
        scraped = f"{at:%Y-%m-%d %H:%M:%S.%f}"
        title = "" if rng.random() < 0.05 else c["name"]
        rows.append([c["country"], r, c["handle"], title, f"https://www.tiktok.com/@{c['handle']}", *nums, scraped])
    dup = list(rows[len(rows) // 3])
    dup[1] = rows[-1][1] + 1  # same account listed again at the bottom
    rows.append(dup)
    with open(d / "hypeauditor" / "tiktok_top_1000.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(HYPE_HEADER)
        w.writerows(rows)
    # A copy in the wild: LF endings, spaces and dots stripped from the headers, and three rows
    # wrapped whole in quotes (the whole line one quoted field, its own quotes doubled).
    with open(d / "hypeauditor_stripped" / "tiktok_top_1000.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([stripped(h) for h in HYPE_HEADER])
        for n, row in enumerate(rows, 1):
            if n in WRAPPED_ROWS:
                line = _line(row)
                fh.write('"' + line.replace('"', '""') + '"\n')
            else:
                w.writerow(row)

    for mi, (month, header, ending, blank_first, numeric_copy, has_rank, repeats) in enumerate(MONTHS):
        # each month re-ranks the pool with its own jitter (creators overlap across files)
        jitter = {c["handle"]: rng.uniform(0.97, 1.03) * (1 + 0.02 * mi) for c in pool.ranked[:LIST_ROWS]}
        chosen = sorted(pool.ranked[:LIST_ROWS], key=lambda c: (-c["followers"] * jitter[c["handle"]], c["handle"]))
        ranked = list(enumerate(chosen, 1))
        if not has_rank:
            ranked.sort(key=lambda rc: rc[1]["handle"])  # the June-2022 list is sorted by handle
        if numeric_copy:
            header = header[:3] + [h for h in header[3:] for _ in (0, 1)]
        repeat_every = len(ranked) // repeats if repeats else 0
        with open(d / "monthly" / f"Top 1000 TikTokers - {month}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator=ending)
            w.writerow(header)
            if blank_first:
                w.writerow([""] * len(header))
            for i, (r, c) in enumerate(ranked, 1):
                cells = []
                for v in stats(c, jitter[c["handle"]]):
                    cells.append(kmb(v))
                    if numeric_copy:
                        cells.append(str(int(v)))
                row = [r, c["handle"], c["name"], *cells] if has_rank else [c["handle"], c["name"], *cells]
                w.writerow(row)
                if repeat_every and i % repeat_every == 0:  # duplicate rows occur in the wild
                    w.writerow(row)
    report["top_creators_rows"] = len(rows)


def _line(row: list) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    return buf.getvalue()
