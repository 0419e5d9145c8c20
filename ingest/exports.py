"""TikTok personal-data exports, JSON and TXT: detect the layout, flatten every analysed list into
export_items rows, count every section into export_sections rows, mask personal values in free
text. What is where comes from ingest/registry.py; nothing here knows a layout by name.

Values land as text exactly as written (a JSON number as its JSON text), except masking.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ingest.privacy import GENERIC, Masker, PersonalValues
from ingest.registry import (
    EMPTY_MARKERS,
    FREE_TEXT_FIELDS,
    KNOWN_TOP_SECTIONS,
    LISTS_BY_NAME,
    NOT_ANALYSED_SECTIONS,
    PERSONAL_LOOKUP,
    PERSONAL_SECTIONS,
    PROFILE_LIST,
    PROFILE_LOOKUP,
    PROFILE_PATHS,
    SENSITIVE_SECTIONS,
    TXT_LAYOUT,
    TXT_SECTION_FOLDERS,
    analysed_paths,
    detect_layout,
    field_lookup,
    normalise,
    txt_file_spec,
)


class Unreadable(Exception):
    """The file cannot be read at all; the message says why, in words."""


# ----------------------------------------------------------------------------- decoding
UTF16_REASON = "UTF-16 text: re-save it as UTF-8"


def nul_reason(offset: int) -> str:
    return (
        f"holds NUL bytes (first at offset {offset}; UTF-16 without a byte-order mark, or a binary file): "
        "re-save it as UTF-8"
    )


def not_utf8_reason(byte: int, offset: int) -> str:
    return f"not UTF-8 text (byte 0x{byte:02X} at offset {offset}; Latin-1 or another encoding?): re-save it as UTF-8"


def decode_text(data: bytes) -> str:
    """UTF-8 text of a raw file (a byte-order mark is dropped), or Unreadable naming the problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable(UTF16_REASON)
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    nul = data.find(b"\x00", offset)
    if nul >= 0:
        raise Unreadable(nul_reason(nul))
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = offset + exc.start
        raise Unreadable(not_utf8_reason(data[at], at)) from None


def as_text(value: object) -> str | None:
    """A JSON value as landed text: strings as written, other scalars and containers as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def is_empty_marker(value: object) -> bool:
    return value is None or (isinstance(value, str) and normalise(value) in EMPTY_MARKERS)


# ----------------------------------------------------------------------------- results
@dataclass
class Flattened:
    """What one export file lands: item rows, section rows, and a one-line summary."""

    layout: str
    items: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    personal: PersonalValues = field(default_factory=PersonalValues)

    def section(self, export_root: str, path: str, list_name: str | None, count: int | None, status: str, why: str):
        self.sections.append(
            {
                "export_root": export_root,
                "export_layout": self.layout,
                "section_path": path,
                "list_name": list_name,
                "item_count": count,
                "coverage_status": status,
                "status_reason": why,
            }
        )

    def summary(self) -> str:
        lists = {s["list_name"] for s in self.sections if s["coverage_status"] == "landed" and s["list_name"]}
        counts: dict[str, int] = {}
        for s in self.sections:
            counts[s["coverage_status"]] = counts.get(s["coverage_status"], 0) + 1
        parts = [f"{len(lists)} list(s) landed ({len(self.items)} rows)"]
        parts += [f"{n} {status}" for status, n in sorted(counts.items()) if status != "landed"]
        return ", ".join(parts)


def count_items(value: object) -> int:
    """How many records a section holds, without reading them: a list's length; an object of
    records keyed by id its size; an object of lists (chats, sub-lists) their sum; one flat
    object 1; empty slots (null, [], {}, "N/A") 0."""
    if is_empty_marker(value):
        return 0
    if isinstance(value, list):
        return len(value)
    if not isinstance(value, dict):
        return 1
    containers = [v for v in value.values() if isinstance(v, dict | list)]
    if not containers:
        return 0 if all(is_empty_marker(v) for v in value.values()) else 1
    keyed_records = len(containers) == len(value) and all(
        isinstance(v, dict) and any(not isinstance(x, dict | list) for x in v.values()) for v in containers
    )
    if keyed_records:
        return len(value)
    return sum(count_items(v) for v in containers)


def list_items(value: object) -> tuple[list, str | None]:
    """The items of an analysed list value, and why it holds none when it is not a list."""
    if is_empty_marker(value):
        return [], None
    if isinstance(value, list):
        return value, None
    if isinstance(value, dict):
        if not value:
            return [], None
        if all(isinstance(v, dict) for v in value.values()):
            return list(value.values()), None
        return [value], None
    return [], f"a {type(value).__name__.replace('str', 'string')}, not a list: holds no items"


def map_item(item: object, lookup: dict[str, str], masker: Masker, unknown: set[str]) -> dict:
    """One item's landed fields (column -> text); keys the registry does not know go to `unknown`."""
    row: dict[str, object] = {}
    if not isinstance(item, dict):
        unknown.add("(an item that is not an object)")
        return row
    for key, value in item.items():
        column = lookup.get(normalise(key))
        if column is None:
            unknown.add(key)
            continue
        text = as_text(value)
        if column in FREE_TEXT_FIELDS:
            text = masker(text)
        if column not in row or row[column] is None:
            row[column] = text
    return row


