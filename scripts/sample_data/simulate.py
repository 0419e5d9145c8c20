"""One account's whole history: every list an export shows, unsliced, newest first.

Every draw comes from the account's own random stream, in a fixed order: daily events day by
day (watches, likes, then the rarer kinds), then favourite sounds, posts, deleted posts, the
social graph and the sensitive data. Reordering the draws changes the output.
"""

from __future__ import annotations

import random
from operator import itemgetter

from .accounts import Account
from .common import (
    ACCENTED,
    ARTISTS,
    DAY,
    EMOJI,
    FIRST_NAMES,
    GENERIC_TAGS,
    HANDLE_WORDS,
    OTHER_SOUNDS,
    THEME_PHRASES,
    Canaries,
    CreatorPool,
    h5_sound_link,
    post_link,
    short_link,
    sound_id,
    tag_variant,
    video_id,
    weighted,
)

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
SOUND_ADJ = (
    "Espresso Midnight Golden Velvet Neon Sunday Electric Lazy Paper Cherry Silver Ocean Summer Broken Wild Lofi"
    " Crystal Late"
).split()
SOUND_NOUN = (
    "Morning Drive Hearts City Dreams Rain Lights Waves Garden Echo Runway Skyline Bloom Static Fever Horizon"
).split()
SOUND_TAIL = ["Vibes", "Remix", "Loop", "Beat", "Anthem", "Dub", "Sped Up", "Slowed", "Theme", "Mix"]
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
SHARE_METHODS = ["chat_merge", "copy", "whatsapp", "instagram_story", "N/A", ""]
COMMENTS = ["this is so good", "need the recipe!!", "ok but how", "😂😂😂", "saving this", "first", "omg same"]
# English month abbreviations, as in the exports, whatever the locale (strftime's %b follows it).
MONTH_ABBR = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# The event lists of a history; the simulation also adds single values (bio, canaries, ...).
EVENT_KINDS = (
    "watch like favvid search share favtag favsound effect post deleted comment following follower login dm"
).split()
# Whole-history records are dicts with a "t"; the other events are tuples led by their time.
RECORD_KINDS = ("post", "deleted")


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


def long_link(author: str, vid: int) -> str:
    return f"https://www.tiktok.com/@{author}/video/{vid}"


