"""profiles/: Bright Data creator profiles with a planted activity signal, and an Excel re-save
of a subset."""

from __future__ import annotations

import csv
import json
import math
import random
from datetime import date
from pathlib import Path

from .common import (
    DAY,
    EMOJI,
    FIRST_NAMES,
    HANDLE_WORDS,
    THEME_PHRASES,
    CreatorPool,
    display_round,
    fmt_day,
    ts,
    video_id,
)

# The 18 Bright Data columns, then region, predicted_lang, is_commerce_user.
PROFILE_COLS = (
    "timestamp account_id nickname biography awg_engagement_rate comment_engagement_rate like_engagement_rate"
    " bio_link is_verified followers following likes videos_count create_time id top_videos url profile_pic_url"
    " region predicted_lang is_commerce_user"
).split()
EXCEL_COLS = (
    "timestamp account_id nickname awg_engagement_rate comment_engagement_rate is_verified followers create_time id"
).split()
REGIONS = ["US", "BR", "ID", "PH", "MX", "GB", "DE", "FR", "TH", "VN", "ES", "IT"]
LANGS = ["en", "pt", "id", "es", "de", "fr", "th", "vi", "it"]
ACTIVE_BIO = ["new video every day", "daily uploads", "links below 👇", "📅 posting daily", "collab: dm me"]
PLAIN_BIO = ["just vibes", "living my best life", "dog mom", "coffee first", "🌙", "views are my own"]


def profile_rows(rng: random.Random, n: int, pool: CreatorPool, themes):
    theme_names = list(themes)
    n_pool = min(len(pool.ranked), max(150, n // 4))
    for i in range(n):
        scrape = ts(2023, 6, 1) + rng.randrange(30) * DAY + rng.randrange(DAY)
        active = rng.random() < 0.6
        if i % 4 == 0 and i // 4 < n_pool:
            c = pool.ranked[i // 4]
            handle, nick, theme, followers, verified = c["handle"], c["name"], c["theme"], c["followers"], c["verified"]
        else:
            theme = rng.choice(theme_names)
            handle = f"{rng.choice(FIRST_NAMES)}{rng.choice(['.', '_', ''])}{rng.choice(HANDLE_WORDS)}{i}"
            nick = handle.split(".")[0].capitalize()
            followers = display_round(10 ** rng.uniform(2, 7.3))
            verified = rng.random() < (0.02 + 0.1 * max(0.0, math.log10(max(followers, 1)) - 5))
        # engagement falls with size; mid-tier above mega; verified lower
        if followers < 100_000:
            base = 0.07
        elif followers < 500_000:
            base = 0.08
        elif followers < 1_000_000:
            base = 0.05
        else:
            base = 0.03
        if verified:
            base *= 0.7
        like_er = base * rng.lognormvariate(0, 0.5)
        if rng.random() < 0.006:
            like_er = rng.uniform(1.0, 3.0)
        comment_er = like_er * rng.uniform(0.005, 0.04)
        if rng.random() < 0.03:
            comment_er = rng.choice([1e-05, 2e-05, 3e-05])
        like_er, comment_er = round(like_er, 6), round(comment_er, 6)
        awg = round(like_er + comment_er, 6)
        kw = rng.choice(themes[theme])
        if rng.random() < 0.05:
            bio = "null"
        else:
            parts = [f"{rng.choice(THEME_PHRASES.get(theme, ['hi']))} {rng.choice(EMOJI)}", f"#{kw}"]
            parts.append(rng.choice(ACTIVE_BIO) if rng.random() < (0.45 if active else 0.12) else rng.choice(PLAIN_BIO))
            bio = "\n".join(parts)
        bio_link = f"https://linktr.ee/{handle}" if rng.random() < (0.65 if active else 0.3) else "null"
        videos = int(rng.lognormvariate(5.2 if active else 4.2, 0.8))
        following = int(rng.lognormvariate(5, 1.2))
        likes = display_round(followers * rng.uniform(3, 25))
        create_time = (
            "null"
            if rng.random() < 0.4
            else (f"{fmt_day(scrape - rng.randint(200, 2500) * DAY)}T{rng.randint(0, 23):02d}:00:00.000Z")
        )
        uid = 6_700_000_000_000_000_000 + rng.randrange(400_000_000_000_000_000)
        vids = []
        n_top = rng.randint(3, 6)
        for k in range(n_top):
            age = rng.randint(1, 29) * DAY + rng.randrange(DAY) if active and k == 0 else rng.randint(31, 700) * DAY
            vids.append(f"https://www.tiktok.com/@{handle}/video/{video_id(rng, scrape - age)}")
        rng.shuffle(vids)
        url = "https://www.tiktok.com/@undefined" if rng.random() < 0.01 else f"https://www.tiktok.com/@{handle}"
        yield {
            "timestamp": fmt_day(scrape),
            "account_id": handle,
            "nickname": nick,
            "biography": bio,
            "awg_engagement_rate": repr(awg),
            "comment_engagement_rate": repr(comment_er),
            "like_engagement_rate": repr(like_er),
            "bio_link": bio_link,
            "is_verified": "true" if verified else "false",
            "followers": followers,
            "following": following,
            "likes": likes,
            "videos_count": videos,
            "create_time": create_time,
            "id": uid,
            "top_videos": json.dumps(vids),
            "url": url,
            "profile_pic_url": f"https://p16-sign-va.tiktokcdn.com/avatar/{uid:x}.jpeg",
            "region": rng.choice(REGIONS),
            "predicted_lang": rng.choice(LANGS),
            "is_commerce_user": "true" if rng.random() < (0.3 if active else 0.15) else "false",
            "_active": active,
        }


def excel_number(s: str) -> str:
    v = float(s)
    if 0 < v < 1e-4:
        m = f"{v:.0E}" if abs(v - float(f"{v:.0E}")) < 1e-12 else f"{v:.2E}"
        return m.replace("E-0", "E-0")
    return s


def write_profiles(out: Path, seed: int, scale: int, pool, themes, report):
    rng = random.Random(f"{seed}-profiles")
    d = out / "profiles"
    (d / "excel_resave").mkdir(parents=True, exist_ok=True)
    n = 600 + 20000 * (scale - 1)
    n_active = 0
    with (
        open(d / "brightdata_tiktok_profiles.csv", "w", encoding="utf-8", newline="") as fh,
        open(d / "excel_resave" / "profiles_subset.csv", "w", encoding="utf-8", newline="") as xf,
    ):
        w = csv.writer(fh, lineterminator="\n")
        xw = csv.writer(xf, lineterminator="\r\n")
        w.writerow(PROFILE_COLS)
        xw.writerow(EXCEL_COLS)
        for i, row in enumerate(profile_rows(rng, n, pool, themes)):
            n_active += row.pop("_active")
            w.writerow([row[c] for c in PROFILE_COLS])
            if i % 10 == 3 and i < 6000:
                scraped = date.fromisoformat(row["timestamp"])
                ct = row["create_time"]
                if ct != "null":
                    ct = date.fromisoformat(ct[:10]).strftime("%d-%m-%Y")
                xw.writerow(
                    [
                        f"{scraped.month}/{scraped.day}/{scraped.year}",  # Excel's US date, not zero-padded
                        row["account_id"],
                        row["nickname"],
                        excel_number(row["awg_engagement_rate"]),
                        excel_number(row["comment_engagement_rate"]),
                        row["is_verified"].upper(),
                        row["followers"],
                        ct,
                        f"{row['id']:.5E}",
                    ]
                )
    report["profiles_rows"] = n
    report["profiles_active"] = n_active
