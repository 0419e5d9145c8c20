"""profiles/: Bright Data creator profiles with a planted activity signal, an Excel re-save of a
subset, and the official 36-column sample's shape (DATA_FORMATS §4): every field quoted,
biographies spanning lines with e-mail addresses and phone numbers (PII canaries), `None` and
`null` as empties, no scrape `timestamp`, `top_videos` a JSON array newest first (pinned videos
first sometimes), a signed avatar URL whose `x-expires` falls a few days after the scrape."""

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


# The official sample's columns, in its order (no `timestamp`).
OFFICIAL_COLS = (
    "account_id nickname biography awg_engagement_rate comment_engagement_rate like_engagement_rate bio_link"
    " predicted_lang is_verified followers following likes videos_count create_time id url profile_pic_url"
    " like_count digg_count is_private profile_pic_url_hd secu_id short_id ftc relation open_favorite"
    " comment_setting duet_setting stitch_setting is_ad_virtual room_id is_under_age_18 region top_videos"
    " signature discovery_input"
).split()
OFFICIAL_ROWS = 100  # per scale, at most 1,000
OFFICIAL_SCRAPE = ts(2024, 6, 10)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def write_profiles(out: Path, seed: int, scale: int, pool, themes, report, can=None):
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
    report["profiles_official_sample_rows"] = write_official_sample(d, seed, scale, pool, themes, can)


def _contact(rng: random.Random, handle: str, can) -> str:
    """An e-mail address or a phone number as creators write them into their bios (a canary)."""
    user = handle.replace("_", ".").strip(".")
    kind = rng.randrange(4)
    if kind == 0:
        value = f"{user}.collabs@example.com"
    elif kind == 1:
        value = f"+55 11 9{rng.randrange(10000):04d}-{rng.randrange(10000):04d}"
    elif kind == 2:
        value = f"0812-{rng.randrange(1000, 10000)}-{rng.randrange(10000):04d}"
    else:
        value = f"mgmt.{user}@example.org"
    return can.add(value) if can is not None else value