def _not_read(unknown: set[str], what: str = "keys") -> str:
    """The keys or labels the registry does not know, for the coverage reason (masked: a line
    that looks like a label can be free text)."""
    if not unknown:
        return ""
    names = sorted({GENERIC(name[:40]) for name in unknown})
    return f"; {what} not read: {', '.join(names)}"


# ----------------------------------------------------------------------------- JSON
def parse_json(data: bytes) -> dict:
    if not data:
        raise Unreadable("the file is empty (0 bytes)")
    text = decode_text(data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(
            f"not valid JSON (truncated or not a TikTok export): {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise Unreadable("not a TikTok export: the JSON is nested too deeply") from None
    if not isinstance(doc, dict):
        kind = "an array" if isinstance(doc, list) else "a string" if isinstance(doc, str) else "a scalar"
        raise Unreadable(f"the JSON document is {kind}, not an object (not a TikTok export)")
    return doc


def json_layout(doc: dict) -> str:
    layout = detect_layout(list(doc))
    if layout is None:
        keys = ", ".join(doc) or "(none)"
        raise Unreadable(f"unknown TikTok export layout; top-level keys found: {keys}")
    return layout


def json_personal_values(doc: dict, layout: str) -> PersonalValues:
    """The profile's e-mail, phone and birth date and the autofill / saved-address values."""
    personal = PersonalValues()

    def take(record: object) -> None:
        if isinstance(record, dict):
            for key, value in record.items():
                kind = PERSONAL_LOOKUP.get(normalise(key))
                if kind:
                    personal.add(kind, value)

    for section, sub, key in PROFILE_PATHS.get(layout, ()):
        take(_get(doc, section, sub, key))
    for top in doc.values():
        if not isinstance(top, dict):
            continue
        for name, sub in top.items():
            if name in PERSONAL_SECTIONS:
                for record in _records(sub):
                    take(record)
    return personal


def _get(doc: dict, *path: str) -> object:
    node: object = doc
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _records(value: object) -> Iterator[dict]:
    """Every flat object under a section (the records of an autofill or address list)."""
    if isinstance(value, dict):
        if all(not isinstance(v, dict | list) for v in value.values()):
            yield value
        for v in value.values():
            if isinstance(v, dict | list):
                yield from _records(v)
    elif isinstance(value, list):
        for v in value:
            yield from _records(v)


def flatten_json(doc: dict, layout: str, export_root: str) -> Flattened:
    """export_items and export_sections rows of one JSON export."""
    out = Flattened(layout)
    out.personal = json_personal_values(doc, layout)
    masker = out.personal.masker()
    analysed = analysed_paths(layout)
    positions: dict[str, int] = {}
    for top, top_value in doc.items():
        if top in SENSITIVE_SECTIONS:
            _sensitive(out, export_root, top, top_value, SENSITIVE_SECTIONS[top])
            continue
        if not isinstance(top_value, dict) or not top_value:
            status = "empty" if count_items(top_value) == 0 else _status_of(top)[0]
            out.section(export_root, top, None, count_items(top_value), status, _status_of(top)[1])
            continue
        for sub, sub_value in top_value.items():
            path2 = f"{top}/{sub}"
            if sub in SENSITIVE_SECTIONS:
                out.section(export_root, path2, None, count_items(sub_value), "sensitive", _sensitive_reason(sub))
                continue
            if not isinstance(sub_value, dict) or top not in KNOWN_TOP_SECTIONS:
                status, why = _status_of(top, sub)
                out.section(export_root, path2, None, count_items(sub_value), status, why)
                continue
            children = {k: v for k, v in sub_value.items() if isinstance(v, dict | list) or is_empty_marker(v)}
            lists = {k: v for k, v in children.items() if (top, sub, k) in analysed}
            if not children or (not lists and not any(isinstance(v, dict | list) for v in children.values())):
                # a flat object (settings, ad interests): one record
                status, why = _status_of(top, sub)
                out.section(export_root, path2, None, count_items(sub_value), status, why)
                continue
            for key, value in sub_value.items():
                if key not in children and (top, sub, key) not in analysed:
                    continue  # a scalar beside the list (`App: 1`, `IsFastLane`): an attribute
                path3 = f"{path2}/{key}"
                list_name = analysed.get((top, sub, key))
                if list_name == PROFILE_LIST:
                    _land_profile(out, export_root, path3, value, masker)
                elif list_name:
                    _land_list(out, export_root, path3, list_name, value, masker, positions)
                else:
                    status, why = _status_of(top, sub, key)
                    out.section(export_root, path3, None, count_items(value), status, why)
    _set_list_counts(out.items, positions)
    return out


def _sensitive_reason(what: str) -> str:
    return f"sensitive: {SENSITIVE_SECTIONS.get(what, what)}, counted in coverage, never read into the warehouse"


def _sensitive(out: Flattened, export_root: str, top: str, value: object, what: str) -> None:
    """A sensitive top-level section: one row per sub-section (its keys can name other people
    deeper down: `Chat History with <user>:`), counts only."""
    if isinstance(value, dict) and value:
        for sub, sub_value in value.items():
            out.section(export_root, f"{top}/{sub}", None, count_items(sub_value), "sensitive", _sensitive_reason(what))
    else:
        out.section(export_root, top, None, count_items(value), "sensitive", _sensitive_reason(what))


def _status_of(*path: str) -> tuple[str, str]:
    """Coverage status and reason of a section that is not an analysed list."""
    for name in reversed(path):
        if name in NOT_ANALYSED_SECTIONS:
            return "not_analysed", f"not analysed: {NOT_ANALYSED_SECTIONS[name]} (counted, not read)"
    return "unknown", "unknown section: not in the registry (counted, not read)"


def _land_list(
    out: Flattened,
    export_root: str,
    path: str,
    list_name: str,
    value: object,
    masker: Masker,
    positions: dict[str, int],
) -> None:
    items, why = list_items(value)
    lookup = _lookup(list_name)
    unknown: set[str] = set()
    start = positions.get(list_name, 0)
    for i, item in enumerate(items, start + 1):
        row = map_item(item, lookup, masker, unknown)
        row.update(export_root=export_root, export_layout=out.layout, list_name=list_name, item_position=i)
        out.items.append(row)
    positions[list_name] = start + len(items)
    status = "landed" if items else "empty"
    reason = why or ("landed" if items else "empty list") + _not_read(unknown)
    out.section(export_root, path, list_name, len(items), status, reason)


def _land_profile(out: Flattened, export_root: str, path: str, value: object, masker: Masker) -> None:
    if not isinstance(value, dict) or not value:
        out.section(export_root, path, PROFILE_LIST, 0, "empty", "no profile")
        return
    unknown: set[str] = set()
    row = map_item(value, PROFILE_LOOKUP, masker, unknown)
    personal = sorted(k for k in unknown if normalise(k) in PERSONAL_LOOKUP)
    unknown -= set(personal)
    row.update(
        export_root=export_root,
        export_layout=out.layout,
        list_name=PROFILE_LIST,
        item_position=1,
        list_item_count=1,
    )
    out.items.append(row)
    reason = "landed"
    if personal:
        reason += f"; read for masking only, never landed: {', '.join(personal)}"
    out.section(export_root, path, PROFILE_LIST, 1, "landed", reason + _not_read(unknown))


_LOOKUPS: dict[str, dict[str, str]] = {}


def _lookup(list_name: str) -> dict[str, str]:
    if list_name not in _LOOKUPS:
        _LOOKUPS[list_name] = field_lookup(LISTS_BY_NAME[list_name].fields)
    return _LOOKUPS[list_name]


def _set_list_counts(items: list[dict], positions: dict[str, int]) -> None:
    for row in items:
        if row["list_name"] != PROFILE_LIST:
            row["list_item_count"] = positions[row["list_name"]]


# ----------------------------------------------------------------------------- TXT
LABEL = re.compile(r"^[ \t]*([^:\r\n]{1,60}?)[ \t]*:[ \t]?(.*)$")
LABEL_LIKE = re.compile(r"^[ \t]*[A-Za-z][A-Za-z0-9 ()'/.\-]{0,40}:")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def txt_export_root(source_file: str) -> str:
    """The export a TXT file belongs to: its folder, or the folder above a section folder
    (`Activity/`, `Profile/`, ...)."""
    folder = PurePosixPath(source_file).parent
    if folder.name.casefold() in TXT_SECTION_FOLDERS and folder.parent != PurePosixPath("."):
        folder = folder.parent
    return folder.as_posix()


def txt_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks of lines (CRLF, CR or LF); trailing blank lines make none."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in LINE_BREAK.split(text):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def is_empty_txt(blocks: list[list[str]]) -> bool:
    """No blocks, or only the "You have no data in this section" line."""
    return all(is_empty_marker(" ".join(block)) for block in blocks)


def parse_txt_records(blocks: list[list[str]], lookup: dict[str, str], masker: Masker, unknown: set[str]) -> list[dict]:
    """Blocks of `Label: value` lines -> records (column -> text). A line that is not a known
    label continues the value before it (values spanning lines; in free text even a line that
    looks like a label); a repeated label starts a new record (blocks with no blank line between
    them); a block with no known label continues a free-text value before it (a comment holding a
    blank line), else it is an item of its own, with no fields."""
    records: list[dict] = []
    lasts: list[str | None] = []  # per record: the column its last line belonged to

    def close(record: dict, last: str | None) -> None:
        records.append(record)
        lasts.append(last)

    for block in blocks:
        if is_empty_marker(" ".join(block)):
            continue
        record: dict[str, str] = {}
        last: str | None = None
        labelled = False
        for line in block:
            match = LABEL.match(line)
            column = lookup.get(normalise(match.group(1))) if match else None
            if column is not None:
                if column in record:
                    close(record, last)
                    record = {}
                record[column] = match.group(2)
                last, labelled = column, True
            elif last is not None and (last in FREE_TEXT_FIELDS or not LABEL_LIKE.match(line)):
                record[last] += "\n" + line
            elif LABEL_LIKE.match(line):
                unknown.add(line.split(":", 1)[0].strip())
                last = None
            elif labelled:
                unknown.add("(lines without a label)")
        if labelled:
            close(record, last)
        elif lasts and lasts[-1] in FREE_TEXT_FIELDS:
            records[-1][lasts[-1]] += "\n\n" + "\n".join(block)
        else:
            unknown.add("(blocks without a known label)")
            close({}, None)
    return [{k: (masker(v) if k in FREE_TEXT_FIELDS else v) for k, v in record.items()} for record in records]


def txt_personal_values(text: str) -> PersonalValues:
    personal = PersonalValues()
    for block in txt_blocks(text):
        for line in block:
            match = LABEL.match(line)
            if match:
                kind = PERSONAL_LOOKUP.get(normalise(match.group(1)))
                if kind:
                    personal.add(kind, match.group(2).strip())
    return personal


def flatten_txt(text: str, source_file: str, export_root: str, masker: Masker) -> Flattened:
    """export_items and export_sections rows of one TXT export file."""
    out = Flattened(TXT_LAYOUT)
    name = PurePosixPath(source_file).name
    section_path = PurePosixPath(source_file).relative_to(export_root).as_posix()
    spec = txt_file_spec(name)
    assert spec is not None and spec.list_name is not None
    blocks = txt_blocks(text)
    unknown: set[str] = set()
    if spec.list_name == PROFILE_LIST:
        lookup = dict(PROFILE_LOOKUP)
        personal = {k for k in PERSONAL_LOOKUP if k not in lookup}
        for key in personal:
            lookup[key] = "_personal"
        records = parse_txt_records(blocks, lookup, masker, unknown)
        row: dict[str, object] = {}
        for record in records:
            for column, value in record.items():
                if column != "_personal":
                    row.setdefault(column, value)
        if not records:
            out.section(export_root, section_path, PROFILE_LIST, 0, "empty", "no profile")
            return out
        row.update(
            export_root=export_root,
            export_layout=TXT_LAYOUT,
            list_name=PROFILE_LIST,
            item_position=1,
            list_item_count=1,
        )
        out.items.append(row)
        reason = "landed; e-mail, phone and birth date are read for masking only, never landed"
        out.section(export_root, section_path, PROFILE_LIST, 1, "landed", reason + _not_read(unknown, "labels"))
        return out
    records = parse_txt_records(blocks, _lookup(spec.list_name), masker, unknown)
    n = len(records)
    for i, record in enumerate(records, 1):
        record.update(
            export_root=export_root,
            export_layout=TXT_LAYOUT,
            list_name=spec.list_name,
            item_position=i,
            list_item_count=n,
        )
        out.items.append(record)
    status = "landed" if n else "empty"
    reason = ("landed" if n else "empty list") + _not_read(unknown, "labels")
    out.section(export_root, section_path, spec.list_name, n, status, reason)
    return out


def count_txt_blocks(text: str) -> int:
    blocks = txt_blocks(text)
    return 0 if is_empty_txt(blocks) else len(blocks)
