"""video_metadata/videos.csv: one row per engaged video that some export shows, and one per
public video each account posted (the only place its caption, hashtags and sound id are: the
export's posts carry none)."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import ClassVar

from .common import EMOJI, GENERIC_TAGS, OTHER_SOUNDS, THEME_PHRASES, short_link, sound_id, tag_variant


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
                    sound_id(f"{sound} {vid}" if sound.startswith("original sound") else sound),
                ]
            )
            self.rows += 1

    def write_own_videos(self, handle, posts):
        """The account's public videos (visible to everyone), as a metadata fetch returns them:
        the id's top 32 bits are the post's Date in Unix seconds, so a post matches its video by
        (account, creation second). Original sounds get an id of their own per video."""
        for p in sorted(posts, key=lambda p: p["t"]):
            if p["who"] != "Everyone":
                continue
            sound = p["sound"]
            own = sound.startswith("original sound")
            self.w.writerow(
                [
                    str(p["vid"]),
                    f"https://www.tiktok.com/@{handle}/video/{p['vid']}",
                    p["caption"],
                    " ".join(p["tags"]),
                    sound,
                    handle,
                    sound_id(f"{sound} {p['vid']}" if own else sound),
                ]
            )
            self.rows += 1

    def close(self):
        self.fh.close()
