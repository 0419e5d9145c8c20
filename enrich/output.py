"""The enrichment file: `<TIKTOK_BUILD_DIR>/enrichment/video_metadata.csv`, in the video-metadata
contract (README: raw-data contract), written atomically and owner-only.

The next build reads it beside the user's own video-metadata CSVs (staging:
stg_video_metadata__video_rows, `metadata_origin = 'enrichment'`; a user row wins for the same
video). It is rewritten whole from the cache by every run, so it never lags behind the cache.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path

from enrich.backends.base import VideoRecord
from ingest.landing import file_mode, make_folder

COLUMNS = (
    "video_id",
    "video_link",
    "description",
    "hashtags",
    "sound_title",
    "sound_id",
    "author_handle",
    "fetched_at",
    "fetch_source",
)
VALUE_FIELDS = ("video_link", "description", "hashtags", "sound_title", "sound_id", "author_handle")
# Creators put business e-mail addresses and phone numbers into captions; neither enters the
# warehouse (the masks of docs/ingest.md, personal data). An @mention has no local part.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)")


def mask_contacts(text: str | None) -> str | None:
    """E-mail addresses as `[email]`, phone-number-shaped runs (9 or more digits) as `[phone]`."""
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    return PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text)


def merge(records: list[VideoRecord]) -> VideoRecord:
    """One row from what each backend found (newest first): per field the newest non-empty
    value; `fetch_source` names every backend a value came from (`oembed+ytdlp`)."""
    first = records[0]
    values: dict[str, str | None] = {}
    sources: list[str] = []
    fetched = []
    for record in records:
        used = False
        for name in VALUE_FIELDS:
            value = getattr(record, name)
            if values.get(name) is None and value not in (None, ""):
                values[name] = value
                used = True
        if used and record.fetch_source and record.fetch_source not in sources:
            sources.append(record.fetch_source)
            fetched.append(record.fetched_at or "")
    values["description"] = mask_contacts(values.get("description"))
    return VideoRecord(
        video_id=first.video_id,
        **{name: values.get(name) for name in VALUE_FIELDS},
        fetched_at=max(fetched) if fetched else first.fetched_at,
        fetch_source="+".join(sources) or first.fetch_source,
    )


def render(records: Iterable[VideoRecord]) -> bytes:
    """The file's bytes: the header, then one row per video, sorted by id (a rerun that found
    nothing new writes the same bytes)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for record in sorted(records, key=lambda r: r.video_id):
        writer.writerow(["" if getattr(record, c) is None else str(getattr(record, c)) for c in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_enrichment(path: Path, records: Iterable[VideoRecord]) -> int:
    """Write the rows to `path` atomically; returns the row count. An unchanged file is left
    alone: the build notices a changed file (size, mtime) and rebuilds the themes for it."""
    records = list(records)
    content = render(records)
    make_folder(path.parent)
    if path.exists() and path.read_bytes() == content:
        path.chmod(file_mode())
        return len(records)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(tmp, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(file_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(records)
