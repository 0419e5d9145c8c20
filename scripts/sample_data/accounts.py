"""The simulated accounts: five named ones with hand-picked exports, and generated ones
(scale >= 2) with one export each."""

from __future__ import annotations

import random

from .common import DAY, ts


class Account:
    """One simulated user. Times are Unix seconds; the builders below also set `ip` and `phone`
    (canaries), and write_exports sets `seed` (keys the viral pool shared by all accounts)."""

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
        viral_like_share=0.2,
        independent_posting=False,
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
        self.viral_like_share = viral_like_share  # stand-alone likes of the popular videos
        # A null account: posts (themes, favourite sounds) drawn independently of engagement
        # (the calibration check of the influence verdict, --null-accounts).
        self.independent_posting = independent_posting


def named_account(handle, idx, background, hist_start, hist_end, watch_start, **rates):
    tag = handle.split(".")[0]
    a = Account(handle, tag, idx, background, hist_start, hist_end, watch_start, tag, **rates)
    a.ip = f"203.0.113.{10 + idx}"
    a.phone = f"+1-555-01{idx:02d}-CANARY"
    return a


def whole_export(a: Account, kind, relpath, layout, opts):
    """The spec of an export that covers the account's whole history."""
    return (kind, relpath, layout, a.hist_end, a.hist_start, a.watch_start, opts)


LIKE_CAP = 6000  # TikTok keeps the newest 6,000 likes (8,000 is reported too)


def named_accounts():
    """(account, export specs). Export spec: (kind, relpath, layout, export_t, start, watch_start, opts)."""
    alex = named_account(
        "alex.cooks", 1, ["food", "travel", "fitness"], ts(2023, 12, 15), ts(2025, 6, 30), ts(2024, 8, 17)
    )
    bea = named_account(
        "bea.moves", 2, ["dance", "fashion", "music"], ts(2022, 3, 10), ts(2023, 3, 10), ts(2022, 10, 10)
    )
    # cam likes a lot: more than the 6,000 likes TikTok keeps, so cam's like list is capped.
    cam = named_account(
        "cam.plays",
        3,
        ["gaming", "tech", "comedy"],
        ts(2024, 9, 20),
        ts(2025, 9, 20),
        ts(2025, 4, 1),
        likes_per_day=(18, 22),
        viral_like_share=0.85,  # mostly popular videos: the sample's metadata file stays small
    )
    dana = named_account(
        "dana.sings", 4, ["music", "comedy", "beauty"], ts(2021, 11, 5), ts(2022, 11, 5), ts(2022, 6, 20)
    )
    eli = named_account(
        "eli.travels", 5, ["travel", "pets", "food"], ts(2023, 12, 24), ts(2024, 12, 24), ts(2024, 8, 10)
    )
    alex_nulls = "FavoriteEffectsList HashtagList OffTikTok OrderHistories ShoppingCart WatchLiveMap BlockList".split()
    alex_v2 = (
        "json",
        "alex/2024-12-15/user_data_tiktok.json",
        "v2",
        ts(2024, 12, 15),
        alex.hist_start,
        alex.watch_start,
        {"empty": dict.fromkeys(alex_nulls, "null")},
    )
    # The v3 export's watch window reaches back to 2024-11-01: six weeks overlap with v2.
    alex_v3 = (
        "json",
        "alex/2025-06-30/user_data_tiktok.json",
        "v3",
        alex.hist_end,
        ts(2024, 6, 30),
        ts(2024, 11, 1),
        {},
    )
    bea_opts = {
        "videolink": True,
        "likes_received": "None",
        "empty": {"ShareHistoryList": "[]", "FavoriteEffectsList": "{}"},
    }
    cam_opts = {"like_cap": LIKE_CAP, "empty": {"FavoriteHashtagList": "{}"}}
    eli_opts = {"empty": {"FavoriteEffectsList": "[]", "PostList": "[]"}}
    return [
        (alex, [alex_v2, alex_v3]),
        (bea, [whole_export(bea, "json", "bea/user_data.json", "v1", bea_opts)]),
        (
            cam,
            [
                whole_export(cam, "json", "cam/user_data_tiktok.json", "v3", cam_opts),
                # a 2025 TXT download of the last two months (dates with ` UTC`)
                ("txt", "cam/2025-07-01", "2025", ts(2025, 7, 1), ts(2025, 6, 1), ts(2025, 6, 15), {}),
            ],
        ),
        (dana, [whole_export(dana, "txt", "dana", "2020", {})]),
        (
            eli,
            [
                whole_export(eli, "zip", "eli/TikTok_Data_1735000000.zip", "v3", eli_opts),
                # a 2022-2024 TXT download (flat folder, Browsing History.txt, Post.txt, Sound Link)
                ("txt", "eli/2024-10-01", "2022", ts(2024, 10, 1), ts(2024, 8, 1), ts(2024, 9, 1), {}),
            ],
        ),
    ]


GEN_PER_SCALE = 5.2


def generated_account(i: int, seed: int, themes: list[str], null: bool = False):
    """Generated account i (scale >= 2): the planted story of the named accounts. With null, a
    null account (--null-accounts): same engagement, posting independent of it."""
    kind = "null" if null else "gen"
    rng = random.Random(f"{seed}-{kind}-{i}")
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
        f"{kind}.user{i:05d}",
        f"{kind}{i:05d}",
        (50_000 if null else 100) + i,
        bg,
        start,
        end,
        watch_start,
        f"{seed}-{kind}acct-{i}",
        likes_per_day=(8, 12),
        watch_per_day=(20, 30),
        independent_posting=null,
    )
    a.ip = f"100.{64 + (i >> 16) % 64 + (64 if null else 0)}.{(i >> 8) % 256}.{i % 256}"
    a.phone = f"+1-555-{i % 10000:04d}-{i // 10000:02d}-{'N' if null else ''}CANARY"
    fname = "user_data.json" if layout == "v1" else "user_data_tiktok.json"
    return a, [whole_export(a, "json", f"{kind}/acct_{i:05d}/{fname}", layout, {})]