def write_official_sample(d: Path, seed: int, scale: int, pool, themes, can) -> int:
    """The official 36-column sample: creators from the end of the shared pool (not in the main
    profiles file at scale 1), scraped in June 2024."""
    rng = random.Random(f"{seed}-profiles-official")
    # its own stream, so the other fields of every row stay what they were
    lapse_rng = random.Random(f"{seed}-profiles-official-lapsed")
    n = min(1000, OFFICIAL_ROWS * scale)
    creators = pool.ranked[-n:]
    (d / "brightdata_sample").mkdir(parents=True, exist_ok=True)
    with open(d / "brightdata_sample" / "tiktok_profiles_sample.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(OFFICIAL_COLS)
        for c in creators:
            handle = c["handle"]
            # about a third had stopped posting a month or more before the scrape, as real
            # creators do: their newest video is older than the active label's window, and (the
            # main profiles file's signals) they posted less, link out and say they post daily
            # less often
            lapsed = lapse_rng.random() < 0.35
            lapsed_for = lapse_rng.randint(31, 300) * DAY if lapsed else 0
            says_daily = lapse_rng.random() < (0.12 if lapsed else 0.45)
            # the main profiles file's link signal: about 65% of active creators link out, 30%
            # of lapsed ones (the file's own draw gives everyone a link half the time)
            adds_link = not lapsed and lapse_rng.random() < 0.3
            drops_link = lapsed and lapse_rng.random() < 0.4
            scrape = OFFICIAL_SCRAPE + rng.randrange(5 * DAY)
            like_er = round(c["er"] * rng.lognormvariate(0, 0.3), 6)
            comment_er = round(like_er * rng.uniform(0.005, 0.04), 6)
            if rng.random() < 0.08:
                bio = rng.choice(["None", "null"])
            else:
                lines = [f"{rng.choice(THEME_PHRASES.get(c['theme'], ['hi']))} {rng.choice(EMOJI)}"]
                if rng.random() < 0.5:
                    lines.append(f"📩 {_contact(rng, handle, can)}")
                if rng.random() < 0.25:
                    lines.append(f"WhatsApp/tel: {_contact(rng, handle, can)}")
                if says_daily:
                    lines.append(lapse_rng.choice(ACTIVE_BIO))
                lines.append(f"#{rng.choice(themes[c['theme']])}")
                bio = "\n".join(lines)
            # newest first; a creator may pin older videos, which then come first
            n_videos = rng.randint(4, 8)
            ages = sorted(rng.randint(1, 20) * DAY if k == 0 else rng.randint(5, 400) * DAY for k in range(n_videos))
            ages = [age + lapsed_for for age in ages]
            videos = [f"https://www.tiktok.com/@{handle}/video/{video_id(rng, scrape - age)}" for age in ages]
            pinned = rng.choice([0, 0, 1, 2])
            if pinned:
                videos = videos[-pinned:] + videos[:-pinned]
            expires = scrape + rng.randint(2 * DAY, 4 * DAY)
            uid = 6_700_000_000_000_000_000 + rng.randrange(400_000_000_000_000_000)
            avatar = "".join(rng.choice("0123456789abcdef") for _ in range(32))
            signature = "".join(rng.choice(B64) for _ in range(27))
            masked = handle[: max(2, len(handle) // 2)] + "█" * (len(handle) - max(2, len(handle) // 2))
            followers = display_round(c["followers"] * rng.uniform(1.1, 1.4))

            def pic(size: int, avatar=avatar, expires=expires, signature=signature) -> str:
                return (
                    f"https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/{avatar}~c5_{size}x{size}.jpeg"
                    f"?lk3s=a5d48078&x-expires={expires}&x-signature={signature}%3D"
                )

            row = {
                "account_id": masked if rng.random() < 0.25 else handle,
                "nickname": c["name"] if rng.random() < 0.97 else "None",
                "biography": bio,
                "awg_engagement_rate": repr(round(like_er + comment_er, 6)),
                "comment_engagement_rate": repr(comment_er),
                "like_engagement_rate": repr(like_er),
                "bio_link": f"https://linktr.ee/{handle}" if rng.random() < 0.5 else rng.choice(["None", "null"]),
                "predicted_lang": rng.choice(LANGS),
                "is_verified": "true" if c["verified"] else "false",
                "followers": followers,
                "following": int(rng.lognormvariate(5, 1.2)),
                "likes": display_round(followers * rng.uniform(3, 25)),
                "videos_count": int(rng.lognormvariate(5.5, 0.8) * (0.35 if lapsed else 1)),
                "create_time": "null"
                if rng.random() < 0.3
                else f"{fmt_day(scrape - rng.randint(400, 2500) * DAY)}T{rng.randint(0, 23):02d}:00:00.000Z",
                "id": uid,
                "url": f"https://www.tiktok.com/@{handle}",
                "profile_pic_url": pic(720),
                "like_count": int(rng.lognormvariate(8, 1)),
                "digg_count": int(rng.lognormvariate(8, 1)),
                "is_private": "false",
                "profile_pic_url_hd": pic(1080),
                "secu_id": "MS4wLjABAAAA" + "".join(rng.choice(B64 + "-_") for _ in range(52)),
                "short_id": "0",
                "ftc": "false",
                "relation": "0",
                "open_favorite": rng.choice(["false", "true"]),
                "comment_setting": "0",
                "duet_setting": rng.choice(["0", "3"]),
                "stitch_setting": rng.choice(["0", "3"]),
                "is_ad_virtual": "false",
                "room_id": rng.choice(["None", "", str(7_300_000_000_000_000_000 + rng.randrange(10**17))]),
                "is_under_age_18": "false",
                "region": rng.choice(REGIONS),
                "top_videos": json.dumps(videos),
                "signature": bio,  # TikTok's own name for the bio: the same text
                "discovery_input": json.dumps({"url": f"https://www.tiktok.com/@{handle}"}),
            }
            if drops_link:
                row["bio_link"] = "None"
            elif adds_link:
                row["bio_link"] = f"https://linktr.ee/{handle}"
            w.writerow([row[col] for col in OFFICIAL_COLS])
    return n
