"""claims/: the labelled claim/opinion dataset, with unlabelled trailing rows, a re-download, and
the re-saved copies found in the wild (DATA_FORMATS §2): a pandas re-save (an unnamed index
column, counts as floats, empty for NaN), a copy without the unlabelled rows, a copy whose first
header is `id`. The copies are abridged (RESAVE_ROWS per scale) to keep the sample small."""

from __future__ import annotations

import csv
import random
from collections import deque
from pathlib import Path

from .common import weighted

CLAIM_OPENERS = [
    "someone shared with me that",
    "i read in the media that",
    "a friend learned",
    "my colleague discovered on the internet that",
    "i learned from the news that",
    "a colleague read online that",
    "my family discovered that",
]
OPINION_OPENERS = [
    "i think that",
    "i believe that",
    "my family's opinion is that",
    "i'm of the opinion that",
    "i feel that",
    "my friends' view is that",
    "i am convinced that",
]
FACT_SUBJECTS = [
    "the earth's core",
    "octopuses",
    "honey",
    "the eiffel tower",
    "a bolt of lightning",
    "the human brain",
    "venus",
    "bananas",
    "the great wall of china",
    "sharks",
    "the moon",
    "coffee",
    "mount everest",
    "the amazon river",
    "cats",
    "the sahara desert",
    "diamonds",
    "penguins",
    "the pacific ocean",
    "chocolate",
]
FACT_TAILS = [
    "is older than most people think",
    "can survive for thousands of years",
    "is hotter than the surface of the sun",
    "has three hearts",
    "grows taller every summer",
    "was built in under ten years",
    "is visible from space",
    "contains more water than all lakes",
    "was discovered by accident",
    "sleeps with one eye open",
    "produces most of our oxygen",
    "is slowly moving away from us",
    "can be found on every continent",
    "is the most popular in the world",
    "never stops growing",
]


def claims_rows(rng: random.Random, n_labelled: int):
    for _i in range(n_labelled):
        is_claim = rng.random() < 0.5
        # A few claims reach only opinion-sized audiences, as in the real file (a model on the
        # counts alone misses about 1% of its claims); the phrasing still says claim: in the real
        # file a transcript-only model separates every row.
        noisy = is_claim and rng.random() < 0.015
        opener = rng.choice(CLAIM_OPENERS if is_claim else OPINION_OPENERS)
        text = f"{opener} {rng.choice(FACT_SUBJECTS)} {rng.choice(FACT_TAILS)}"
        if is_claim and not noisy:
            views = int(10 ** rng.uniform(4.0, 6.0)) if rng.random() < 0.97 else rng.randint(20, 9999)
            ban = weighted(rng, ["active", "under review", "banned"], [68, 16, 16])
            verified = rng.random() < 0.03
        else:
            views = rng.randint(20, 9999) if rng.random() < 0.995 else rng.randint(10000, 20000)
            ban = weighted(rng, ["active", "under review", "banned"], [92, 4, 4])
            verified = rng.random() < 0.09
        likes = int(views * rng.betavariate(2, 5) * 0.8)
        shares = int(likes * rng.betavariate(1.2, 6) * 0.6)
        downloads = int(likes * rng.betavariate(1.2, 8) * 0.1)
        comments = int(likes * rng.betavariate(1.2, 10) * 0.05)
        yield [
            "claim" if is_claim else "opinion",
            rng.randint(5, 60),
            text,
            "verified" if verified else "not verified",
            ban,
            views,
            likes,
            shares,
            downloads,
            comments,
        ]


# Rows of the course file each re-saved copy repeats (per scale); the real copies repeat all.
RESAVE_ROWS = 200


def claim_vid(i: int) -> int:
    # Bijective scramble of the row index onto 10-digit ids: unique without a seen-set.
    return 1_000_000_000 + (i * 4_294_967_291 + 7_777_777_777) % 9_000_000_000


def write_claims(out: Path, seed: int, scale: int, report):
    rng = random.Random(f"{seed}-claims")
    d = out / "claims"
    d.mkdir(parents=True, exist_ok=True)
    header = (
        "# claim_status video_id video_duration_sec video_transcription_text verified_status author_ban_status"
        " video_view_count video_like_count video_share_count video_download_count video_comment_count"
    ).split()
    total = 2030 + 8120 * (scale - 1)
    n_unl = round(total * 0.015)
    n_lab = total - n_unl
    keep = {}  # a few rows remembered for the re-download copy
    keep_every = max(1, n_lab // 40)
    n_copy = min(total, RESAVE_ROWS * scale)
    first_rows: list[list] = []  # what the abridged copies repeat: the head and the tail
    last_rows: deque[list] = deque(maxlen=n_copy)
    with open(d / "tiktok_dataset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for i, r in enumerate(claims_rows(rng, n_lab)):
            vid = claim_vid(i)
            row = [i + 1, r[0], vid, *r[1:]]
            if i % keep_every == 0 and len(keep) < 40:
                keep[i] = row
            w.writerow(row)
            if i < n_copy:
                first_rows.append(row)
            last_rows.append(row)
        for j in range(n_unl):
            i = n_lab + j
            row = [
                i + 1,
                "",
                claim_vid(i),
                rng.randint(5, 60),
                "",
                rng.choice(["verified", "not verified"]),
                weighted(rng, ["active", "under review", "banned"], [80, 10, 10]),
                *["#N/A"] * 5,  # the five counts
            ]
            w.writerow(row)
            last_rows.append(row)
    write_resaves(d, header, first_rows, list(last_rows))
    (d / "redownload").mkdir(exist_ok=True)
    with open(d / "redownload" / "tiktok_dataset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        n = 0
        for k, (_, row) in enumerate(sorted(keep.items())[:38]):
            row = list(row)
            if k % 3 == 0:  # counts moved on between downloads
                row[7:12] = [int(v * 1.1) + 1 for v in row[7:12]]
            n += 1
            w.writerow([n, *row[1:]])
        for _, r in zip(range(12), claims_rows(rng, 12), strict=False):
            n += 1
            w.writerow([n, r[0], claim_vid(total + n), *r[1:]])
    report["claims_rows"] = total
    report["claims_resave_rows"] = len(first_rows)
    report["claims_unlabelled"] = n_unl
    report["claims_redownload_rows"] = n


def write_resaves(d: Path, header: list[str], first_rows: list[list], last_rows: list[list]) -> None:
    """The re-saved copies of the course file (abridged: its head, or its tail with the
    unlabelled rows)."""
    # pandas `df.to_csv()` of the file's tail: an unnamed index column first, the counts read as
    # floats (a column with `#N/A` is float) and NaN written as empty; LF line endings
    (d / "pandas_resave").mkdir(exist_ok=True)
    with open(d / "pandas_resave" / "tiktok_dataset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["", *header])
        for row in last_rows:
            counts = ["" if v == "#N/A" else repr(float(v)) for v in row[7:12]]
            w.writerow([row[0] - 1, *row[:7], *counts])
    # the labelled rows only (the course's unlabelled rows dropped), CRLF like the course file
    (d / "labelled_only").mkdir(exist_ok=True)
    with open(d / "labelled_only" / "tiktok_dataset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(row for row in last_rows if row[1])
    # `id` instead of `#` as the first header
    (d / "id_header").mkdir(exist_ok=True)
    with open(d / "id_header" / "tiktok_dataset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["id", *header[1:]])
        w.writerows(first_rows)
