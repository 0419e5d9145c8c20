"""`python -m ingest inspect FILE`: an export's key skeleton with counts and no values, for bug
reports about unknown layouts. Keys under sensitive sections are not printed (a direct-message
key names the other person), nor keys that hold records by id."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

from ingest import exports
from ingest.exports import Unreadable
from ingest.registry import SENSITIVE_SECTIONS, analysed_paths, detect_layout, txt_file_spec

MAX_DEPTH = 6


def _type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "empty marker" if exports.is_empty_marker(value) else "text"
    return type(value).__name__


def skeleton(value: object, indent: str = "", depth: int = 0, sensitive: bool = False) -> list[str]:
    lines: list[str] = []
    if isinstance(value, dict):
        if sensitive:
            count = exports.count_items(value)
            return [f"{indent}... {len(value)} key(s), {count} item(s) (sensitive: keys not shown)"]
        if value and all(isinstance(v, dict) for v in value.values()) and len(value) > 3 and depth >= 2:
            keys = Counter(k for v in value.values() for k in v)
            return [f"{indent}{{{len(value)} records keyed by id}} fields: {_fields(keys, len(value))}"]
        for key, child in value.items():
            mark = sensitive or key in SENSITIVE_SECTIONS
            summary = _summary(child)
            lines.append(f"{indent}{key}: {summary}" + ("  [sensitive]" if mark and not sensitive else ""))
            if isinstance(child, dict | list) and child and depth < MAX_DEPTH:
                lines += skeleton(child, indent + "  ", depth + 1, mark)
        return lines
    if isinstance(value, list):
        objects = [v for v in value if isinstance(v, dict)]
        if sensitive:
            return []
        if objects:
            keys = Counter(k for v in objects for k in v)
            lines.append(f"{indent}item fields: {_fields(keys, len(objects))}")
        others = Counter(_type(v) for v in value if not isinstance(v, dict))
        if others:
            lines.append(f"{indent}other items: " + ", ".join(f"{t} ({n})" for t, n in others.items()))
    return lines


def _fields(keys: Counter, n: int) -> str:
    return ", ".join(k if c == n else f"{k} ({c} of {n})" for k, c in keys.items())


def _summary(value: object) -> str:
    if isinstance(value, list):
        return f"[{len(value)} item(s)]"
    if isinstance(value, dict):
        return f"{{{len(value)} key(s)}}"
    return _type(value)


def inspect_json(data: bytes) -> list[str]:
    doc = exports.parse_json(data)
    layout = detect_layout(list(doc))
    lines = [f"JSON export, layout {layout or 'unknown (no signature key of v1/v2/v3 at the top)'}"]
    if layout:
        found = [
            "/".join(path) + f" -> {name}"
            for path, name in analysed_paths(layout).items()
            if exports._get(doc, *path) is not None
        ]
        lines.append(f"analysed lists found: {len(found)}")
    return lines + skeleton(doc)


def inspect_txt(name: str, data: bytes) -> list[str]:
    spec = txt_file_spec(name)
    what = (
        "not in the registry" if spec is None else spec.list_name or f"{spec.status.replace('_', ' ')}: {spec.reason}"
    )
    lines = [f"TXT export file {name!r}: {what}"]
    if not data:
        return [*lines, "0 bytes (an empty list)"]
    blocks = exports.txt_blocks(exports.decode_text(data))
    lines.append(f"{len(blocks)} block(s)")
    if spec is not None and spec.status == "sensitive":
        return lines
    labels: Counter = Counter()
    unlabelled = 0
    for block in blocks:
        for line in block:
            match = exports.LABEL_LIKE.match(line)
            if match:
                labels[line.split(":", 1)[0].strip()] += 1
            else:
                unlabelled += 1
    lines.append("labels: " + ", ".join(f"{label} ({n})" for label, n in labels.most_common()))
    if unlabelled:
        lines.append(f"lines without a label: {unlabelled}")
    return lines


def inspect_path(path: Path) -> list[str]:
    """The skeleton of a JSON or TXT export file, a ZIP (each member) or a TXT export folder."""
    if path.is_dir():
        lines = [f"folder {path.name}/"]
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            lines += [f"{child.relative_to(path).as_posix()}:", *("  " + line for line in inspect_path(child))]
        return lines
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            lines = [f"ZIP {path.name}"]
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if info.is_dir():
                        continue
                    lines.append(f"{info.filename} ({info.file_size} bytes):")
                    lines += ["  " + line for line in _inspect_bytes(info.filename, zf.read(info))]
            return lines
        return _inspect_bytes(path.name, path.read_bytes())
    except (Unreadable, zipfile.BadZipFile) as exc:
        return [f"cannot be read: {exc}"]


def _inspect_bytes(name: str, data: bytes) -> list[str]:
    try:
        if name.lower().endswith(".json"):
            return inspect_json(data)
        if name.lower().endswith(".txt"):
            return inspect_txt(name.rsplit("/", 1)[-1], data)
    except Unreadable as exc:
        return [f"cannot be read: {exc}"]
    return [f"not a JSON or TXT file ({len(data)} bytes)"]
