"""video_metadata/videos.csv: one row per engaged video that some export shows, and one per
public video each account posted (the only place its caption, hashtags and sound id are: the
export's posts carry none), as `make enrich` writes it."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import ClassVar

from .common import EMOJI, GENERIC_TAGS, LOCAL_TAGS, OTHER_SOUNDS, THEME_PHRASES, short_link, sound_id, tag_variant


class MetaWriter:
    COLS: ClassVar[list[str]] = [
        "video_id",
        "video_link",
        "description",
        "hashtags",
        "sound_title",
        "author_handle",
        "sound_id",
    ]

    def __init__(self, path: Path, themes, seed):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115  (written row by row, closed in close())
        self.w = csv.writer(self.fh, lineterminator="\n")
        self.w.writerow(self.COLS)
        self.rng = random.Random(f"{seed}-meta")
        # the draws added for the real shapes, on streams of their own (the main one unchanged)
        self.local_rng = random.Random(f"{seed}-meta-local")
        self.sound_rng = random.Random(f"{seed}-meta-sounds")
        self.own_rng = random.Random(f"{seed}-meta-own")
        self.themes = themes
        self.rows = 0
        self.done_viral: set = set()

    def write_account(self, meta, exported_vids=None):
        rng = self.rng
        seen = set()
        for vid, link, theme, author, viral, sound in meta:
            if vid in seen or vid in self.done_viral or (exported_vids is not None and vid not in exported_vids):
                continue
            seen.add(vid)
            if viral:
                self.done_viral.add(vid)  # bounded: 60 per theme-month
            if sound is not None:
                self.write_sound_source(vid, link, theme, author, sound)
                continue
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
            if self.local_rng.random() < 0.12:
                # a video from a Turkish, Spanish or Arabic creator: its hashtags in that language only
                local = LOCAL_TAGS.get(theme) or self.themes[theme]
                tags = ["#" + t for t in self.local_rng.sample(local, min(self.local_rng.randint(1, 3), len(local)))]
                desc = " ".join(tags)
            sound = f"original sound - {author}" if rng.random() < 0.6 else rng.choice(OTHER_SOUNDS)
            self.w.writerow(
                [
                    "" if rng.random() < 0.05 else str(vid),
                    link if rng.random() < 0.3 else short_link(vid),
                    desc,
                    " ".join(tags),
                    sound,
                    author,
                    sound_id(f"{sound} {vid}" if sound.startswith("original sound") else sound),
                ]
            )
            self.rows += 1

    def write_sound_source(self, vid, link, theme, author, sound):
        """A video a favourite sound was saved from: always looked up, its sound named."""
        rng = self.sound_rng
        kws = self.themes[theme]
        tags = [tag_variant(rng, kw) for kw in rng.sample(kws, min(rng.randint(1, 3), len(kws)))]
        desc = rng.choice(THEME_PHRASES.get(theme, [f"all about {theme}"])) + " " + " ".join(tags)
        self.w.writerow(
            [
                str(vid),
                link if rng.random() < 0.3 else short_link(vid),
                desc,
                " ".join(tags),
                sound,
                author,
                sound_id(sound),
            ]
        )
        self.rows += 1

    def write_own_videos(self, handle, posts):
        """The account's public videos (visible to everyone), as a metadata fetch returns them:
        the id's top 32 bits are the post's Date in Unix seconds, so a post matches its video by
        (account, creation second). Original sounds get an id of their own per video. The post's
        Date and the video's creation time are the same second or, for about 1 in 10, one apart."""
        for p in sorted(posts, key=lambda p: p["t"]):
            if p["who"] != "Everyone":
                continue
            sound = p["sound"]
            own = sound.startswith("original sound")
            vid = p["vid"]
            if self.own_rng.random() < 0.1:
                vid += self.own_rng.choice([-1, 1]) << 32
            self.w.writerow(
                [
                    str(vid),
                    f"https://www.tiktok.com/@{handle}/video/{vid}",
                    p["caption"],
                    " ".join(p["tags"]),
                    sound,
                    handle,
                    sound_id(f"{sound} {vid}" if own else sound),
                ]
            )
            self.rows += 1

    def close(self):
        self.fh.close()
