"""Masking of personal values in the free text that lands (comments, searches, share content,
bios, post titles, add-yours and alternate text, locations).

Two kinds of mask:
- the values the export itself names (the account's e-mail, phone, birth date, autofill or
  shop-address name and address), read in memory from the profile and those sections, never
  landed: replaced wherever they appear, whatever their case, a phone whatever its separators;
- any e-mail address, and any phone-number-shaped string: `+` and 8-15 digits, or 7-15 digits in
  groups split by spaces, dashes, dots or brackets, or a bare 9-15 digit run starting with 0.
  Dates (`2024-05-01`, `01/05/2024`), times and bare long numbers (video ids, counts, Unix times)
  are not phones.

Tokens: `[email]`, `[phone]`, `[personal]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

EMAIL_TOKEN, PHONE_TOKEN, PERSONAL_TOKEN = "[email]", "[phone]", "[personal]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits and separators, starting at a `+`, `(` or digit not glued to a word, ending at a
# digit not followed by another digit, a colon (a time) or a word character.
PHONE_CANDIDATE = re.compile(r"(?<![\w+/])(?:\+|\()?\d[\d\s().\-]{4,}\d(?![\d:\w])")
DATE_LIKE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
SEPARATORS = re.compile(r"[\s().\-]+")
MIN_PERSONAL_LENGTH = 4  # shorter values (`US`, `Jo`) would mask ordinary words
MIN_NAME_LENGTH = 3


def looks_like_phone(candidate: str) -> bool:
    text = candidate.strip()
    digits = re.sub(r"\D", "", text)
    if not 7 <= len(digits) <= 15:
        return False
    if DATE_LIKE.fullmatch(text) or (DATE_LIKE.match(text) and len(SEPARATORS.split(text)) <= 3):
        return False
    if text.startswith("+"):
        return len(digits) >= 8
    groups = [g for g in SEPARATORS.split(text) if g]
    if len(groups) == 1:
        return text.startswith("0") and len(digits) >= 9
    if len(groups) == 2 and "." in text:
        return False  # a decimal number
    # years ("2023 2024") are no phone
    return not all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups if g.isdigit())


def mask_phones(text: str) -> str:
    def replace(match: re.Match) -> str:
        candidate = match.group(0)
        if looks_like_phone(candidate):
            return PHONE_TOKEN
        # the run may hold a date followed by a phone ("2024-05-01 555 123 4567"): try its tail
        head = DATE_LIKE.match(candidate)
        if head:
            rest = candidate[head.end() :]
            return candidate[: head.end()] + PHONE_CANDIDATE.sub(replace, rest)
        return candidate

    return PHONE_CANDIDATE.sub(replace, text)


def _digits_pattern(phone: str) -> str | None:
    """A regex matching the phone's digits with any separators, with or without its country code."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    sep = r"[\s().\-]*"
    national = sep.join(digits[-9:]) if len(digits) > 9 else sep.join(digits)
    return rf"(?<![\d+])(?:\+?\d[\d\s().\-]{{0,5}}?)?{national}(?!\d)"


