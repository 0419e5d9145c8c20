"""What several raw kinds share: time helpers, the taxonomy and vocabulary, small random
helpers, the PII canary collector and the shared creator pool."""

from __future__ import annotations

import csv
import math
import random
from datetime import UTC, datetime
from pathlib import Path

# The sample's own vocabulary: the twelve themes and hashtags its captions are written in. A copy,
# not the warehouse's taxonomy seed (seeds/theme_keywords.csv), so that users extending the
# taxonomy do not change the sample; every keyword here is also in the seed (a test checks it).
THEME_CSV = Path(__file__).resolve().parent / "sample_themes.csv"

# Times are integer Unix seconds (UTC) throughout: video ids embed them and windows compare them.
DAY = 86400


# --------------------------------------------------------------------------- time helpers


def ts(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> int:
    """Unix seconds of a UTC date and time."""
    return int(datetime(y, m, d, hh, mm, ss, tzinfo=UTC).timestamp())


def fmt_day(t: int) -> str:
    """`YYYY-MM-DD` of Unix seconds, in UTC."""
    return datetime.fromtimestamp(t, UTC).date().isoformat()


def fmt_ts(t: int) -> str:
    """`YYYY-MM-DD HH:MM:SS` of Unix seconds, in UTC (the exports' date format)."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S")


def win(items, start: int, end: int) -> list:
    """The events (tuples led by their time) in [start, end): an export's window."""
    return [x for x in items if start <= x[0] < end]


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
# Hashtags of the same themes in the other languages real exports come in (Turkish, Spanish,
# Arabic): some engaged videos carry only these, which an English-only taxonomy misses.
LOCAL_TAGS = {
    "comedy": ["komedi", "humor", "comedia", "كوميديا", "ضحك"],
    "dance": ["dans", "baile", "رقص"],
    "food": ["yemek", "tarif", "receta", "comida", "طبخ", "اكل"],
    "fitness": ["spor", "ejercicio", "gimnasio", "رياضة", "تمارين"],
    "beauty": ["makyaj", "maquillaje", "belleza", "مكياج", "جمال"],
    "gaming": ["oyun", "videojuegos", "العاب", "قيمر"],
    "education": ["bilgi", "aprendeentiktok", "ciencia", "تعليم", "معلومات"],
    "music": ["muzik", "cancion", "موسيقى", "اغاني"],
    "pets": ["kedi", "kopek", "perro", "gato", "قطط"],
    "travel": ["seyahat", "viajes", "viaje", "سفر", "سياحة"],
    "fashion": ["moda", "kombin", "outfitdeldia", "موضة", "ازياء"],
    "tech": ["teknoloji", "tecnologia", "تقنية", "برمجة"],
}
GENERIC_TAGS = "fyp foryou viral foryoupage trending".split()
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

FIRST_NAMES = (
    "mia leo ava noah zoe liam ivy omar nina kai lara theo maya finn rosa jude sara ezra luna milo iris hugo"
    " nora alba jade remy cleo otto ines yuki ana tomas priya dev lina sami"
).split()
HANDLE_WORDS = "daily vibes official tv world studio life club hq zone lab diaries corner time nation things".split()
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
ARTISTS = "Luna Park|The Quiet Hours|DJ Mavi|Sol & Reed|Kiko Lane|Northbound|Ada Vale|Mr. Tempo".split("|")
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


def video_id(rng: random.Random, created_unix: int) -> int:
    # A TikTok id carries its creation time: id >> 32 == Unix seconds.
    return (created_unix << 32) | rng.getrandbits(32)


def short_link(vid: int) -> str:
    return f"https://www.tiktokv.com/share/video/{vid}/"


def sound_id(title: str) -> int:
    """A stable music id for a sound title (real ids are 19 digits, like video ids)."""
    import hashlib

    return 6700000000000000000 + int(hashlib.sha256(title.encode()).hexdigest()[:15], 16) % 10**17


def h5_sound_link(sid: int) -> str:
    """A favourite sound's link as real exports have it: the id only, no title."""
    return f"https://m.tiktok.com/h5/share/music/{sid}.html"


def post_link(rng: random.Random, vid: int, photos: int = 0) -> str:
    """A post's Link as real exports have it: a signed CDN URL that expires and says nothing
    about the video (never its id); a photo post's several image URLs joined by a newline."""
    expires = (vid >> 32) + 86400 * rng.randint(30, 300)
    sig = f"{rng.getrandbits(64):016x}"
    if photos:
        return "\n".join(
            f"https://p16-sign-va.ibyteimg.com/tos-maliva-i-photomode-us/{rng.getrandbits(64):016x}"
            f"~tplv-photomode-image.jpeg?x-expires={expires}&x-signature={sig}{n}"
            for n in range(photos)
        )
    if rng.random() < 0.5:
        return (
            f"https://video-va.tiktokv.com/storage/v1/tos-maliva-p-0068/{rng.getrandbits(64):016x}/"
            f"?a=1233&bti={rng.getrandbits(32):08x}&ch=0&cr=0&dr=0&expire={expires}&l={sig}"
        )
    return (
        f"https://video-useast5.tiktokv.us/storage/v1/tos-useast5-pve-0068-tx/{rng.getrandbits(64):016x}/"
        f"?a=1233&ch=0&cr=3&dr=0&expire={expires}&ply_type=2&policy=2&signature={sig}"
    )


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
