"""Normalization of Russian text: ё folding, class names, names of people."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Quotes and dashes that people type around a class letter: 7 «Б», 7-б, 7"Б", 7 Б.
_CLASS_NOISE = re.compile(r"[\s\"'«»„“”‘’\-‐‑–—._/]+")
_CLASS_RE = re.compile(r"^(\d{1,2})([А-ЯЁA-Z]{0,2})$")
# Latin letters that look like Cyrillic ones in class names typed on an English layout.
_LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def fold_yo(text: str) -> str:
    """ё is written in the UI but folded to е for search and matching."""
    return text.replace("ё", "е").replace("Ё", "Е")


def normalize_spaces(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def search_key(text: str) -> str:
    """A key for case- and ё-insensitive search."""
    return fold_yo(normalize_spaces(text)).casefold()


def normalize_class_name(raw: str) -> str:
    """«7Б», «7 «Б»», «7-б» and «7 б» are the same class: «7Б».

    Group names that do not look like a school class (college groups such as «ТМ-21») are
    kept as typed, with spaces normalized.
    """
    cleaned = normalize_spaces(raw)
    if not cleaned:
        return ""
    compact = _CLASS_NOISE.sub("", cleaned).upper().translate(_LATIN_TO_CYRILLIC)
    match = _CLASS_RE.match(compact)
    if match and 1 <= int(match.group(1)) <= 11:
        return f"{int(match.group(1))}{match.group(2)}"
    return cleaned


def class_order_key(name: str) -> tuple[int, str]:
    """Sorts classes by grade, then letter: «2А» < «5Б» < «10А»; other groups after, by name."""
    match = re.match(r"(\d+)(.*)", name)
    if match:
        return int(match.group(1)), match.group(2)
    return 1_000, name


def capitalize_name_part(part: str) -> str:
    """«иванова-петрова» → «Иванова-Петрова»; keeps the rest of the letters' case sane."""
    part = normalize_spaces(part)
    return "-".join(piece[:1].upper() + piece[1:].lower() for piece in part.split("-"))
