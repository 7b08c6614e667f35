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


# --- Names of organizations ------------------------------------------------------------------

# Where the proper name of an organization begins: it never declines («…учреждение «Средняя
# школа № 1»», «…учреждение "Лицей"», «…школа № 5»).
_PROPER_NAME_STARTS = ("«", '"', "„", "“", "№")


def _adjective_in_case(word: str, case: str, gender: str, number: str, animacy: str) -> str | None:
    for parse in _morph().parse(word.lower()):  # type: ignore[attr-defined]
        tag = parse.tag
        if (
            tag.POS in ("ADJF", "PRTF")
            and tag.case == "nomn"
            and tag.number == number
            and (number == "plur" or tag.gender == gender)
        ):
            grammemes: set[str] = {case}
            if case == ACCUSATIVE and (number == "plur" or gender == "masc"):
                grammemes.add(animacy)
            inflected = parse.inflect(grammemes)
            if inflected is not None:
                return str(inflected.word)
    return None


def decline_organization(name: str, case: Case) -> str:
    """The name of an organization in the given case: the phrase that says what it is
    (adjectives and their noun: «Муниципальное бюджетное общеобразовательное учреждение»,
    «Средняя общеобразовательная школа») declines; the proper name in quotes, a number and
    whatever follows the noun stay as they are. An abbreviation («МБОУ «Школа № 1»») and a name
    the dictionary does not read stay in the nominative, which is never wrong in meaning.

    >>> decline_organization("Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»",
    ...                      case="datv")
    'Муниципальному бюджетному общеобразовательному учреждению «Школа № 1»'
    """
    name = name.strip()
    if case == NOMINATIVE or not name:
        return name
    if case not in _CASES:
        raise ValueError(case)
    words = name.split(" ")
    head: list[str] = []
    for word in words:
        if word.startswith(_PROPER_NAME_STARTS) or not word.replace("-", "").isalpha():
            break
        head.append(word)
    noun_at = None
    noun = None
    for index, word in enumerate(head):
        if len(word) > 1 and word.isupper():
            return name  # an abbreviation: МБОУ, ГБПОУ
        nouns = [
            p
            for p in _morph().parse(word.lower())  # type: ignore[attr-defined]
            if p.tag.POS == "NOUN" and p.tag.case == "nomn" and "Fixd" not in p.tag
        ]
        adjectives = [
            p
            for p in _morph().parse(word.lower())  # type: ignore[attr-defined]
            if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == "nomn"
        ]
        if nouns and not adjectives:
            noun_at, noun = index, nouns[0]
            break
        if not adjectives:
            return name
    if noun is None or noun_at is None:
        return _adjectives_alone(name, head, words, case)
    number = noun.tag.number or "sing"
    inflected_noun = noun.inflect({case, number})
    if inflected_noun is None:
        return name
    declined = []
    for word in head[:noun_at]:
        adjective = _adjective_in_case(
            word, case, str(noun.tag.gender), number, str(noun.tag.animacy or "inan")
        )
        if adjective is None:
            return name
        declined.append(_match_case(word, adjective))
    declined.append(_match_case(head[noun_at], str(inflected_noun.word)))
    return " ".join([*declined, *words[noun_at + 1 :]])


def _adjectives_alone(name: str, head: list[str], words: list[str], case: Case) -> str:
    """A phrase of adjectives that act as a noun («заведующий», «заведующая»)."""
    if not head or len(head) != len(words):
        return name
    declined = []
    for word in head:
        parse = next(
            (
                p
                for p in _morph().parse(word.lower())  # type: ignore[attr-defined]
                if p.tag.POS in ("ADJF", "PRTF") and p.tag.case == "nomn"
            ),
            None,
        )
        if parse is None:
            return name
        grammemes: set[str] = {case}
        if case == ACCUSATIVE and (parse.tag.number == "plur" or parse.tag.gender == "masc"):
            grammemes.add("anim")  # a person
        inflected = parse.inflect(grammemes)
        if inflected is None:
            return name
        declined.append(_match_case(word, str(inflected.word)))
    return " ".join(declined)


def decline_position(position: str, case: Case) -> str:
    """A position («директор», «заведующий», «генеральный директор») in the given case, with its
    first letter kept as written; a phrase the dictionary does not read stays as it is."""
    return decline_organization(position, case)
