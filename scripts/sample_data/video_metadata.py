"""video_metadata/videos.csv: one row per engaged video that some export shows."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import ClassVar

from .common import EMOJI, GENERIC_TAGS, OTHER_SOUNDS, THEME_PHRASES, short_link, tag_variant


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
