"""Russian words to lemmas (pymorphy3), ё folded to е, and highlighting of matched words."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from nastavnik.core.text import fold_yo

_WORD = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*", re.IGNORECASE)

# Words of a request that say nothing about the competency sought.
_STOP_WORDS = """
и а но или да нет не ни в во на с со к ко по о об от до из у за для при без над под про
через же ли бы то это этот тот такой как так кто кто-то кто-нибудь что что-то который какой
чей где когда нужный нужно надо хотеть хотеться уметь мочь искать найти помочь помощь вести
свой весь мой наш ваш я мы вы он она они человек коллега кто-либо быть есть очень тоже также
ещё уже учитель педагог работать умение знать опыт
"""
STOP_LEMMAS = frozenset(fold_yo(word) for word in _STOP_WORDS.split())


@lru_cache(maxsize=1)
def _morph() -> object:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    word = fold_yo(word.lower())
    if word.isdigit() or not any(ch.isalpha() for ch in word):
        return word
    if not re.search("[а-я]", word):
        return word
    parsed = _morph().parse(word)  # type: ignore[attr-defined]
    return fold_yo(parsed[0].normal_form) if parsed else word


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def lemmas(text: str, *, drop_stop: bool = True) -> list[str]:
    found = []
    for word in words(text):
        value = lemma(word)
        if drop_stop and (value in STOP_LEMMAS or len(value) < 2):
            continue
        found.append(value)
    return found


def highlight(text: str, wanted: set[str] | frozenset[str]) -> SafeString:
    """The text, escaped, with the words whose lemma is wanted wrapped in <mark>."""
    if not text:
        return SafeString("")
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        out.append(escape(text[position : match.start()]))
        word = match.group(0)
        if lemma(word) in wanted:
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
