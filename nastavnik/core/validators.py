"""Validators for Russian identifiers and people's names."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NON_DIGITS = re.compile(r"\D")


def snils_digits(value: str) -> str:
    return _NON_DIGITS.sub("", value or "")


def snils_checksum(digits: str) -> int:
    """The control number of a СНИЛС from its first nine digits (rules of the Pension Fund)."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    rest = total % 101
    return 0 if rest in (100, 101) else rest


def normalize_snils(value: str) -> str:
    """Validate a СНИЛС and return it as «123-456-789 01»."""
    digits = snils_digits(value)
    if len(digits) != 11:
        raise ValidationError(_("SNILS must have 11 digits."), code="snils_length")
    # Numbers up to 001-001-998 were issued without a control sum check.
    if int(digits[:9]) > 1001998 and snils_checksum(digits) != int(digits[9:]):
        raise ValidationError(_("The SNILS checksum is wrong."), code="snils_checksum")
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def validate_snils(value: str) -> None:
    if value:
        normalize_snils(value)


def make_snils(nine_digits: str) -> str:
    """A valid СНИЛС for nine digits (used by demo data and factories)."""
    checksum = snils_checksum(nine_digits)
    return normalize_snils(f"{nine_digits}{checksum:02d}")


# Characters a name may hold besides letters: a space, hyphens and apostrophes («Д'Артаньян»).
_NAME_PUNCTUATION = frozenset(" -'’")
NAME_MAX_LENGTH = 150


def validate_person_name(value: str, *, max_length: int = NAME_MAX_LENGTH) -> None:
    """The one rule for a part of a person's name, or a representative's full name.

    Letters of any alphabet, spaces, hyphens and apostrophes; the first character is a letter.
    Refuses markup (``<``, ``>``), digits, control and invisible format characters (U+202E
    right-to-left override, U+200B zero-width space, every Cc and Cf), which would let a
    displayed name be spoofed in pages and generated documents. Used by the person form, the
    import and the API.
    """
    if not value:
        return
    if len(value) > max_length:
        raise ValidationError(
            _("The name is longer than %(max)s characters.") % {"max": max_length},
            code="name_length",
        )
    for char in value:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp") or (char.isspace() and char != " "):
            raise ValidationError(
                _(
                    "The name contains an invisible or control character "
                    "(for example a text direction mark); retype it."
                ),
                code="name_invisible",
            )
    if not value[0].isalpha() or any(
        not (char.isalpha() or char in _NAME_PUNCTUATION) for char in value
    ):
        raise ValidationError(
            _("A name may contain only letters, hyphens, apostrophes and spaces."),
            code="name_characters",
        )
