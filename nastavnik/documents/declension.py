"""Russian names in the case an order needs: «закрепить за Ивановой Анной Сергеевной».

Surnames follow the rules of Russian grammar (they are too varied for a dictionary: «Иванова»,
«Толстой», «Глинка», «Черных», «Шевченко», «Гарбер»); first names and patronymics go through
pymorphy3's dictionary, with the same rules as a fallback. Double names («Иванова-Петрова»,
«Римский-Корсаков») are declined part by part. The sex comes from the person; when it is unknown
it is inferred from the patronymic, then from the first name, then from the surname.
"""

from __future__ import annotations

import functools
from typing import Literal

Case = Literal["nomn", "gent", "datv", "accs", "ablt", "loct"]
Sex = Literal["male", "female"]

NOMINATIVE: Case = "nomn"
GENITIVE: Case = "gent"
DATIVE: Case = "datv"
ACCUSATIVE: Case = "accs"
INSTRUMENTAL: Case = "ablt"
PREPOSITIONAL: Case = "loct"

_CASES = ("gent", "datv", "accs", "ablt", "loct")
_VOWELS = set("аеёиоуыэюя")
_HUSHING = set("жшщчц")
_VELAR_OR_HUSHING = set("гкхжшщч")


@functools.cache
def _morph() -> object:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _endings(stem: str, table: dict[str, str], case: str) -> str:
    return stem + table[case]


