"""Russian words to lemmas (pymorphy3), ё folded to е, word families, and highlighting of
matched words.

Word families: Russian derives words by suffixes on one stem (наставник, наставничество,
наставлять — three lemmas), so a search by lemma alone misses a resource about «наставника»
when asked about «наставничество». The rule, one for the library and the competence market: a
lemma of at least ``FAMILY_MIN`` letters has the *family stem* of its first
``max(FAMILY_MIN, len − FAMILY_CUT)`` letters, and every lemma starting with that stem is of its
family (наставничество → «настав…»: наставник, наставлять, наставляемый; профессиональный →
«професси…»: профессия, профессионал, not профессор). A shorter lemma (мат, школа) has no
family, only itself. A family match counts ``FAMILY_WEIGHT`` of an exact one, so the same lemma
always ranks first; both are highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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


FAMILY_MIN = 6
FAMILY_CUT = 8
FAMILY_WEIGHT = 0.4
_LETTERS = re.compile(r"[a-zа-я]+(?:-[a-zа-я]+)*")


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


@lru_cache(maxsize=10_000)
def family_stem(value: str) -> str:
    """The family stem of a lemma (see the module's note), or "" when it has no family."""
    if len(value) < FAMILY_MIN or not _LETTERS.fullmatch(value):
        return ""
    return value[: max(FAMILY_MIN, len(value) - FAMILY_CUT)]


def relation(wanted: str, found: str) -> float:
    """How strongly the lemma ``found`` answers the query lemma ``wanted``: 1 the same lemma,
    ``FAMILY_WEIGHT`` one of its family, 0 none."""
    if found == wanted:
        return 1.0
    stem = family_stem(wanted)
    return FAMILY_WEIGHT if stem and found.startswith(stem) else 0.0


def match_strength(wanted: str, found: Iterable[str]) -> float:
    """The best ``relation`` of the query lemma ``wanted`` to any of the lemmas ``found``."""
    return max((relation(wanted, value) for value in found), default=0.0)


def highlight(text: str, wanted: Iterable[str]) -> SafeString:
    """The text, escaped, with the words whose lemma is wanted, or of a wanted lemma's family,
    wrapped in <mark>."""
    targets = frozenset(wanted)
    if not text:
        return SafeString("")
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        out.append(escape(text[position : match.start()]))
        word = match.group(0)
        value = lemma(word)
        if any(relation(target, value) for target in targets):
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
