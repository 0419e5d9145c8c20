"""top_creators/: a HypeAuditor ranking and four monthly rankings of the shared creator pool."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .common import CreatorPool

# The HypeAuditor scrape started then and took a second per ten rows.
HYPE_SCRAPED = datetime(2022, 9, 21, 11, 31, tzinfo=UTC)


def kmb(v: float) -> str:
    """Display text as on TikTok/ranking sites: 221.7K, 26M, 726."""
    if v >= 1e6:
        s = f"{v / 1e6:.1f}".rstrip("0").rstrip(".")
        return s + "M"
    if v >= 1e3:
        s = f"{v / 1e3:.1f}".rstrip("0").rstrip(".")
        return s + "K"
    return str(int(v))


def write_top_creators(out: Path, seed: int, scale: int, pool: CreatorPool, report):
    rng = random.Random(f"{seed}-top")
    d = out / "top_creators"
    (d / "hypeauditor").mkdir(parents=True, exist_ok=True)
    (d / "monthly").mkdir(parents=True, exist_ok=True)
    n = min(1000, 300 * scale)
    top = pool.ranked[:n]

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
    with open(d / "hypeauditor" / "tiktok_top_1000.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
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
        )
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
        w.writerows(rows)

    months = [
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
            False,
            False,
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
            True,
            False,
        ),
        (
            "2022-11",
            [
                "Rank",
                "Tiktoker name",
                "Tiktok name",
                "\nFollowers",
                "views(avg)",
                "Likes avg",
                "comments(avg)",
                "shares(avg)",
            ],
            False,
            False,
        ),
        (
            "2022-12",
            [
                "Rank",
                "Tiktoker name",
                "Tiktok name",
                "followers",
                "views(avg)",
                "Likes avg.",
                "comments(avg)",
                "shares(avg)",
            ],
            False,
            True,
        ),
    ]
    for mi, (month, header, blank_first, numeric_copy) in enumerate(months):
        m_n = min(len(top), 250 * scale)
        # each month re-ranks a slightly different slice of the pool (creators overlap across files)
        chosen = sorted(
            pool.ranked[mi * 15 : mi * 15 + m_n], key=lambda c: (-c["followers"] * (1 + 0.02 * mi), c["handle"])
        )
        if numeric_copy:
            header = header[:3] + [h for h in header[3:] for _ in (0, 1)]
        with open(d / "monthly" / f"Top 1000 TikTokers - {month}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            if blank_first:
                w.writerow([""] * len(header))
            for r, c in enumerate(chosen, 1):
                vals = stats(c, 1 + 0.02 * mi)
                cells = []
                for v in vals:
                    cells.append(kmb(v))
                    if numeric_copy:
                        cells.append(str(int(v)))
                row = [r, c["handle"], c["name"], *cells]
                w.writerow(row)
                if r % 97 == 0:  # duplicate rows occur in the wild
                    w.writerow(row)
    report["top_creators_rows"] = n
