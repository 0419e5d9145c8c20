#!/usr/bin/env python3
"""Deterministic sample-data generator for the TikTok analytics warehouse.

Writes the five raw folders (export/, video_metadata/, claims/, top_creators/,
profiles/) plus pii_canaries.json under --out, mimicking the real formats in
/work/shared/DATA_FORMATS.md, quirks included, with planted signals described
in docs/sample_data.md.

Standard library only (runs before any venv exists). Output is byte-identical
for the same --seed and --scale: every random stream is a random.Random seeded
from a string (sha512-based, independent of PYTHONHASHSEED), no wall clock is
read, and ZIP entries carry a fixed timestamp. Large outputs are written row
by row; the largest thing held in memory is one account's export.

    python scripts/generate_sample_data.py --seed 42 --scale 1 --out data/sample
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import shutil
import sys
import zipfile
from pathlib import Path
from typing import ClassVar

REPO_ROOT = Path(__file__).resolve().parent.parent
THEME_CSV = REPO_ROOT / "seeds" / "theme_keywords.csv"
RAW_FOLDERS = ("export", "video_metadata", "claims", "top_creators", "profiles")
CANARY_FILE = "pii_canaries.json"

DAY = 86400
# Unix seconds of 2020-01-01 00:00:00 UTC; all day arithmetic is plain integer math.
EPOCH_2020 = 1577836800


# --------------------------------------------------------------------------- time helpers


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 (Howard Hinnant's algorithm; no datetime needed)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def ts(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> int:
    return days_from_civil(y, m, d) * DAY + hh * 3600 + mm * 60 + ss


_DAY_CACHE: dict[int, str] = {}


def fmt_day(t: int) -> str:
    dn = t // DAY
    s = _DAY_CACHE.get(dn)
    if s is None:
        y, m, d = civil_from_days(dn)
        s = f"{y:04d}-{m:02d}-{d:02d}"
        _DAY_CACHE[dn] = s
    return s


def fmt_ts(t: int) -> str:
    r = t % DAY
    return f"{fmt_day(t)} {r // 3600:02d}:{r % 3600 // 60:02d}:{r % 60:02d}"


MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --------------------------------------------------------------------------- taxonomy & vocab


def load_themes(path: Path = THEME_CSV) -> dict[str, list[str]]:
    """theme -> keywords, in file order (the CSV is the single source of truth)."""
    themes: dict[str, list[str]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            themes.setdefault(row["theme"].strip(), []).append(row["keyword"].strip())
    return themes


# Accented spellings people actually type; the taxonomy stores the unaccented form.
ACCENTED = {"comedie": "comédie", "cafe": "café", "musica": "música"}
GENERIC_TAGS = ["fyp", "foryou", "viral", "foryoupage", "trending"]
EMOJI = ["😂", "🔥", "✨", "💪", "🍝", "🎶", "🐶", "✈️", "💄", "🎮", "📚", "❤️", "👀", "🙌"]

# Caption / search / share phrasing per theme. Themes missing here (if the taxonomy grows)
# fall back to generic phrasing built from the theme name.
THEME_PHRASES = {
    "comedy": ["when your mom finds the receipt", "pov: the group chat at 3am", "this skit took 40 takes"],
    "dance": ["learned this in one night", "tutorial at the end", "new choreo, who's in"],
    "food": ["15 minute pasta, no joke", "grandma's secret sauce", "crispy, cheap, done"],
    "fitness": ["leg day never again", "5 moves for a stronger core", "morning routine before work"],
    "beauty": ["my 5 minute face", "drugstore dupes that work", "skin prep before makeup"],
    "gaming": ["clutch of the year", "new season first look", "this build is broken"],
    "education": ["you were never taught this", "3 facts in 30 seconds", "study with me, 2 hours"],
    "music": ["acoustic version, tell me what you think", "original song part 2", "first time on guitar"],
    "pets": ["he heard the treat bag", "meet our new rescue", "cat vs cucumber, again"],
    "travel": ["hidden beach nobody talks about", "48 hours in lisbon", "budget trip breakdown"],
    "fashion": ["thrift haul under 30", "3 ways to style one shirt", "fit check for fall"],
    "tech": ["this gadget changed my desk", "ai tools you need", "coding setup tour"],
}
SEARCH_SUFFIX = {
    "comedy": ["skits", "compilation", "try not to laugh"],
    "dance": ["tutorial", "challenge 2024", "easy steps"],
    "food": ["pasta", "dinner ideas", "for beginners"],
    "fitness": ["plan", "at home", "for beginners"],
    "beauty": ["routine", "tutorial", "dupes"],
    "gaming": ["tips", "best settings", "funny moments"],
    "education": ["explained", "for exams", "facts"],
    "music": ["cover acoustic", "chords", "new songs"],
    "pets": ["training", "funny videos", "care tips"],
    "travel": ["itinerary", "on a budget", "hidden gems"],
    "fashion": ["ideas", "haul", "capsule wardrobe"],
    "tech": ["review", "setup", "tips"],
}
SEARCH_PREFIX = ["", "", "easy", "best", "how to", "quick"]

FIRST_NAMES = [
    "mia",
    "leo",
    "ava",
    "noah",
    "zoe",
    "liam",
    "ivy",
    "omar",
    "nina",
    "kai",
    "lara",
    "theo",
    "maya",
    "finn",
    "rosa",
    "jude",
    "sara",
    "ezra",
    "luna",
    "milo",
    "iris",
    "hugo",
    "nora",
    "alba",
    "jade",
    "remy",
    "cleo",
    "otto",
    "ines",
    "yuki",
    "ana",
    "tomas",
    "priya",
    "dev",
    "lina",
    "sami",
]
HANDLE_WORDS = [
    "daily",
    "vibes",
    "official",
    "tv",
    "world",
    "studio",
    "life",
    "club",
    "hq",
    "zone",
    "lab",
    "diaries",
    "corner",
    "time",
    "nation",
    "things",
]
THEME_HANDLE_WORD = {
    "comedy": "laughs",
    "dance": "moves",
    "food": "bakes",
    "fitness": "lifts",
    "beauty": "glow",
    "gaming": "plays",
    "education": "explains",
    "music": "sings",
    "pets": "pets",
    "travel": "travels",
    "fashion": "fits",
    "tech": "codes",
}
SOUND_ADJ = [
    "Espresso",
    "Midnight",
    "Golden",
    "Velvet",
    "Neon",
    "Sunday",
    "Electric",
    "Lazy",
    "Paper",
    "Cherry",
    "Silver",
    "Ocean",
    "Summer",
    "Broken",
    "Wild",
    "Lofi",
    "Crystal",
    "Late",
]
SOUND_NOUN = [
    "Morning",
    "Drive",
    "Hearts",
    "City",
    "Dreams",
    "Rain",
    "Lights",
    "Waves",
    "Garden",
    "Echo",
    "Runway",
    "Skyline",
    "Bloom",
    "Static",
    "Fever",
    "Horizon",
]
SOUND_TAIL = ["Vibes", "Remix", "Loop", "Beat", "Anthem", "Dub", "Sped Up", "Slowed", "Theme", "Mix"]
OTHER_SOUNDS = [
    "Flowers - Miley Cyrus",
    "Cupid (Twin Ver.) - FIFTY FIFTY",
    "Makeba - Jain",
    "Oh No - Kreepa",
    "Monkeys Spinning Monkeys - Kevin MacLeod",
    "Aesthetic - Tollan Kim",
    "Say So - Doja Cat",
    "Renegade - K Camp",
    "Savage Love - Jason Derulo",
    "Paint The Town Red - Doja Cat",
]
CITIES = [
    "Lisbon, Portugal",
    "Austin, Texas",
    "Manchester, England",
    "Lyon, France",
    "Toronto, Ontario",
    "Melbourne, Victoria",
    "Madrid, Spain",
    "Osaka, Japan",
]
COUNTRIES = [
    "United States",
    "Brazil",
    "Indonesia",
    "Philippines",
    "Mexico",
    "United Kingdom",
    "Russia",
    "Turkey",
    "Germany",
    "France",
    "Thailand",
    "Vietnam",
]
REGIONS = ["US", "BR", "ID", "PH", "MX", "GB", "DE", "FR", "TH", "VN", "ES", "IT"]
LANGS = ["en", "pt", "id", "es", "de", "fr", "th", "vi", "it"]


# --------------------------------------------------------------------------- small random helpers


def weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights)[0]


def tag_variant(rng: random.Random, kw: str) -> str:
    """A hashtag as people type it: mostly lowercase, sometimes Capitalised/UPPER/accented."""
    if kw in ACCENTED and rng.random() < 0.5:
        kw = ACCENTED[kw]
    r = rng.random()
    if r < 0.10:
        kw = kw[:1].upper() + kw[1:]
    elif r < 0.14:
        kw = kw.upper()
    return "#" + kw


def slugify(title: str) -> str:
    return "-".join(title.replace("(", "").replace(")", "").split())


def video_id(rng: random.Random, created_unix: int) -> int:
    # A TikTok id carries its creation time: id >> 32 == Unix seconds.
    return (created_unix << 32) | rng.getrandbits(32)


def short_link(vid: int) -> str:
    return f"https://www.tiktokv.com/share/video/{vid}/"


def long_link(author: str, vid: int) -> str:
    return f"https://www.tiktok.com/@{author}/video/{vid}"


def kmb(v: float) -> str:
    """Display text as on TikTok/ranking sites: 221.7K, 26M, 726."""
    if v >= 1e6:
        s = f"{v / 1e6:.1f}".rstrip("0").rstrip(".")
        return s + "M"
    if v >= 1e3:
        s = f"{v / 1e3:.1f}".rstrip("0").rstrip(".")
        return s + "K"
    return str(int(v))


def display_round(v: float) -> int:
    """Round a count the way it is read back from display text (<= 4 significant digits)."""
    if v >= 1e6:
        return int(round(v / 1e5) * 1e5)
    if v >= 1e4:
        return int(round(v / 1e2) * 1e2)
    return int(v)


class Canaries:
    """Collects PII canaries and third-party user names, in first-seen order."""

    def __init__(self):
        self.pii: list[str] = []
        self.users: list[str] = []

    def add(self, s: str) -> str:
        self.pii.append(s)
        return s

    def user(self, s: str) -> str:
        self.users.append(s)
        return s


# --------------------------------------------------------------------------- creators (shared pool)


class CreatorPool:
    """Top creators shared by top_creators/, profiles/ and the authors of exported videos."""

    def __init__(self, seed: int, themes: list[str], size: int = 1000):
        rng = random.Random(f"{seed}-creators")
        self.creators = []
        seen = set()
        for i in range(size):
            theme = themes[i % len(themes)]
            while True:
                first = rng.choice(FIRST_NAMES)
                word = THEME_HANDLE_WORD.get(theme, theme) if rng.random() < 0.6 else rng.choice(HANDLE_WORDS)
                sep = rng.choice([".", "", "_", ""])
                suffix = "" if rng.random() < 0.6 else str(rng.randint(1, 99))
                handle = f"{first}{sep}{word}{suffix}"
                if handle not in seen:
                    seen.add(handle)
                    break
            # log-uniform 100K .. 150M followers: covers mid, macro and mega tiers
            followers = display_round(10 ** rng.uniform(5.0, 8.18))
            verified = rng.random() < (0.15 + 0.12 * (math.log10(followers) - 5))
            if followers < 500_000:
                er = rng.uniform(0.08, 0.16)  # mid tier: most engaged
            elif followers < 1_000_000:
                er = rng.uniform(0.05, 0.10)  # macro
            else:
                er = rng.uniform(0.02, 0.06)  # mega: least engaged
            if verified:
                er *= 0.7
            name = f"{first.capitalize()} {word.capitalize()}" if rng.random() < 0.7 else f"{first.upper()}"
            self.creators.append(
                {
                    "handle": handle,
                    "name": name,
                    "theme": theme,
                    "followers": followers,
                    "verified": verified,
                    "er": er,
                    "country": rng.choice(COUNTRIES),
                }
            )
        self.by_theme: dict[str, list[dict]] = {}
        for c in self.creators:
            self.by_theme.setdefault(c["theme"], []).append(c)
        self.ranked = sorted(self.creators, key=lambda c: (-c["followers"], c["handle"]))


# --------------------------------------------------------------------------- account simulation


class Account:
    def __init__(
        self,
        handle,
        tag,
        idx,
        background,
        hist_start,
        hist_end,
        watch_start,
        rng_key,
        likes_per_day=(6, 8),
        watch_per_day=(14, 18),
    ):
        self.handle = handle
        self.tag = tag  # short name used in canaries
        self.idx = idx
        self.background = background
        self.hist_start = hist_start
        self.hist_end = hist_end
        self.watch_start = watch_start
        self.rng_key = rng_key
        self.likes_per_day = likes_per_day
        self.watch_per_day = watch_per_day


def build_schedule(rng, themes, background, start, end):
    """Consecutive 4-6 week phases, each with a dominant theme not in the background set."""
    candidates = [t for t in themes if t not in background]
    phases = []
    t = start
    prev = None
    while t < end:
        length = rng.randint(28, 42) * DAY
        dom = rng.choice([c for c in candidates if c != prev])
        phases.append((t, t + length, dom))
        prev = dom
        t += length
    return phases


def phase_at(phases, t):
    for s, e, dom in phases:
        if s <= t < e:
            return dom
    return phases[-1][2] if t >= phases[-1][1] else phases[0][2]


def simulate(acct: Account, themes: dict[str, list[str]], pool: CreatorPool, can: Canaries, viral_pool: dict):
    """Generate one account's whole history (all lists, unsliced)."""
    rng = random.Random(acct.rng_key)
    theme_names = list(themes)
    # Schedule starts 60 days before history so posts (lag 21 d) always have a phase.
    phases = build_schedule(rng, theme_names, acct.background, acct.hist_start - 60 * DAY, acct.hist_end + DAY)
    bg = acct.background
    meta: list[tuple] = []  # (vid, link, theme, author, is_viral) for video_metadata
    ev = {
        k: []
        for k in (
            "watch",
            "like",
            "favvid",
            "search",
            "share",
            "favtag",
            "favsound",
            "effect",
            "post",
            "deleted",
            "comment",
            "following",
            "follower",
            "login",
            "dm",
        )
    }

    def draw_theme(t):
        if rng.random() < 0.6:
            return phase_at(phases, t)
        return rng.choice(bg)

    def caption(theme, n_tags=None):
        kws = themes[theme]
        n = n_tags or rng.randint(1, 4)
        tags = [tag_variant(rng, kw) for kw in rng.sample(kws, min(n, len(kws)))]
        if rng.random() < 0.3:
            tags.append("#" + rng.choice(GENERIC_TAGS))
        phrase = rng.choice(THEME_PHRASES.get(theme, [f"all about {theme}"]))
        if rng.random() < 0.4:
            phrase += " " + rng.choice(EMOJI)
        return phrase, tags

    def new_video(t, theme):
        age = int(rng.expovariate(1 / (9 * DAY)))
        age = min(max(age, 3600 + rng.randint(0, 7200)), 200 * DAY)
        vid = video_id(rng, t - age)
        if rng.random() < 0.5:
            author = rng.choice(pool.by_theme.get(theme) or pool.creators)["handle"]
        else:
            author = f"{rng.choice(FIRST_NAMES)}{rng.choice(HANDLE_WORDS)}{rng.randint(1, 9999)}"
        link = short_link(vid) if rng.random() < 0.5 else long_link(author, vid)
        meta.append((vid, link, theme, author, False))
        return vid, link, author

    def viral_video(t, theme):
        # Popular videos recur: re-watched, and shared across accounts in the same month.
        key = (theme, t // (30 * DAY))
        vids = viral_pool.get(key)
        if vids is None:
            vrng = random.Random(f"{acct.seed}-viral-{theme}-{key[1]}")
            bucket_start = key[1] * 30 * DAY
            vids = []
            for _ in range(60):
                created = bucket_start - vrng.randint(1, 20) * DAY - vrng.randrange(DAY)
                vid = video_id(vrng, created)
                author = vrng.choice(pool.by_theme.get(theme) or pool.creators)["handle"]
                link = short_link(vid) if vrng.random() < 0.5 else long_link(author, vid)
                vids.append((vid, link, author))
            viral_pool[key] = vids
        vid, link, author = rng.choice(vids)
        meta.append((vid, link, theme, author, True))
        return vid, link, author

    def no_id_link():
        if rng.random() < 0.5:
            return f"https://www.tiktok.com/@{rng.choice(pool.creators)['handle']}"
        return f"https://www.tiktok.com/@{rng.choice(pool.creators)['handle']}/photo/{video_id(rng, acct.hist_start)}"

    start_day = acct.hist_start // DAY
    end_day = acct.hist_end // DAY
    watch_day = acct.watch_start // DAY
    for dn in range(start_day, end_day):
        d0 = dn * DAY
        if dn >= watch_day:
            for _ in range(rng.randint(*acct.watch_per_day)):
                t = d0 + rng.randrange(DAY)
                if rng.random() < 0.005:
                    ev["watch"].append((t, no_id_link(), None, None))
                    continue
                th = draw_theme(t)
                vid, link, _author = (viral_video if rng.random() < 0.35 else new_video)(t, th)
                ph, tags = caption(th)
                ev["watch"].append((t, link, vid, ph + " " + " ".join(tags)))
                if rng.random() < 0.3:  # liked right after watching
                    ev["like"].append((t + rng.randint(3, 90), link))
        for _ in range(rng.randint(*acct.likes_per_day) - (6 if dn >= watch_day else 0)):
            t = d0 + rng.randrange(DAY)
            if rng.random() < 0.005:
                ev["like"].append((t, no_id_link()))
                continue
            th = draw_theme(t)
            _, link, _ = (viral_video if rng.random() < 0.2 else new_video)(t, th)
            ev["like"].append((t, link))
        if rng.random() < 0.2:
            t = d0 + rng.randrange(DAY)
            _, link, _ = new_video(t, draw_theme(t))
            ev["favvid"].append((t, link))
        if rng.random() < 0.55:
            t = d0 + rng.randrange(DAY)
            th = draw_theme(t)
            kw = rng.choice(themes[th])
            pre = rng.choice(SEARCH_PREFIX)
            suf = rng.choice(SEARCH_SUFFIX.get(th, ["ideas", "videos"]))
            term = " ".join(x for x in (pre, kw, suf) if x)
            ev["search"].append((t, term))
        if rng.random() < 0.18:
            t = d0 + rng.randrange(DAY)
            th = draw_theme(t)
            _, link, _ = new_video(t, th)
            ph, tags = caption(th, 2)
            ev["share"].append(
                (
                    t,
                    f"video: {ph} {' '.join(tags)} ({th})",
                    link,
                    rng.choice(["chat_merge", "copy", "whatsapp", "instagram_story", "N/A", ""]),
                )
            )
        if rng.random() < 0.04:
            t = d0 + rng.randrange(DAY)
            th = phase_at(phases, t)
            kw = rng.choice(themes[th])
            ev["favtag"].append((t, f"https://www.tiktok.com/tag/{ACCENTED.get(kw, kw) if rng.random() < 0.3 else kw}"))
        if rng.random() < 0.02:
            t = d0 + rng.randrange(DAY)
            name = f"{rng.choice(SOUND_ADJ)}{rng.choice(['', ' '])}{rng.choice(['Glow', 'Blur', 'Sparkle', 'Retro'])}"
            ev["effect"].append((t, f"https://www.tiktok.com/sticker/{slugify(name)}-{rng.randint(100000, 9999999)}"))
        if rng.random() < 0.09:
            t = d0 + rng.randrange(DAY)
            th = draw_theme(t)
            _, link, _ = new_video(t, th)
            ev["comment"].append(
                (
                    t,
                    rng.choice(
                        [
                            "this is so good",
                            "need the recipe!!",
                            "ok but how",
                            "😂😂😂",
                            "saving this",
                            "first",
                            "omg same",
                        ]
                    ),
                    link,
                )
            )

    # Favourite sounds: ~30 over the history; the first one early so reuse is possible.
    n_sounds = rng.randint(24, 36)
    titles = set()
    span = acct.hist_end - acct.hist_start
    for i in range(n_sounds):
        while True:
            title = f"{rng.choice(SOUND_ADJ)} {rng.choice(SOUND_NOUN)} {rng.choice(SOUND_TAIL)}"
            if title not in titles:
                titles.add(title)
                break
        t = acct.hist_start + (rng.randrange(5 * DAY) if i == 0 else rng.randrange(span))
        sid = video_id(rng, t - rng.randint(30, 400) * DAY)
        ev["favsound"].append((t, title, f"https://www.tiktok.com/music/{slugify(title)}-{sid}"))
    ev["favsound"].sort()

    # Posts: ~0.6/day; theme from the phase active 21 days earlier (posting lags engagement).
    post_theme_lagged = []
    n_posts = int(span / DAY * rng.uniform(0.5, 0.75))
    post_times = sorted(acct.hist_start + rng.randrange(span) for _ in range(n_posts))
    reuse_before = reuse_after = 0
    for t in post_times:
        # 85% the dominant theme of the phase 21 days earlier, 15% a background theme
        th = phase_at(phases, t - 21 * DAY) if rng.random() < 0.85 else rng.choice(bg)
        ph, tags = caption(th, rng.randint(1, 5))
        r = rng.random()
        before = [s for s in ev["favsound"] if s[0] < t]
        after = [s for s in ev["favsound"] if s[0] >= t]
        if r < 0.40 and before:
            sound = rng.choice(before)[1]
            reuse_before += 1
        elif r < 0.45 and after:
            sound = rng.choice(after)[1]  # used first, favourited later
            reuse_after += 1
        elif r < 0.80:
            sound = f"original sound - {acct.handle}"
        else:
            sound = rng.choice(OTHER_SOUNDS)
        vid = video_id(rng, t)
        post_theme_lagged.append(th)
        ev["post"].append(
            {
                "t": t,
                "vid": vid,
                "theme": th,
                "sound": sound,
                "title": ph + " " + " ".join(tags),
                "tags": tags,
                "likes": str(int(rng.lognormvariate(4.5, 1.6))),
                "who": weighted(rng, ["Everyone", "Friends", "Only me"], [90, 7, 3]),
                "flags": [rng.choice(["Yes", "Yes", "Yes", "No"]) for _ in range(5)],
                "disclosure": rng.choice(["", "N/A", "No", "Your brand"]),
                "ai": weighted(rng, ["No", "Yes"], [95, 5]),
                "location": weighted(rng, ["N/A", "", rng.choice(CITIES)], [50, 20, 30]),
                "addyours": weighted(rng, ["", "N/A", "Show your morning routine"], [60, 30, 10]),
                "alt": weighted(rng, ["", "N/A", "None", "video of " + th], [40, 25, 15, 20]),
                "cover": f"https://p16-sign.tiktokcdn-us.com/obj/tos-useast5-p-0068-tx/{vid:x}~tplv-noop.image",
                "collections": str(int(rng.expovariate(1 / 8))) if rng.random() < 0.6 else None,
            }
        )
    for _ in range(rng.randint(3, 6)):
        t = acct.hist_start + rng.randrange(span)
        th = phase_at(phases, t - 21 * DAY)
        ph, tags = caption(th)
        ev["deleted"].append(
            {
                "t": t,
                "vid": video_id(rng, t),
                "title": ph + " " + " ".join(tags),
                "likes": str(rng.randint(0, 200)),
                "sound": f"original sound - {acct.handle}",
            }
        )

    # Social graph (third-party names; must be pseudonymised downstream).
    for kind in ("following", "follower"):
        for i in range(rng.randint(50, 200)):
            t = acct.hist_start - rng.randrange(400 * DAY) if i % 2 else acct.hist_start + rng.randrange(span)
            name = can.user(
                f"tpu_{rng.choice(FIRST_NAMES)}_{acct.tag}_{'fing' if kind == 'following' else 'fer'}{i:03d}"
            )
            ev[kind].append((t, name))

    # Sensitive data (canaries).
    ip = acct.ip
    can.add(ip)
    device = can.add(f"CANARY-DEVICE-{acct.tag}")
    for _ in range(rng.randint(5, 12)):
        t = acct.hist_start + rng.randrange(span)
        ev["login"].append(
            (
                t,
                ip,
                device,
                rng.choice(["iOS 17.2", "Android 14"]),
                rng.choice(["Wi-Fi", "4G", "5G"]),
                rng.choice(["T-Mobile", "Vodafone", "Orange"]),
            )
        )
    partner = can.user(f"tpu_dmfriend_{acct.tag}")
    for i in range(1, rng.randint(4, 7)):
        t = acct.hist_start + rng.randrange(span)
        msg = can.add(f"CANARY-DM-{acct.tag}-{i}") + " meet me at " + rng.choice(["the cafe", "noon", "the gym"])
        ev["dm"].append((t, rng.choice([acct.handle, partner]), msg))
    ev["dm_partner"] = partner
    ev["idfa"] = can.add(f"CANARY-IDFA-{acct.tag}")
    ev["gaid"] = can.add(f"CANARY-GAID-{acct.tag}")
    ev["androidid"] = can.add(f"CANARY-ANDROIDID-{acct.tag}")
    ev["email"] = can.add(f"canary.{acct.tag}@example.com")
    ev["phone"] = can.add(acct.phone)
    bd_day = 1 + acct.idx % 28
    ev["birth"] = can.add(
        f"{bd_day:02d}-{MONTH_ABBR[acct.idx % 12]}-20{acct.idx % 10:02d}"
        if acct.idx < 100
        else f"17-Dec-20{acct.idx % 10:02d}"
    )
    ev["address"] = can.add(f"CANARY-ADDR-{acct.tag} 12 Example Street")
    ev["card"] = can.add(f"CANARY-CARD-{acct.tag}-4111")

    for k in (
        "watch",
        "like",
        "favvid",
        "search",
        "share",
        "favtag",
        "effect",
        "comment",
        "following",
        "follower",
        "login",
        "dm",
    ):
        ev[k].sort(key=lambda x: x[0], reverse=True)  # exports list newest first
    ev["post"].sort(key=lambda p: p["t"], reverse=True)
    ev["deleted"].sort(key=lambda p: p["t"], reverse=True)
    ev["favsound"].sort(key=lambda x: x[0], reverse=True)
    ev["phases"] = phases
    ev["meta"] = meta
    ev["reuse"] = (reuse_before, reuse_after, len(post_times))
    ev["bio"] = f"{rng.choice(THEME_PHRASES.get(bg[0], ['hi']))} | {bg[0]} & {bg[1]} ✨"
    return ev


# --------------------------------------------------------------------------- export layouts


def win(items, start, end):
    return [x for x in items if start <= x[0] < end]


def empty(style):
    return {"null": None, "[]": [], "{}": {}}[style]


def or_empty(lst, style="[]"):
    return lst if lst else empty(style)


def build_export(layout, acct, ev, export_t, start, watch_start, opts):
    """Build one export dict. opts: dict of list-name -> empty style to force, plus flags."""
    nulls = opts.get("empty", {})
    lk_lower = layout in ("v2", "v3")

    def L(name, value):
        return empty(nulls[name]) if name in nulls else value

    watch = []
    for t, link, vid, cap in win(ev["watch"], watch_start, export_t):
        item = {"Date": fmt_ts(t), "VideoLink": link} if opts.get("videolink") else {"Date": fmt_ts(t), "Link": link}
        if opts.get("watch_title"):
            item["Title"] = cap if (cap and (vid or 0) % 10 not in (0, 1)) else ("N/A" if (vid or 0) % 2 else "")
        watch.append(item)
    likes = [
        {"date" if lk_lower else "Date": fmt_ts(t), "link" if lk_lower else "Link": lnk}
        for t, lnk in win(ev["like"], start, export_t)
    ]
    favvid = [{"Date": fmt_ts(t), "Link": lnk} for t, lnk in win(ev["favvid"], start, export_t)]
    # Favourites persist: every sound favourited before the export date is listed.
    favsound = [{"Date": fmt_ts(t), "Link": lnk} for t, _, lnk in ev["favsound"] if t < export_t]
    favtag = [{"Date": fmt_ts(t), "Link": lnk} for t, lnk in win(ev["favtag"], start, export_t)]
    effects = [{"Date": fmt_ts(t), "EffectLink": lnk} for t, lnk in win(ev["effect"], start, export_t)]
    searches = [{"Date": fmt_ts(t), "SearchTerm": s} for t, s in win(ev["search"], start, export_t)]
    shares = [
        {"Date": fmt_ts(t), "SharedContent": c, "Link": lnk, "Method": m}
        for t, c, lnk, m in win(ev["share"], start, export_t)
    ]
    following = [{"Date": fmt_ts(t), "UserName": u} for t, u in ev["following"] if t < export_t]
    followers = [{"Date": fmt_ts(t), "UserName": u} for t, u in ev["follower"] if t < export_t]
    posts_src = [p for p in ev["post"] if p["t"] < export_t]
    posts = []
    for p in posts_src:
        item = {
            "Date": fmt_ts(p["t"]),
            "Link": short_link(p["vid"]),
            "Likes": p["likes"],
            "WhoCanView": p["who"],
            "AllowComments": p["flags"][0],
            "AllowStitches": p["flags"][1],
            "AllowDuets": p["flags"][2],
            "AllowStickers": p["flags"][3],
            "AllowSharingToStory": p["flags"][4],
            "ContentDisclosure": p["disclosure"],
            "AIGeneratedContent": p["ai"],
            "Sound": p["sound"],
            "Location": p["location"],
            "Title": p["title"],
            "AddYoursText": p["addyours"],
            "AlternateText": p["alt"],
            "CoverImage": p["cover"],
        }
        if layout == "v3" and p["collections"] is not None:
            item["NumberOfCollections"] = p["collections"]
        posts.append(item)
    seen_tags = {}
    for p in posts_src:
        for tg in p["tags"]:
            name = tg[1:]
            seen_tags.setdefault(name.lower(), name)
    hashtags = [
        {"HashtagName": n, "HashtagLink": f"https://www.tiktok.com/tag/{n}"}
        for n in sorted(seen_tags.values(), key=str.lower)
    ]
    deleted = [
        {
            "Date": fmt_ts(p["t"]),
            "Link": short_link(p["vid"]),
            "Likes": p["likes"],
            "Sound": p["sound"],
            "Title": p["title"],
        }
        for p in ev["deleted"]
        if p["t"] < export_t
    ]
    comments = []
    for t, c, lnk in win(ev["comment"], start, export_t):
        if layout == "v3":
            comments.append(
                {
                    "date": fmt_ts(t) + " UTC",
                    "comment": c,
                    "photo": "N/A",
                    "video": "N/A",
                    "sticker": "N/A",
                    "originalPostUrl": lnk,
                }
            )
        else:
            comments.append({"date": fmt_ts(t), "comment": c, "photo": "N/A", "url": lnk})
    logins = [
        {"Date": fmt_ts(t), "IP": ip, "DeviceModel": dm, "DeviceSystem": ds, "NetworkType": nt, "Carrier": ca}
        for t, ip, dm, ds, nt, ca in win(ev["login"], start, export_t)
    ]
    status = [
        {
            "Resolution": "1170*2532",
            "App Version": "37.4.0",
            "IDFA": ev["idfa"],
            "GAID": ev["gaid"],
            "Android ID": ev["androidid"],
            "Network": "Wi-Fi",
        }
    ]
    chat = {
        f"Chat History with {ev['dm_partner']}:": [
            {"Date": fmt_ts(t), "From": f, "Content": c} for t, f, c in win(ev["dm"], start, export_t)
        ]
    }
    n_likes_recv = sum(int(p["likes"]) for p in posts_src)
    profile = {
        "userName": acct.handle,
        "bioDescription": ev["bio"],
        "likesReceived": opts.get("likes_received", str(n_likes_recv)),
        "birthDate": ev["birth"],
        "emailAddress": ev["email"],
        "telephoneNumber": ev["phone"],
        "profilePhoto": f"https://p16-sign.tiktokcdn.com/avatar/{acct.tag}.jpeg",
        "profileVideo": "None",
    }
    if layout == "v3":
        profile.update(
            {
                "displayName": acct.handle.split(".")[0].capitalize(),
                "followerCount": len(followers),
                "followingCount": len(following),
                "accountRegion": "US",
            }
        )
    shop = {
        "Current Payment Information": {"PayCard": L("PayCard", [{"CardNumber": ev["card"], "Type": "Visa"}])},
        "Order History": {"OrderHistories": L("OrderHistories", {})},
        "Saved Address Information": {
            "SaveAddress": [{"Name": acct.handle, "Address": ev["address"], "Phone": ev["phone"]}]
        },
        "Shopping Cart List": {"ShoppingCart": L("ShoppingCart", [])},
        "Product Browsing History": {"ProductBrowsingHistories": L("ProductBrowsing", None)},
    }
    live = {
        "Go Live History": {"GoLiveList": L("GoLiveList", None)},
        "Watch Live History": {"WatchLiveMap": L("WatchLiveMap", {})},
    }
    fo = {"App": 1, "IsFastLane": False}

    lists = {
        "watch": {"VideoList": L("VideoList", or_empty(watch))},
        "like": {"ItemFavoriteList": L("ItemFavoriteList", or_empty(likes))},
        "favvid": {"FavoriteVideoList": L("FavoriteVideoList", or_empty(favvid))},
        "favsound": {"FavoriteSoundList": L("FavoriteSoundList", or_empty(favsound))},
        "favtag": {"FavoriteHashtagList": L("FavoriteHashtagList", or_empty(favtag))},
        "effect": {"FavoriteEffectsList": L("FavoriteEffectsList", or_empty(effects))},
        "search": {"SearchList": L("SearchList", or_empty(searches))},
        "share": {"ShareHistoryList": L("ShareHistoryList", or_empty(shares))},
        "following": {**fo, "Following": L("Following", or_empty(following))},
        "follower": {**fo, "FansList": L("FansList", or_empty(followers))},
        "hashtag": {"HashtagList": L("HashtagList", or_empty(hashtags))},
        "login": {"LoginHistoryList": L("LoginHistoryList", logins)},
        "status": {"Status List": status},
        "posts": {"VideoList": L("PostVideoList", or_empty(posts))},
        "deleted": {"PostList": L("PostList", or_empty(deleted))},
        "comments": {"CommentsList": L("CommentsList", or_empty(comments))},
        "profile": {"ProfileMap": profile},
        "chat": {"ChatHistory": chat},
    }
    settings = {
        "Settings": {
            "SettingsMap": {"Allow DownLoad": "On", "Private Account": "Off", "Interests": "N/A", "Language": "en"}
        },
        "Block List": {"BlockList": L("BlockList", None)},
    }
    if layout == "v1":
        return {
            "Activity": {
                "Favorite Effects": lists["effect"],
                "Favorite Hashtags": lists["favtag"],
                "Favorite Sounds": lists["favsound"],
                "Favorite Videos": lists["favvid"],
                "Follower List": lists["follower"],
                "Following List": lists["following"],
                "Hashtag": lists["hashtag"],
                "Like List": lists["like"],
                "Login History": lists["login"],
                "Search History": lists["search"],
                "Share History": lists["share"],
                "Status": lists["status"],
                "Video Browsing History": lists["watch"],
            },
            "App Settings": settings,
            "Comment": {"Comments": lists["comments"]},
            "Direct Messages": {"Chat History": lists["chat"]},
            "Profile": {"Profile Information": lists["profile"]},
            "Tiktok Live": live,
            "Video": {"Videos": lists["posts"]},
            "TikTok Shopping": shop,
        }
    activity = {
        "Favorite Effects": lists["effect"],
        "Favorite Hashtags": lists["favtag"],
        "Favorite Sounds": lists["favsound"],
        "Favorite Videos": lists["favvid"],
        "Follower": lists["follower"],
        "Following": lists["following"],
        "Hashtag": lists["hashtag"],
        "Like List": lists["like"],
        "Login History": lists["login"],
        "Searches": lists["search"],
        "Share History": lists["share"],
        "Status": lists["status"],
        "Watch History": lists["watch"],
    }
    wallet = {"TransactionsList": L("TransactionsList", None)}
    location = {"LocationReviewsList": L("LocationReviewsList", None)}
    post = {"Posts": lists["posts"], "Recently Deleted Posts": lists["deleted"]}
    if layout == "v2":
        return {
            "Ads and data": {
                "Ad Interests": {"AdInterestCategories": "Food & Drink|Travel"},
                "Off TikTok Activity": {"OffTikTokActivityDataList": L("OffTikTok", None)},
            },
            "App Settings": settings,
            "Comment": {"Comments": lists["comments"]},
            "Direct Message": {"Direct Messages": lists["chat"]},
            "Income Plus Wallet Transactions": wallet,
            "Location Review": location,
            "Post": post,
            "Profile": {"Profile Info": lists["profile"]},
            "TikTok Shop": shop,
            "Tiktok Live": live,
            "Your Activity": activity,
        }
    # v3: likes/favourites move to their own section, social graph to Profile And Settings.
    likes_favs = {
        k: activity.pop(k)
        for k in ("Like List", "Favorite Videos", "Favorite Sounds", "Favorite Hashtags", "Favorite Effects")
    }
    pas = {
        "Profile Info": lists["profile"],
        "Following": activity.pop("Following"),
        "Follower": activity.pop("Follower"),
        "App Settings": settings["Settings"],
        "Block List": settings["Block List"],
    }
    return {
        "Comment": {"Comments": lists["comments"]},
        "Direct Message": {"Direct Messages": lists["chat"]},
        "Income+ Wallet": wallet,
        "Likes and Favorites": likes_favs,
        "Location Review": location,
        "Post": post,
        "Profile And Settings": pas,
        "TikTok Live": live,
        "TikTok Shop": shop,
        "Your Activity": activity,
    }


def dump_json(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def write_txt(path: Path, blocks, crlf=False):
    """Blocks of 'Label: value' lines separated by blank lines (TikTok's TXT export)."""
    nl = "\r\n" if crlf else "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i, block in enumerate(blocks):
            if i:
                fh.write(nl)
            for label, value in block:
                fh.write(f"{label}: {value}{nl}")


def write_txt_export(root: Path, acct, ev, export_t, start, watch_start):
    a = root / "Activity"
    write_txt(
        a / "Like List.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk in win(ev["like"], start, export_t)],
        crlf=True,
    )
    write_txt(
        a / "Video Browsing History.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk, _, _ in win(ev["watch"], watch_start, export_t)],
        crlf=True,
    )
    write_txt(
        a / "Favorite Sounds.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, _, lnk in ev["favsound"] if t < export_t],
    )
    write_txt(
        a / "Favorite Videos.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk in win(ev["favvid"], start, export_t)],
    )
    write_txt(
        a / "Favorite Hashtags.txt",
        [[("Date", fmt_ts(t)), ("Link", lnk)] for t, lnk in win(ev["favtag"], start, export_t)],
    )
    write_txt(
        a / "Search History.txt",
        [[("Date", fmt_ts(t)), ("Search Term", s)] for t, s in win(ev["search"], start, export_t)],
    )
    write_txt(
        a / "Share History.txt",
        [
            [("Date", fmt_ts(t)), ("Shared Content", c), ("Link", lnk), ("Method", m)]
            for t, c, lnk, m in win(ev["share"], start, export_t)
        ],
    )
    write_txt(
        a / "Following List.txt", [[("Date", fmt_ts(t)), ("Username", u)] for t, u in ev["following"] if t < export_t]
    )
    write_txt(
        a / "Follower List.txt", [[("Date", fmt_ts(t)), ("Username", u)] for t, u in ev["follower"] if t < export_t]
    )
    write_txt(
        a / "Login History.txt",
        [
            [
                ("Date", fmt_ts(t)),
                ("IP", ip),
                ("DeviceModel", dm),
                ("DeviceSystem", ds),
                ("NetworkType", nt),
                ("Carrier", ca),
            ]
            for t, ip, dm, ds, nt, ca in win(ev["login"], start, export_t)
        ],
    )
    write_txt(
        root / "Video" / "Videos.txt",
        [
            [
                ("Date", fmt_ts(p["t"])),
                ("Link", short_link(p["vid"])),
                ("Likes", p["likes"]),
                ("Who can view", p["who"]),
                ("Allow comments", p["flags"][0]),
                ("Sound", p["sound"]),
                ("Location", p["location"]),
                ("Title", p["title"]),
            ]
            for p in ev["post"]
            if p["t"] < export_t
        ],
    )
    write_txt(
        root / "Profile" / "Profile Information.txt",
        [
            [
                ("Username", acct.handle),
                ("Birthdate", ev["birth"]),
                ("Email", ev["email"]),
                ("Telephone Number", ev["phone"]),
                ("Bio Description", ev["bio"]),
                ("Likes Received", str(sum(int(p["likes"]) for p in ev["post"] if p["t"] < export_t))),
            ]
        ],
    )
    write_txt(
        a / "Status.txt",
        [
            [
                ("Resolution", "1080*2340"),
                ("App Version", "26.1.3"),
                ("IDFA", ev["idfa"]),
                ("GAID", ev["gaid"]),
                ("Android ID", ev["androidid"]),
            ]
        ],
    )
    shop = root / "TikTok Shopping"
    write_txt(
        shop / "Saved Address Information.txt",
        [[("Name", acct.handle), ("Address", ev["address"]), ("Phone", ev["phone"])]],
    )
    write_txt(shop / "Current Payment Information.txt", [[("Card Number", ev["card"]), ("Type", "Visa")]])
    write_txt(
        root / "Direct Messages" / "Chat History.txt",
        [[("Chat History with", ev["dm_partner"])]]
        + [[("Date", fmt_ts(t)), ("From", f), ("Content", c)] for t, f, c in win(ev["dm"], start, export_t)],
    )


# --------------------------------------------------------------------------- video metadata


class MetaWriter:
    COLS: ClassVar[list[str]] = ["video_id", "video_link", "description", "hashtags", "sound_title", "author_handle"]

    def __init__(self, path: Path, themes, seed):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115  (written row by row, closed in close())
        self.w = csv.writer(self.fh, lineterminator="\n")
        self.w.writerow(self.COLS)
        self.rng = random.Random(f"{seed}-meta")
        self.themes = themes
        self.rows = 0
        self.done_viral: set = set()

    def write_account(self, meta, exported_vids=None):
        rng = self.rng
        seen = set()
        for vid, link, theme, author, viral in meta:
            if vid in seen or vid in self.done_viral or (exported_vids is not None and vid not in exported_vids):
                continue
            seen.add(vid)
            if viral:
                self.done_viral.add(vid)  # bounded: 60 per theme-month
            if rng.random() >= 0.85:  # ~15% of engaged videos stay untagged
                continue
            kws = self.themes[theme]
            tags = [tag_variant(rng, kw) for kw in rng.sample(kws, min(rng.randint(1, 4), len(kws)))]
            if rng.random() < 0.25:
                tags.append("#" + rng.choice(GENERIC_TAGS))
            desc = rng.choice(THEME_PHRASES.get(theme, [f"all about {theme}"]))
            if rng.random() < 0.1:
                desc = f'"{desc}", she said'
            if rng.random() < 0.4:
                desc += " " + rng.choice(EMOJI)
            desc += " " + " ".join(tags)
            sound = f"original sound - {author}" if rng.random() < 0.6 else rng.choice(OTHER_SOUNDS)
            self.w.writerow(
                [
                    "" if rng.random() < 0.05 else str(vid),
                    link if rng.random() < 0.3 else short_link(vid),
                    desc,
                    " ".join(tags),
                    sound,
                    author,
                ]
            )
            self.rows += 1

    def close(self):
        self.fh.close()


# --------------------------------------------------------------------------- named + generated accounts


def named_accounts():
    """(account, export specs). Export spec: (kind, relpath, layout, export_t, start, watch_start, opts)."""
    accts = []
    alex = Account(
        "alex.cooks",
        "alex",
        1,
        ["food", "travel", "fitness"],
        ts(2023, 12, 15),
        ts(2025, 6, 30),
        ts(2024, 8, 17),
        "alex",
    )
    accts.append(
        (
            alex,
            [
                (
                    "json",
                    "alex/2024-12-15/user_data_tiktok.json",
                    "v2",
                    ts(2024, 12, 15),
                    ts(2023, 12, 15),
                    ts(2024, 8, 17),
                    {
                        "empty": {
                            "FavoriteEffectsList": "null",
                            "HashtagList": "null",
                            "OffTikTok": "null",
                            "OrderHistories": "null",
                            "ShoppingCart": "null",
                            "WatchLiveMap": "null",
                            "BlockList": "null",
                        }
                    },
                ),
                # The v3 export's watch window reaches back to 2024-11-01: six weeks overlap with v2.
                (
                    "json",
                    "alex/2025-06-30/user_data_tiktok.json",
                    "v3",
                    ts(2025, 6, 30),
                    ts(2024, 6, 30),
                    ts(2024, 11, 1),
                    {},
                ),
            ],
        )
    )
    bea = Account(
        "bea.moves", "bea", 2, ["dance", "fashion", "music"], ts(2022, 3, 10), ts(2023, 3, 10), ts(2022, 10, 10), "bea"
    )
    accts.append(
        (
            bea,
            [
                (
                    "json",
                    "bea/user_data.json",
                    "v1",
                    ts(2023, 3, 10),
                    ts(2022, 3, 10),
                    ts(2022, 10, 10),
                    {
                        "videolink": True,
                        "likes_received": "None",
                        "empty": {"ShareHistoryList": "[]", "FavoriteEffectsList": "{}"},
                    },
                )
            ],
        )
    )
    cam = Account(
        "cam.plays", "cam", 3, ["gaming", "tech", "comedy"], ts(2024, 9, 20), ts(2025, 9, 20), ts(2025, 4, 1), "cam"
    )
    accts.append(
        (
            cam,
            [
                (
                    "json",
                    "cam/user_data_tiktok.json",
                    "v3",
                    ts(2025, 9, 20),
                    ts(2024, 9, 20),
                    ts(2025, 4, 1),
                    {"watch_title": True, "empty": {"FavoriteHashtagList": "{}"}},
                )
            ],
        )
    )
    dana = Account(
        "dana.sings",
        "dana",
        4,
        ["music", "comedy", "beauty"],
        ts(2021, 11, 5),
        ts(2022, 11, 5),
        ts(2022, 6, 20),
        "dana",
    )
    accts.append((dana, [("txt", "dana", "txt", ts(2022, 11, 5), ts(2021, 11, 5), ts(2022, 6, 20), {})]))
    eli = Account(
        "eli.travels", "eli", 5, ["travel", "pets", "food"], ts(2023, 12, 24), ts(2024, 12, 24), ts(2024, 8, 10), "eli"
    )
    accts.append(
        (
            eli,
            [
                (
                    "zip",
                    "eli/TikTok_Data_1735000000.zip",
                    "v3",
                    ts(2024, 12, 24),
                    ts(2023, 12, 24),
                    ts(2024, 8, 10),
                    {"empty": {"FavoriteEffectsList": "[]", "PostList": "[]"}},
                )
            ],
        )
    )
    for a, _ in accts:
        a.ip = f"203.0.113.{10 + a.idx}"
        a.phone = f"+1-555-01{a.idx:02d}-CANARY"
    return accts


GEN_PER_SCALE = 5.2


def generated_account(i: int, seed: int, themes: list[str]):
    rng = random.Random(f"{seed}-gen-{i}")
    layout = ("v1", "v2", "v3")[i % 3]
    if layout == "v1":
        end = ts(2022, 6, 1) + rng.randrange(500) * DAY
    elif layout == "v2":
        end = ts(2024, 12, 1) + rng.randrange(30) * DAY
    else:
        end = ts(2025, 2, 1) + rng.randrange(400) * DAY
    start = end - 365 * DAY
    watch_start = end - rng.randint(120, 180) * DAY
    bg = rng.sample(themes, 3)
    a = Account(
        f"gen.user{i:05d}",
        f"gen{i:05d}",
        100 + i,
        bg,
        start,
        end,
        watch_start,
        f"{seed}-genacct-{i}",
        likes_per_day=(8, 12),
        watch_per_day=(20, 30),
    )
    a.ip = f"100.{64 + (i >> 16) % 64}.{(i >> 8) % 256}.{i % 256}"
    a.phone = f"+1-555-{i % 10000:04d}-{i // 10000:02d}-CANARY"
    fname = "user_data.json" if layout == "v1" else "user_data_tiktok.json"
    return a, [("json", f"gen/acct_{i:05d}/{fname}", layout, end, start, watch_start, {})]


def exported_vids(ev, specs):
    """Video ids that any of the account's exports actually show (windows can drop history)."""
    vids = set()
    for _kind, _, _, export_t, start, watch_start, _ in specs:
        for t, _link, vid, _ in ev["watch"]:
            if watch_start <= t < export_t and vid:
                vids.add(vid)
        for key in ("like", "favvid"):
            for item in ev[key]:
                if start <= item[0] < export_t:
                    vids.add(link_vid(item[1]))
    return vids


def link_vid(link):
    if "/video/" in link:
        return int(link.rstrip("/").rsplit("/", 1)[1])
    return None


def write_exports(out: Path, seed: int, scale: int, themes, pool, can, meta_writer, report):
    exp = out / "export"
    theme_names = list(themes)
    accounts = named_accounts()
    n_gen = round(GEN_PER_SCALE * (scale - 1))

    def gen():
        yield from accounts
        for i in range(1, n_gen + 1):
            yield generated_account(i, seed, theme_names)

    viral_pool: dict = {}
    for acct, specs in gen():
        acct.seed = seed
        ev = simulate(acct, themes, pool, can, viral_pool)
        for kind, rel, layout, export_t, start, watch_start, opts in specs:
            path = exp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "txt":
                write_txt_export(path, acct, ev, export_t, start, watch_start)
            elif kind == "zip":
                data = dump_json(build_export(layout, acct, ev, export_t, start, watch_start, opts))
                info = zipfile.ZipInfo("user_data_tiktok.json", date_time=(2024, 12, 24, 0, 26, 40))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with zipfile.ZipFile(path, "w") as zf:
                    zf.writestr(info, data)
            else:
                path.write_bytes(dump_json(build_export(layout, acct, ev, export_t, start, watch_start, opts)))
            report["events"] += sum(1 for x in ev["watch"] if watch_start <= x[0] < export_t)
            report["events"] += sum(1 for x in ev["like"] if start <= x[0] < export_t)
        meta_writer.write_account(ev["meta"], exported_vids(ev, specs))
        if acct.idx < 100:
            report["accounts"].append(
                {
                    "handle": acct.handle,
                    "background": acct.background,
                    "phases": [(fmt_day(s), fmt_day(e), d) for s, e, d in ev["phases"]],
                    "posts_reuse_before_after_total": ev["reuse"],
                }
            )


# --------------------------------------------------------------------------- claims

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
        noisy = is_claim and rng.random() < 0.015
        opener = rng.choice(OPINION_OPENERS if (not is_claim or noisy) else CLAIM_OPENERS)
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


def claim_vid(i: int) -> int:
    # Bijective scramble of the row index onto 10-digit ids: unique without a seen-set.
    return 1_000_000_000 + (i * 4_294_967_291 + 7_777_777_777) % 9_000_000_000


def write_claims(out: Path, seed: int, scale: int, report):
    rng = random.Random(f"{seed}-claims")
    d = out / "claims"
    d.mkdir(parents=True, exist_ok=True)
    header = [
        "#",
        "claim_status",
        "video_id",
        "video_duration_sec",
        "video_transcription_text",
        "verified_status",
        "author_ban_status",
        "video_view_count",
        "video_like_count",
        "video_share_count",
        "video_download_count",
        "video_comment_count",
    ]
    total = 2030 + 8120 * (scale - 1)
    n_unl = round(total * 0.015)
    n_lab = total - n_unl
    keep = {}  # a few rows remembered for the re-download copy
    keep_every = max(1, n_lab // 40)
    with open(d / "tiktok_dataset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for i, r in enumerate(claims_rows(rng, n_lab)):
            vid = claim_vid(i)
            row = [i + 1, r[0], vid, *r[1:]]
            if i % keep_every == 0 and len(keep) < 40:
                keep[i] = row
            w.writerow(row)
        for j in range(n_unl):
            i = n_lab + j
            w.writerow(
                [
                    i + 1,
                    "",
                    claim_vid(i),
                    rng.randint(5, 60),
                    "",
                    rng.choice(["verified", "not verified"]),
                    weighted(rng, ["active", "under review", "banned"], [80, 10, 10]),
                    "#N/A",
                    "#N/A",
                    "#N/A",
                    "#N/A",
                    "#N/A",
                ]
            )
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
    report["claims_unlabelled"] = n_unl
    report["claims_redownload_rows"] = n


# --------------------------------------------------------------------------- top creators


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
            usec = (r * 7919) % 1_000_000
            scraped = f"2022-09-21 11:{31 + r // 600:02d}:{(r // 10) % 60:02d}.{usec:06d}"
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


# --------------------------------------------------------------------------- profiles

PROFILE_COLS = [
    "timestamp",
    "account_id",
    "nickname",
    "biography",
    "awg_engagement_rate",
    "comment_engagement_rate",
    "like_engagement_rate",
    "bio_link",
    "is_verified",
    "followers",
    "following",
    "likes",
    "videos_count",
    "create_time",
    "id",
    "top_videos",
    "url",
    "profile_pic_url",
    "region",
    "predicted_lang",
    "is_commerce_user",
]
EXCEL_COLS = [
    "timestamp",
    "account_id",
    "nickname",
    "awg_engagement_rate",
    "comment_engagement_rate",
    "is_verified",
    "followers",
    "create_time",
    "id",
]
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
                y, m, dd = (int(x) for x in row["timestamp"].split("-"))
                ct = row["create_time"]
                if ct != "null":
                    cy, cm, cd = (int(x) for x in ct[:10].split("-"))
                    ct = f"{cd:02d}-{cm:02d}-{cy:04d}"
                xw.writerow(
                    [
                        f"{m}/{dd}/{y}",
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


# --------------------------------------------------------------------------- main


def generate(out: Path, seed: int = 42, scale: int = 1) -> dict:
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
    report = {"events": 0, "accounts": []}
    meta = MetaWriter(out / "video_metadata" / "videos.csv", themes, seed)
    try:
        write_exports(out, seed, scale, themes, pool, can, meta, report)
    finally:
        meta.close()
    report["video_metadata_rows"] = meta.rows
    write_claims(out, seed, scale, report)
    write_top_creators(out, seed, scale, pool, report)
    write_profiles(out, seed, scale, pool, themes, report)
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
        "--describe", action="store_true", help="print the planted theme schedules and row counts as JSON on stdout"
    )
    a = p.parse_args(argv)
    if a.scale < 1:
        p.error("--scale must be >= 1")
    report = generate(Path(a.out), a.seed, a.scale)
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


if __name__ == "__main__":
    sys.exit(main())
