"""Unique Russian surnames for the load test's imports (names take no digits)."""

from __future__ import annotations

ALPHABET = "абвгдежзиклмнопрстуфхцчшщэюя"


def letters(n: int) -> str:
    """``n`` written in Russian letters: 0 → «а», 28 → «ба»."""
    word = ""
    while True:
        n, digit = divmod(n, len(ALPHABET))
        word = ALPHABET[digit] + word
        if n == 0:
            return word
