"""Values as text: Evidence's built-in number formats the pages use, and readable defaults."""

from __future__ import annotations

import re

import pandas as pd

FORMAT = re.compile(r"(pct|num)(\d?)")  # pct = pct0; numN: N decimals, thousands separated


def check_format(fmt) -> str | None:
    """The problem with a format name, if any."""
    if fmt is None or FORMAT.fullmatch(str(fmt)):
        return None
    return f"unsupported format `{fmt}` (supported: pct, pct0..pct9, num0..num9)"


def is_id(column: str) -> bool:
    return column == "id" or column.endswith("_id")


def default_format(column: str) -> str | None:
    return "pct1" if column.endswith(("_rate", "_share", "_pct")) else None


def fmt_value(value, column: str = "", fmt: str | None = None) -> str:
    """Plain text (the templates escape it)."""
    try:
        missing = value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays: not a missing scalar
        missing = False
    if missing:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_id(column):
        # Identifiers read as written: no thousands separators, no rounding.
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        m = FORMAT.fullmatch(str(fmt or default_format(column) or ""))
        if m:
            digits = int(m.group(2) or 0)
            return f"{number * 100:.{digits}f}%" if m.group(1) == "pct" else f"{number:,.{digits}f}"
        if number.is_integer() and abs(number) < 1e15:
            return f"{int(number):,}"
        if abs(number) >= 100:
            return f"{number:,.0f}"
        if abs(number) >= 1:
            return f"{number:,.2f}"
        return f"{number:.3f}"
    if hasattr(value, "strftime"):
        text = value.strftime("%Y-%m-%d %H:%M")
        return text[:-6] if text.endswith(" 00:00") else text
    return str(value)


def label(column: str) -> str:
    return column.replace("_", " ").strip().capitalize()
