"""A creator-profiles CSV in the shape of Bright Data's official 36-column sample, for tests.

The real file cannot ship with the repo; this writes one of the same shape: the 36 columns in
their order, every field quoted, no scrape `timestamp`, `top_videos` a JSON array of video URLs
newest first (a few with an older pinned video first), a signed `profile_pic_url` whose
`x-expires` is a few days after the row's own scrape, `None` and `null` as empties, bios over
several lines (some with an e-mail address or phone number), partly masked handles, mostly
small accounts. Rows are scraped months apart, so one file-wide time would mislabel them.

`write(raw_dir, n, seed)` returns the ground truth per handle: the scrape time, the expiry, the
newest video's time and whether the creator is active by the documented rule (newest video at
most 30 days before the expiry minus 48 hours).
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

COLUMNS = (
    "account_id nickname biography awg_engagement_rate comment_engagement_rate like_engagement_rate bio_link "
    "predicted_lang is_verified followers following likes videos_count create_time id url profile_pic_url "
    "like_count digg_count is_private profile_pic_url_hd secu_id short_id ftc relation open_favorite "
    "comment_setting duet_setting stitch_setting is_ad_virtual room_id is_under_age_18 region top_videos "
    "signature discovery_input"
).split()
assert len(COLUMNS) == 36

EXPIRY_MARGIN = timedelta(hours=48)
WINDOW = timedelta(days=30)
FIRST_SCRAPE = datetime(2024, 1, 5, tzinfo=UTC)
SCRAPE_SPAN_DAYS = 180
ACTIVE_BIO = ["new video every day 🎬", "daily uploads", "posting daily, links below", "live every night"]
PLAIN_BIO = ["just vibes", "dog mom 🐶", "coffee first", "views are my own", "🌙"]


@dataclass(frozen=True)
class Truth:
    scraped_at: datetime
    expires_at: datetime
    latest_video_at: datetime
    is_active: bool


def _video_id(rng: random.Random, at: datetime) -> int:
    # a TikTok video id's top 32 bits are its creation time in Unix seconds
    return (int(at.timestamp()) << 32) | rng.getrandbits(32)


def _masked(handle: str, rng: random.Random) -> str:
    if rng.random() < 0.3 and len(handle) > 5:
        keep = rng.randint(2, 3)
        return handle[:keep] + "█" * (len(handle) - keep - 2) + handle[-2:]
    return handle


def write(raw_dir: Path, n: int = 600, seed: int = 7) -> dict[str, Truth]:
    """Write <raw_dir>/profiles/brightdata_official_sample.csv; return the truth per handle
    (as the warehouse keys it: lowercase)."""
    rng = random.Random(seed)
    out = raw_dir / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Truth] = {}
    rows = []
    for i in range(n):
        name = f"{rng.choice(['mia', 'leo', 'ana', 'kai', 'zoe', 'raj'])}_{rng.choice(['cooks', 'fit', 'art'])}{i}"
        handle = _masked(name, rng)
        if handle.lower() in truth:  # a masked handle can collide with another: keep keys unique
            handle = name
        scraped = FIRST_SCRAPE + timedelta(seconds=rng.randrange(SCRAPE_SPAN_DAYS * 86400))
        expires = scraped + timedelta(hours=rng.uniform(60, 150))
        active = rng.random() < 0.35
        newest_age = timedelta(days=rng.uniform(0.2, 25)) if active else timedelta(days=rng.uniform(40, 500))
        newest = scraped - newest_age
        videos = [newest - timedelta(days=k * rng.uniform(2, 20)) for k in range(rng.randint(3, 10))]
        ids = [_video_id(rng, at) for at in videos]
        if rng.random() < 0.05:  # a pinned older video first
            ids.insert(0, _video_id(rng, newest - timedelta(days=rng.uniform(200, 600))))
        followers = int(10 ** rng.uniform(2.0, 5.3))
        if followers >= 10_000:
            followers = int(float(f"{followers:.4g}"))  # display rounding
        n_videos = int(rng.lognormvariate(5.0 if active else 4.0, 0.8)) + 1
        likes = int(followers * rng.uniform(2, 30))
        like_rate = round(0.06 * rng.lognormvariate(0, 0.6), 6)
        comment_rate = round(like_rate * rng.uniform(0.005, 0.04), 6)
        bio_lines = [rng.choice(ACTIVE_BIO if (active and rng.random() < 0.5) else PLAIN_BIO)]
        if rng.random() < 0.15:
            bio_lines.append(f"contact: {handle.replace('█', 'x')}@example.com")
        if rng.random() < 0.05:
            bio_lines.append("+1 555 0100 234")
        biography = "\n".join(bio_lines) if rng.random() > 0.08 else rng.choice(["None", "null", ""])
        bio_link = f"https://linktr.ee/{handle}" if rng.random() < (0.55 if active else 0.25) else "None"
        user_id = 6_800_000_000_000_000_000 + rng.randrange(10**17)
        pic = (
            f"https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/{rng.getrandbits(64):x}~c5_100x100.jpeg"
            f"?lk3s=a5d48078&nonce={rng.randrange(10**5)}&x-expires={int(expires.timestamp())}"
            f"&x-signature=ab{rng.getrandbits(32):x}%3D&shp=a5d48078&shcp=81f88b70"
        )
        created = scraped - timedelta(days=rng.randint(60, 2500))
        row = {
            "account_id": handle,
            "nickname": handle.split("_")[0].capitalize(),
            "biography": biography,
            "awg_engagement_rate": repr(round(like_rate + comment_rate, 6)),
            "comment_engagement_rate": repr(comment_rate),
            "like_engagement_rate": repr(like_rate),
            "bio_link": bio_link,
            "predicted_lang": rng.choice(["en", "en", "en", "es", "pt", "id"]),
            "is_verified": "true" if rng.random() < 0.03 else "false",
            "followers": str(followers),
            "following": str(int(rng.lognormvariate(5, 1.2))),
            "likes": str(likes),
            "videos_count": str(n_videos),
            "create_time": created.strftime("%Y-%m-%dT%H:%M:%S.000Z") if rng.random() < 0.7 else "null",
            "id": str(user_id),
            "url": f"https://www.tiktok.com/@{handle}",
            "profile_pic_url": pic,
            "like_count": str(likes),
            "digg_count": str(rng.randint(0, 50_000)),
            "is_private": "false",
            "profile_pic_url_hd": pic.replace("100x100", "1080x1080"),
            "secu_id": f"MS4wLjABAAAA{rng.getrandbits(96):x}",
            "short_id": "None",
            "ftc": "false",
            "relation": "0",
            "open_favorite": rng.choice(["true", "false"]),
            "comment_setting": "0",
            "duet_setting": "0",
            "stitch_setting": "0",
            "is_ad_virtual": "false",
            "room_id": str(rng.randrange(10**18)) if active and rng.random() < 0.1 else "None",
            "is_under_age_18": "false",
            "region": rng.choice(["US", "US", "GB", "BR", "MX", "ID"]),
            "top_videos": json.dumps([f"https://www.tiktok.com/@{handle}/video/{v}" for v in ids]),
            "signature": biography,
            "discovery_input": json.dumps({"url": f"https://www.tiktok.com/@{handle}"}),
        }
        rows.append([row[c] for c in COLUMNS])
        truth[handle.lower()] = Truth(
            scraped_at=scraped,
            expires_at=expires,
            latest_video_at=datetime.fromtimestamp(max(ids) >> 32, UTC),
            is_active=(datetime.fromtimestamp(max(ids) >> 32, UTC) >= expires - EXPIRY_MARGIN - WINDOW),
        )
    with open(out / "brightdata_official_sample.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return truth