def _match_case(template: str, word: str) -> str:
    """Give ``word`` the capitalization of ``template``."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _noun_a(word: str, case: str) -> str:
    """A word ending in -а (Глинка, Никита, Анна): the first declension."""
    stem = word[:-1]
    last = stem[-1:].lower()
    gent = "и" if last in _VELAR_OR_HUSHING else "ы"
    ablt = "ей" if last in _HUSHING else "ой"
    return stem + {"gent": gent, "datv": "е", "accs": "у", "ablt": ablt, "loct": "е"}[case]


def _noun_ya(word: str, case: str) -> str:
    stem = word[:-1]
    if stem.lower().endswith("и"):  # Гулия, Мария: -ии in the dative and prepositional
        table = {"gent": "и", "datv": "и", "accs": "ю", "ablt": "ей", "loct": "и"}
    else:
        table = {"gent": "и", "datv": "е", "accs": "ю", "ablt": "ей", "loct": "е"}
    return stem + table[case]


def _masculine_consonant(word: str, case: str) -> str:
    last = word[-1].lower()
    if last == "ь":
        return word[:-1] + {"gent": "я", "datv": "ю", "accs": "я", "ablt": "ем", "loct": "е"}[case]
    if last == "й":
        return word[:-1] + {"gent": "я", "datv": "ю", "accs": "я", "ablt": "ем", "loct": "е"}[case]
    ablt = "ем" if last in _HUSHING else "ом"
    return word + {"gent": "а", "datv": "у", "accs": "а", "ablt": ablt, "loct": "е"}[case]


_MALE_ADJ = {"gent": "ого", "datv": "ому", "accs": "ого", "ablt": "ым", "loct": "ом"}
_MALE_ADJ_SOFT = {"gent": "его", "datv": "ему", "accs": "его", "ablt": "им", "loct": "ем"}
_FEMALE_POSSESSIVE = {"gent": "ой", "datv": "ой", "accs": "у", "ablt": "ой", "loct": "ой"}
_FEMALE_ADJ = {"gent": "ой", "datv": "ой", "accs": "ую", "ablt": "ой", "loct": "ой"}
_FEMALE_ADJ_SOFT = {"gent": "ей", "datv": "ей", "accs": "юю", "ablt": "ей", "loct": "ей"}
_MALE_POSSESSIVE = {"gent": "а", "datv": "у", "accs": "а", "ablt": "ым", "loct": "е"}


def _male_adjective(word: str, case: str) -> str:
    """Толстой, Белый, Достоевский, Горький, Трубецкой, Синий."""
    stem, ending = word[:-2], word[-2:].lower()
    prev = stem[-1:].lower()
    soft = ending == "ий" and prev not in "кгх"
    table = dict(_MALE_ADJ_SOFT if soft else _MALE_ADJ)
    if prev in _VELAR_OR_HUSHING or soft:
        table["ablt"] = "им"
    return stem + table[case]


def _indeclinable_in_a(word: str) -> bool:
    """Surnames in -а/-я that do not decline: a stressed final vowel (Дюма, Золя), which the
    dictionary knows, and -иа, -уа (Гамсахурдиа, Гарсиа)."""
    low = word.lower()
    if low.endswith(("иа", "уа")):
        return True
    return any(
        {"Surn", "Fixd", "ms-f"} <= parse.tag.grammemes
        for parse in _morph().parse(low)  # type: ignore[attr-defined]
    )


def _surname_part(word: str, sex: Sex, case: str) -> str:
    low = word.lower()
    # Indeclinable in either sex: Шевченко, Дурново, Гёте, Гарибальди, Шоу, Черных, Долгих.
    if low[-1] in "оеиуюэы" or low.endswith(("ых", "их")):
        return word
    if low[-1] in "ая" and not low.endswith(("ая", "яя")) and _indeclinable_in_a(word):
        return word
    if sex == "male":
        if low.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return word + _MALE_POSSESSIVE[case]
        if low.endswith(("ый", "ой", "ий")):
            return _male_adjective(word, case)
        if low.endswith("а"):
            return _noun_a(word, case)
        if low.endswith("я"):
            return _noun_ya(word, case)
        return _masculine_consonant(word, case)
    # Female.
    if low.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return word[:-1] + _FEMALE_POSSESSIVE[case]
    if low.endswith("ая"):
        return word[:-2] + _FEMALE_ADJ[case]
    if low.endswith("яя"):
        return word[:-2] + _FEMALE_ADJ_SOFT[case]
    if low.endswith("а"):
        return _noun_a(word, case)
    if low.endswith("я"):
        return _noun_ya(word, case)
    # A woman's surname ending in a consonant (Гарбер, Жук, Шмидт) does not decline.
    return word


def _dictionary(word: str, grammeme: str, sex: Sex, case: str) -> str | None:
    """The word inflected by pymorphy3 when its dictionary knows it as ``grammeme`` (Name/Patr)."""
    gender = "masc" if sex == "male" else "femn"
    for parse in _morph().parse(word.lower()):  # type: ignore[attr-defined]
        tag = parse.tag
        if (
            grammeme in tag
            and tag.case == "nomn"
            and tag.number == "sing"
            and (tag.gender == gender or "ms-f" in tag)
        ):
            inflected = parse.inflect({case})
            if inflected is not None:
                return str(inflected.word)
    return None


def _first_name_part(word: str, sex: Sex, case: str) -> str:
    found = _dictionary(word, "Name", sex, case)
    if found is not None:
        return found
    low = word.lower()
    if low[-1] in "оеиуюэы":
        return word
    if low.endswith("а"):
        return _noun_a(word, case)
    if low.endswith("я"):
        return _noun_ya(word, case)
    if sex == "male":
        return _masculine_consonant(word, case)
    if low.endswith("ь"):  # Любовь is in the dictionary; Нинель, Айгуль: -и, -ю, -ью
        return word[:-1] + {"gent": "и", "datv": "и", "accs": "ь", "ablt": "ью", "loct": "и"}[case]
    return word


def _patronymic_part(word: str, sex: Sex, case: str) -> str:
    found = _dictionary(word, "Patr", sex, case)
    if found is not None:
        return found
    low = word.lower()
    if low.endswith(("вна", "чна")):
        return _noun_a(word, case)
    if low.endswith("ич"):
        return _masculine_consonant(word, case)
    return word


_TURKIC = ("оглы", "улы", "кызы", "гызы", "уулу")


def infer_sex(last_name: str, first_name: str, middle_name: str) -> Sex | None:
    """The sex from the patronymic, then the first name, then the surname."""
    middle = middle_name.strip().lower()
    if middle.endswith(("вна", "чна", "кызы", "гызы")):
        return "female"
    if middle.endswith(("ич", "оглы", "улы", "уулу")):
        return "male"
    if first_name.strip():
        for parse in _morph().parse(first_name.strip().lower()):  # type: ignore[attr-defined]
            if "Name" in parse.tag and parse.tag.case == "nomn":
                if parse.tag.gender == "femn":
                    return "female"
                if parse.tag.gender == "masc":
                    return "male"
    last = last_name.strip().lower()
    if last.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая")):
        return "female"
    if last.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ый")):
        return "male"
    return None


def _each_part(value: str, decline: object, sex: Sex, case: str) -> str:
    """Decline each hyphenated or space-separated part, keeping the separators and the case of
    letters."""
    out: list[str] = []
    for word in value.split(" "):
        pieces: list[str] = []
        for piece in word.split("-"):
            if not piece:
                pieces.append(piece)
                continue
            declined = decline(piece, sex, case)  # type: ignore[operator]
            pieces.append(_match_case(piece, declined))
        out.append("-".join(pieces))
    return " ".join(out)


def decline_name(
    last_name: str,
    first_name: str,
    middle_name: str = "",
    *,
    case: Case,
    sex: str | None = None,
) -> str:
    """«Фамилия Имя Отчество» in the given case.

    >>> decline_name("Иванова", "Анна", "Сергеевна", case="ablt")
    'Ивановой Анной Сергеевной'
    """
    parts = [last_name.strip(), first_name.strip(), middle_name.strip()]
    if case == NOMINATIVE:
        return " ".join(p for p in parts if p)
    if case not in _CASES:
        raise ValueError(case)
    resolved: Sex | None = sex if sex in ("male", "female") else None  # type: ignore[assignment]
    if resolved is None:
        resolved = infer_sex(*parts)
    if resolved is None:
        # Without a sex nothing can be declined safely; the nominative is never wrong in meaning.
        return " ".join(p for p in parts if p)
    last, first, middle = parts
    declined = [
        _each_part(last, _surname_part, resolved, case) if last else "",
        _each_part(first, _first_name_part, resolved, case) if first else "",
    ]
    if middle:
        words = middle.split(" ")
        if len(words) > 1 and words[-1].lower() in _TURKIC:
            # «Али оглы»: the particle stays, the father's name before it does not decline either.
            declined.append(middle)
        else:
            declined.append(_each_part(middle, _patronymic_part, resolved, case))
    return " ".join(p for p in declined if p)


def decline_person(person: object, case: Case) -> str:
    """A ``people.Person`` in the given case."""
    return decline_name(
        person.last_name,  # type: ignore[attr-defined]
        person.first_name,  # type: ignore[attr-defined]
        person.middle_name,  # type: ignore[attr-defined]
        case=case,
        sex=person.sex or None,  # type: ignore[attr-defined]
    )