def birth_date_forms(value: str) -> set[str]:
    """The birth date as written and in the common forms people type it."""
    forms = {value}
    for fmt in ("%d-%b-%Y", "%d-%b-%y", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y"):
        try:
            day = datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
        forms |= {
            day.isoformat(),
            day.strftime("%d/%m/%Y"),
            day.strftime("%m/%d/%Y"),
            day.strftime("%d.%m.%Y"),
            day.strftime("%d-%b-%Y"),
            day.strftime("%d %b %Y"),
            day.strftime("%d %B %Y"),
            day.strftime("%B %d, %Y"),
        }
        break
    return forms


@dataclass
class PersonalValues:
    """The personal values an export names (kind -> values), as read from its profile, autofill
    and address sections. Kept in memory only."""

    values: dict[str, set[str]] = field(default_factory=dict)

    def add(self, kind: str, value: object) -> None:
        if not isinstance(value, str | int):
            return
        text = str(value).strip()
        shortest = MIN_NAME_LENGTH if kind in ("name", "first_name", "last_name") else MIN_PERSONAL_LENGTH
        if (len(text) < shortest and kind != "phone") or text.casefold() in ("n/a", "none", "null"):
            return
        self.values.setdefault(kind, set()).add(text)

    def update(self, other: PersonalValues) -> None:
        for kind, values in other.values.items():
            self.values.setdefault(kind, set()).update(values)

    def digest(self) -> str:
        """A stable fingerprint (for the ingest state: masks changed -> land again). Not the values."""
        import hashlib

        text = "\0".join(f"{kind}={v}" for kind in sorted(self.values) for v in sorted(self.values[kind]))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def masker(self) -> Masker:
        return Masker(self)


class Masker:
    """Masks one export's personal values and every e-mail / phone-shaped string in a text."""

    def __init__(self, personal: PersonalValues | None = None):
        patterns: list[tuple[re.Pattern, str]] = []
        literal: list[tuple[str, str]] = []
        values = personal.values if personal else {}
        for email in values.get("email", ()):
            literal.append((email, EMAIL_TOKEN))
        for phone in values.get("phone", ()):
            literal.append((phone, PHONE_TOKEN))
            pattern = _digits_pattern(phone)
            if pattern:
                patterns.append((re.compile(pattern), PHONE_TOKEN))
        for birth in values.get("birth_date", ()):
            literal += [(form, PERSONAL_TOKEN) for form in birth_date_forms(birth)]
        for kind in ("name", "address"):
            for value in values.get(kind, ()):
                literal.append((value, PERSONAL_TOKEN))
                # an address is typed in parts too ("12 Example Street")
                if kind == "address":
                    literal += [
                        (part.strip(), PERSONAL_TOKEN) for part in re.split(r"[,\n]", value) if len(part.strip()) >= 6
                    ]
        firsts, lasts = values.get("first_name", set()), values.get("last_name", set())
        for last in lasts:
            literal.append((last, PERSONAL_TOKEN))
            literal += [(f"{first} {last}", PERSONAL_TOKEN) for first in firsts]
        # longest first, so a full value is masked before a part of it
        literal = sorted({(v, t) for v, t in literal if v}, key=lambda vt: -len(vt[0]))
        self._literal = re.compile("|".join(re.escape(v) for v, _ in literal), re.IGNORECASE) if literal else None
        self._tokens = {v.casefold(): t for v, t in literal}
        self._patterns = patterns

    def __call__(self, text: str | None) -> str | None:
        if not text:
            return text
        if self._literal is not None:
            text = self._literal.sub(lambda m: self._tokens.get(m.group(0).casefold(), PERSONAL_TOKEN), text)
        for pattern, token in self._patterns:
            text = pattern.sub(token, text)
        text = EMAIL.sub(EMAIL_TOKEN, text)
        return mask_phones(text)


GENERIC = Masker()


def mask_all(texts: Iterable[str | None], masker: Masker = GENERIC) -> list[str | None]:
    return [masker(t) for t in texts]


def might_hold_contact_sql(column: str) -> str:
    """A DuckDB condition true for every value GENERIC could change (no named values): an `@`;
    seven digits with only phone separators between them and a separator or `+` somewhere; or a
    run of nine digits led by 0. CSV landing sends only those values through Python (millions of
    biographies, few with a contact)."""
    sep = "[\\s().-]"
    seven_digits = f"regexp_matches({column}, '[0-9](?:{sep}*[0-9]){{6}}')"
    separated = f"regexp_matches({column}, '[0-9]{sep}+[0-9]|[+][0-9]')"
    return f"({column} like '%@%' or ({seven_digits} and {separated}) or regexp_matches({column}, '0[0-9]{{8}}'))"
