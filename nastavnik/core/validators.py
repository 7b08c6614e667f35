"""Validators for Russian identifiers."""

from __future__ import annotations

import re

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
