"""Russian words to lemmas (pymorphy3), ё folded to е, word families, and highlighting of
matched words.

Word families: Russian derives words by suffixes on one stem (наставник, наставничество, наставлять
— three lemmas), so a search by lemma alone misses a resource about «наставника» when asked about
«наставничество». The rule, one for the library and the competence market: a lemma of at least
``FAMILY_MIN`` letters has the *family stem* of its first ``max(FAMILY_MIN, len − FAMILY_CUT)``
letters, and every lemma starting with that stem is of its family (наставничество → «настав…»:
наставник, наставлять, наставляемый; профессиональный → «професси…»: профессия, профессионал, not
профессор). A short lemma cannot be cut so (школа → «школ…» would find школить, среда → средний),
so a lemma of ``SHORT_FAMILY`` letters (Cyrillic) has, if it is a noun, as family only its base —
the lemma without a final vowel or ь, at least 4 letters; an indeclinable word keeps its vowel
(радио is no «ради…») — followed by one derivational suffix with its ending (``_SHORT_SUFFIX``:
-ный, -ник, -ница, -ность, -ский, -овый/-овой, -ивный): школа → школьный, школьник, школьница;
класс → классный, классовый; язык → языковой; спорт → спортивный (not курсивный from курс: that
suffix would run through another word, курсив). Not -альный: театральный, but also порт →
портальный, буква → буквальный. Before the -н- of an adjective the base's last consonant may
alternate (к/ц → ч, г → ж, х → ш): урок → урочный, книга → книжный, успех → успешный. Another short
lemma (часто: not частный), or one whose base would be under 4 letters (мат, мать, игра, тема), has
no family, only itself: «мат» never finds математика. A family match counts ``FAMILY_WEIGHT`` of an
exact one, so the same lemma always ranks first; both are highlighted.
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

# Short lemmas (see the module's note): their base, a suffix, an ending — nothing more.
SHORT_FAMILY = range(4, FAMILY_MIN)
_SHORT_BASE_MIN = 4
_SHORT_LETTERS = re.compile(r"[а-я]+")
_SHORT_DROPPED = "аеиоуыэюяь"
_SHORT_SUFFIX = re.compile(r"ь?н(?:ый|ой|ик|ица|ость)|ь?ск(?:ий|ой)|ивн(?:ый|ость)|[ое]в(?:ой|ый)")
_ALTERNATION = {"к": "ч", "ц": "ч", "г": "ж", "х": "ш"}
_ALTERED_SUFFIX = re.compile(r"н(?:ый|ой)")


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


def _noun_tag(value: str) -> object | None:
    """The tag of a lemma read first as a noun, else None."""
    parsed = _morph().parse(value)  # type: ignore[attr-defined]
    return parsed[0].tag if parsed and "NOUN" in parsed[0].tag else None


@lru_cache(maxsize=10_000)
def _short_bases(value: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A short noun's bases, each with the suffixes (and endings) that may follow it; none for
    a lemma of another length or part of speech or whose base would be under 4 letters."""
    if len(value) not in SHORT_FAMILY or not _SHORT_LETTERS.fullmatch(value):
        return ()
    tag = _noun_tag(value)
    if tag is None:  # часто is no «част…» (частный, частник)
        return ()
    # An indeclinable word keeps its vowel: радио is no «ради…».
    drop = value[-1] in _SHORT_DROPPED and "Fixd" not in tag  # type: ignore[operator]
    base = value[:-1] if drop else value
    if len(base) < _SHORT_BASE_MIN:
        return ()
    bases = [(base, _SHORT_SUFFIX)]
    if base[-1] in _ALTERNATION:
        bases.append((base[:-1] + _ALTERNATION[base[-1]], _ALTERED_SUFFIX))
    return tuple(bases)


@lru_cache(maxsize=10_000)
def family_stem(value: str) -> str:
    """The start every lemma of the family of a lemma has (see the module's note; a search may
    filter by it first), or "" when it has no family. For a short lemma this start is only
    necessary: ``relation`` decides."""
    bases = _short_bases(value)
    if bases:  # with an alternated base, all but the last letter (урок, уроч… → «уро»)
        return bases[0][0][:-1] if len(bases) > 1 else bases[0][0]
    if len(value) < FAMILY_MIN or not _LETTERS.fullmatch(value):
        return ""
    return value[: max(FAMILY_MIN, len(value) - FAMILY_CUT)]


def _short_kin(wanted: str, found: str) -> bool:
    for base, suffix in _short_bases(wanted):
        if found.startswith(base) and suffix.fullmatch(found, len(base)):
            # курс + -ивный: курсивный comes from курсив, another word.
            rest = found[len(base) :]
            if rest.startswith("ив") and _morph().word_is_known(base + "ив"):  # type: ignore[attr-defined]
                continue
            return True
    return False


def relation(wanted: str, found: str) -> float:
    """How strongly the lemma ``found`` answers the query lemma ``wanted``: 1 the same lemma,
    ``FAMILY_WEIGHT`` one of its family, 0 none."""
    if found == wanted:
        return 1.0
    if _short_bases(wanted):
        return FAMILY_WEIGHT if _short_kin(wanted, found) else 0.0
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