class History:
    """The state one account's event generators share: its random stream, theme schedule,
    the videos it engaged with (for video_metadata) and the event lists."""

    def __init__(self, acct: Account, themes: dict[str, list[str]], pool: CreatorPool, can: Canaries, viral_pool):
        self.acct = acct
        self.themes = themes
        self.pool = pool
        self.can = can
        self.viral_pool = viral_pool
        self.rng = random.Random(acct.rng_key)
        # Draws added for the real shapes (sound discovery, hashtags in comments, independent
        # posting) come from a stream of their own: the main stream, hence the phases and the
        # posts, stays what it was.
        self.side = random.Random(f"{acct.rng_key}-real-shapes")
        # Schedule starts 60 days before history so posts (lag 21 d) always have a phase.
        self.phases = build_schedule(
            self.rng, list(themes), acct.background, acct.hist_start - 60 * DAY, acct.hist_end + DAY
        )
        if acct.independent_posting:
            # A null account: what it posts follows a schedule of its own, unrelated to what it
            # engages with (other background themes, other phases).
            self.post_background = self.side.sample(list(themes), 3)
            self.post_phases = build_schedule(
                self.side, list(themes), self.post_background, acct.hist_start - 60 * DAY, acct.hist_end + DAY
            )
        # (vid, link, theme, author, is_viral, sound) for video_metadata; sound None: drawn there
        self.meta: list[tuple] = []
        self.ev: dict = {k: [] for k in EVENT_KINDS}
        self.span = acct.hist_end - acct.hist_start

    # ----------------------------------------------------------------------- shared draws

    def draw_theme(self, t):
        if self.rng.random() < 0.6:
            return phase_at(self.phases, t)
        return self.rng.choice(self.acct.background)

    def caption(self, theme, n_tags=None):
        rng = self.rng
        kws = self.themes[theme]
        n = n_tags or rng.randint(1, 4)
        tags = [tag_variant(rng, kw) for kw in rng.sample(kws, min(n, len(kws)))]
        if rng.random() < 0.3:
            tags.append("#" + rng.choice(GENERIC_TAGS))
        phrase = rng.choice(THEME_PHRASES.get(theme, [f"all about {theme}"]))
        if rng.random() < 0.4:
            phrase += " " + rng.choice(EMOJI)
        return phrase, tags

    def new_video(self, t, theme):
        rng = self.rng
        age = int(rng.expovariate(1 / (9 * DAY)))
        age = min(max(age, 3600 + rng.randint(0, 7200)), 200 * DAY)
        vid = video_id(rng, t - age)
        if rng.random() < 0.5:
            author = rng.choice(self.pool.by_theme.get(theme) or self.pool.creators)["handle"]
        else:
            author = f"{rng.choice(FIRST_NAMES)}{rng.choice(HANDLE_WORDS)}{rng.randint(1, 9999)}"
        link = short_link(vid) if rng.random() < 0.5 else long_link(author, vid)
        self.meta.append((vid, link, theme, author, False, None))
        return vid, link, author

    def viral_video(self, t, theme):
        # Popular videos recur: re-watched, and shared across accounts in the same month.
        key = (theme, t // (30 * DAY))
        vids = self.viral_pool.get(key)
        if vids is None:
            vids = self.viral_pool[key] = viral_bucket(self.acct.seed, self.pool, theme, key[1])
        vid, link, author = self.rng.choice(vids)
        self.meta.append((vid, link, theme, author, True, None))
        return vid, link, author

    def no_id_link(self):
        rng, creators = self.rng, self.pool.creators
        if rng.random() < 0.5:
            return f"https://www.tiktok.com/@{rng.choice(creators)['handle']}"
        return f"https://www.tiktok.com/@{rng.choice(creators)['handle']}/photo/{video_id(rng, self.acct.hist_start)}"

    def at(self, d0):
        """A random time on the day starting at d0."""
        return d0 + self.rng.randrange(DAY)

    # ----------------------------------------------------------------------- daily events

    def day(self, d0, watching: bool):
        rng = self.rng
        if watching:
            self.watches(d0)
        # On watching days, likes right after a watch come on top; fewer stand-alone likes.
        self.likes(d0, rng.randint(*self.acct.likes_per_day) - (6 if watching else 0))
        for p, event in (
            (0.2, self.favourite_video),
            (0.55, self.search),
            (0.18, self.share),
            (0.04, self.favourite_hashtag),
            (0.02, self.effect),
            (0.09, self.comment),
        ):
            if rng.random() < p:
                event(self.at(d0))

    def watches(self, d0):
        rng, ev = self.rng, self.ev
        for _ in range(rng.randint(*self.acct.watch_per_day)):
            t = self.at(d0)
            if rng.random() < 0.005:
                ev["watch"].append((t, self.no_id_link(), None, None))
                continue
            th = self.draw_theme(t)
            vid, link, _author = (self.viral_video if rng.random() < 0.35 else self.new_video)(t, th)
            ph, tags = self.caption(th)
            ev["watch"].append((t, link, vid, ph + " " + " ".join(tags)))
            if rng.random() < 0.3:  # liked right after watching
                ev["like"].append((t + rng.randint(3, 90), link))

    def likes(self, d0, n):
        rng, ev = self.rng, self.ev
        for _ in range(n):
            t = self.at(d0)
            if rng.random() < 0.005:
                ev["like"].append((t, self.no_id_link()))
                continue
            th = self.draw_theme(t)
            _, link, _ = (self.viral_video if rng.random() < self.acct.viral_like_share else self.new_video)(t, th)
            ev["like"].append((t, link))

    def favourite_video(self, t):
        _, link, _ = self.new_video(t, self.draw_theme(t))
        self.ev["favvid"].append((t, link))
        if self.rng.random() < 0.5:  # favouriting a video often likes it too, in the same second
            self.ev["like"].append((t, link))

    def search(self, t):
        rng = self.rng
        th = self.draw_theme(t)
        kw = rng.choice(self.themes[th])
        pre = rng.choice(SEARCH_PREFIX)
        suf = rng.choice(SEARCH_SUFFIX.get(th, ["ideas", "videos"]))
        self.ev["search"].append((t, " ".join(x for x in (pre, kw, suf) if x)))

    def share(self, t):
        th = self.draw_theme(t)
        _, link, _ = self.new_video(t, th)
        self.caption(th, 2)  # keeps the random stream of older samples
        # Real `SharedContent` is a kind, not the video's caption: a share's theme is its video's.
        self.ev["share"].append((t, "share_video", link, self.rng.choice(SHARE_METHODS)))

    def favourite_hashtag(self, t):
        rng = self.rng
        kw = rng.choice(self.themes[phase_at(self.phases, t)])  # always the dominant theme
        self.ev["favtag"].append(
            (t, f"https://www.tiktok.com/tag/{ACCENTED.get(kw, kw) if rng.random() < 0.3 else kw}")
        )

    def effect(self, t):
        rng = self.rng
        name = f"{rng.choice(SOUND_ADJ)}{rng.choice(['', ' '])}{rng.choice(['Glow', 'Blur', 'Sparkle', 'Retro'])}"
        effect_id = sound_id(f"effect {name} {rng.randint(100000, 9999999)}")
        self.ev["effect"].append((t, f"https://m.tiktok.com/share/stickers/detail/{effect_id}.html"))

    def comment(self, t):
        th = self.draw_theme(t)
        _, link, _ = self.new_video(t, th)
        text = self.rng.choice(COMMENTS)
        side = self.side
        if side.random() < 0.3:  # people tag their comments too, with the video's theme
            text += " #" + side.choice(self.themes[th])
        self.ev["comment"].append((t, text, link))

    # ----------------------------------------------------------------------- whole-history events

    def any_time(self):
        return self.acct.hist_start + self.rng.randrange(self.span)

    def favourite_sounds(self):
        """~30 over the history; the first one early so reuse is possible."""
        rng = self.rng
        titles = set()
        for i in range(rng.randint(24, 36)):
            while True:
                title = f"{rng.choice(SOUND_ADJ)} {rng.choice(SOUND_NOUN)} {rng.choice(SOUND_TAIL)}"
                if title not in titles:
                    titles.add(title)
                    break
            t = self.acct.hist_start + (rng.randrange(5 * DAY) if i == 0 else rng.randrange(self.span))
            artist = rng.choice(ARTISTS)
            # Real favourite-sound links carry the id only: the title is in no export.
            sound = f"{title} - {artist}"
            self.ev["favsound"].append((t, sound, h5_sound_link(sound_id(sound))))
        self.ev["favsound"].sort()
        for t, sound, _ in self.ev["favsound"]:
            self.sound_heard_in(t, sound)

    def sound_heard_in(self, t, sound):
        """The video a sound was favourited from: favourited (half the time liked too) seconds to
        minutes before the sound, its metadata naming the sound (`<title> - <artist>` and the id
        of the favourite link). That row is how a favourite sound's title reaches the warehouse.
        Favourite videos are never capped, so the video stays in the export whatever the likes."""
        side, acct = self.side, self.acct
        theme = phase_at(self.phases, t) if side.random() < 0.6 else side.choice(acct.background)
        heard = max(acct.hist_start, t - side.randint(5, 900))
        vid = video_id(side, heard - side.randint(3600, 20 * DAY))
        author = side.choice(self.pool.by_theme.get(theme) or self.pool.creators)["handle"]
        link = short_link(vid) if side.random() < 0.5 else long_link(author, vid)
        self.ev["favvid"].append((heard, link))
        if side.random() < 0.5:
            self.ev["like"].append((heard, link))
        self.meta.append((vid, link, theme, author, False, sound))

    def post_sound(self, t, r):
        """A post's sound: a favourite from before or after it, its own, or a known song.
        Returns the sound (`<title> - <artist>`) and whether it reuses an earlier / a later favourite."""
        rng = self.rng
        if self.acct.independent_posting:
            # A null account uses favourite sounds as often, but whenever it favourited them.
            if r < 0.45:
                fav_t, sound, _ = rng.choice(self.ev["favsound"])
                return sound, fav_t < t, fav_t >= t
            return (f"original sound - {self.acct.handle}" if r < 0.80 else rng.choice(OTHER_SOUNDS)), False, False
        before = [s for s in self.ev["favsound"] if s[0] < t]
        after = [s for s in self.ev["favsound"] if s[0] >= t]
        if r < 0.40 and before:
            return rng.choice(before)[1], True, False
        if r < 0.45 and after:
            return rng.choice(after)[1], False, True  # used first, favourited later
        if r < 0.80:
            return f"original sound - {self.acct.handle}", False, False
        return rng.choice(OTHER_SOUNDS), False, False

    def posts(self):
        """~0.6/day; theme from the phase active 21 days earlier (posting lags engagement).
        Returns (posts reusing an earlier favourite sound, a later one, all posts)."""
        rng = self.rng
        n_posts = int(self.span / DAY * rng.uniform(0.5, 0.75))
        post_times = sorted(self.any_time() for _ in range(n_posts))
        reuse_before = reuse_after = 0
        for t in post_times:
            # 85% the dominant theme of the phase 21 days earlier, 15% a background theme
            th = phase_at(self.phases, t - 21 * DAY) if rng.random() < 0.85 else rng.choice(self.acct.background)
            if self.acct.independent_posting:
                th = (
                    phase_at(self.post_phases, t)
                    if self.side.random() < 0.85
                    else self.side.choice(self.post_background)
                )
            ph, tags = self.caption(th, rng.randint(1, 5))
            sound, before, after = self.post_sound(t, rng.random())
            reuse_before += before
            reuse_after += after
            vid = video_id(rng, t)
            photos = rng.randint(2, 5) if rng.random() < 0.1 else 0
            self.ev["post"].append(
                {
                    "t": t,
                    "vid": vid,
                    "link": post_link(rng, vid, photos),
                    "theme": th,
                    "sound": sound,
                    # Real posts carry no caption (`N/A` or ""): the caption is in the account's
                    # public video (video_metadata), matched by the id's creation second.
                    "title": weighted(rng, ["N/A", ""], [85, 15]),
                    "caption": ph + " " + " ".join(tags),
                    "tags": tags,
                    "likes": str(int(rng.lognormvariate(4.5, 1.6))),
                    "who": weighted(rng, ["Everyone", "Friends", "Only me"], [90, 7, 3]),
                    "flags": [rng.choice(["Yes", "Yes", "Yes", "No"]) for _ in range(5)],
                    "disclosure": rng.choice(["", "N/A", "No", "Your brand"]),
                    "ai": weighted(rng, ["No", "Yes"], [95, 5]),
                    "location": weighted(rng, ["N/A", "", rng.choice(CITIES)], [50, 20, 30]),
                    "addyours": weighted(rng, ["N/A", "", "Show your morning routine"], [85, 10, 5]),
                    "alt": weighted(rng, ["N/A", "", "None"], [80, 12, 8]),
                    "cover": f"https://p16-sign.tiktokcdn-us.com/obj/tos-useast5-p-0068-tx/{vid:x}~tplv-noop.image",
                    "collections": str(int(rng.expovariate(1 / 8))) if rng.random() < 0.6 else None,
                }
            )
        return reuse_before, reuse_after, len(post_times)

    def deleted_posts(self):
        rng = self.rng
        for _ in range(rng.randint(3, 6)):
            t = self.any_time()
            th = phase_at(self.phases, t - 21 * DAY)
            if self.acct.independent_posting:
                th = phase_at(self.post_phases, t)
            ph, tags = self.caption(th)
            vid = video_id(rng, t)
            self.ev["deleted"].append(
                {
                    "t": t,
                    "vid": vid,
                    "link": post_link(rng, vid),
                    "theme": th,
                    "title": "N/A",
                    # public until deleted: an earlier metadata fetch of the account holds it
                    "who": "Everyone",
                    "caption": ph + " " + " ".join(tags),
                    "tags": tags,
                    "likes": str(rng.randint(0, 200)),
                    "sound": f"original sound - {self.acct.handle}",
                }
            )

    def social_graph(self):
        """Third-party names; must be pseudonymised downstream."""
        rng, acct = self.rng, self.acct
        for kind in ("following", "follower"):
            for i in range(rng.randint(50, 200)):
                t = acct.hist_start - rng.randrange(400 * DAY) if i % 2 else self.any_time()
                name = self.can.user(
                    f"tpu_{rng.choice(FIRST_NAMES)}_{acct.tag}_{'fing' if kind == 'following' else 'fer'}{i:03d}"
                )
                self.ev[kind].append((t, name))

    def sensitive_data(self):
        """Logins, direct messages and profile details, made of canaries the warehouse must drop."""
        rng, acct, can, ev = self.rng, self.acct, self.can, self.ev
        ip = can.add(acct.ip)
        device = can.add(f"CANARY-DEVICE-{acct.tag}")
        for _ in range(rng.randint(5, 12)):
            t = self.any_time()
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
            t = self.any_time()
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
        ev["autofill"] = {
            "FirstName": can.add(f"CANARY-FIRST-{acct.tag}"),
            "LastName": can.add(f"CANARY-LAST-{acct.tag}"),
            "Email": ev["email"],
            "PhoneNumber": ev["phone"],
            "Address": ev["address"],
            "ZipCode": "94105",
            "City": "Springfield",
            "Country": "US",
        }
        # People type their own phone and e-mail into comments and searches (and their birth
        # date and address): ingest masks them with the values the export names. The time falls
        # in every export window of the account.
        t = max(acct.watch_start, acct.hist_end - 40 * DAY) + rng.randrange(DAY)
        _, link, _ = self.new_video(t, self.draw_theme(t))
        ev["comment"].append((t, f"dm me on {ev['phone']} or {ev['email']} for the recipe", link))
        ev["comment"].append((t + 60, f"born {ev['birth']}, I live at {ev['address']} haha", link))
        ev["comment"].append((t + 90, f"my last name is {ev['autofill']['LastName']} lol", link))
        ev["search"].append((t + 120, f"{ev['email']} {ev['phone']}"))

    def newest_first(self):
        """Exports list newest first; the sort is stable, so same-time events keep their order."""
        for k in EVENT_KINDS:
            self.ev[k].sort(key=itemgetter("t") if k in RECORD_KINDS else itemgetter(0), reverse=True)


def viral_bucket(seed, pool: CreatorPool, theme, bucket):
    """The 60 popular videos of one (theme, 30-day bucket), the same for every account."""
    vrng = random.Random(f"{seed}-viral-{theme}-{bucket}")
    bucket_start = bucket * 30 * DAY
    vids = []
    for _ in range(60):
        created = bucket_start - vrng.randint(1, 20) * DAY - vrng.randrange(DAY)
        vid = video_id(vrng, created)
        author = vrng.choice(pool.by_theme.get(theme) or pool.creators)["handle"]
        link = short_link(vid) if vrng.random() < 0.5 else long_link(author, vid)
        vids.append((vid, link, author))
    return vids


def simulate(acct: Account, themes: dict[str, list[str]], pool: CreatorPool, can: Canaries, viral_pool: dict):
    """Generate one account's whole history (all lists, unsliced)."""
    h = History(acct, themes, pool, can, viral_pool)
    watch_day = acct.watch_start // DAY
    for dn in range(acct.hist_start // DAY, acct.hist_end // DAY):
        h.day(dn * DAY, dn >= watch_day)
    h.favourite_sounds()
    reuse = h.posts()
    h.deleted_posts()
    h.social_graph()
    h.sensitive_data()
    h.newest_first()
    ev = h.ev
    bg = acct.background
    ev["phases"] = h.phases
    ev["meta"] = h.meta
    ev["reuse"] = reuse
    ev["bio"] = f"{h.rng.choice(THEME_PHRASES.get(bg[0], ['hi']))} | {bg[0]} & {bg[1]} ✨"
    return ev
