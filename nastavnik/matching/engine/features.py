"""Feature containers: what the Django side hands the engine, as numpy / scipy arrays.

Every container is a frozen dataclass. Only ``n`` (the number of people) is required; a field
left as ``None`` means "unknown for everyone" and is filled with the documented unknown value,
so tests and callers state only what matters to them. Shapes and dtypes are checked, and arrays
are converted to the documented dtype, in ``__post_init__``.

Conventions shared by both sides (``n`` people, ``C`` competencies, ``S`` subjects):

=============== ============================ ======================================================
field           shape, dtype                 meaning
=============== ============================ ======================================================
text            tuple of ``n`` str           free-text interests and request, Russian
achievement     ``(n, S)`` int8              per subject: 0 weak, 1 medium, 2 strong, -1 unknown
availability    ``(n,)`` uint32              weekly slots, one bit each (7 days × 3 parts of the
                                             day = 21 bits); 0 = unknown
format          ``(n,)`` int8                FORMAT_IN_PERSON, FORMAT_ONLINE, FORMAT_ANY or
                                             FORMAT_UNKNOWN (bit flags: compatible iff AND ≠ 0)
class_id        ``(n,)`` int64               class or group, any integer code; -1 = none/unknown
age             ``(n,)`` float64             years; NaN = unknown
experience      ``(n,)`` float64             years of teaching experience; NaN = unknown
category        ``(n,)`` int64               person category code (student, teacher, …); the
                                             program's form allows some categories per side
consent         ``(n,)`` bool                valid consent to processing (152-ФЗ)
wishes          ``(n, other)`` CSR           ranked choices of people on the other side,
                                             1 = first choice; absent = no wish
refusals        ``(n, other)`` CSR           nonzero = this person refuses that one: a hard
                                             exclusion
=============== ============================ ======================================================

Mentees also have ``deficits`` (``(n, C)`` CSR, weight > 0 of each educational deficit or
request, usually 1); mentors have ``competencies`` (``(n, C)`` CSR, level 1..``max_level``, by
default 1 basic, 2 confident, 3 expert; use ``max_level=1`` for levels already in [0, 1]) and
``capacity`` (``(n,)`` int64).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from nastavnik.matching.engine.errors import InvalidInput

__all__ = [
    "FORMAT_ANY",
    "FORMAT_IN_PERSON",
    "FORMAT_ONLINE",
    "FORMAT_UNKNOWN",
    "LEVEL_MEDIUM",
    "LEVEL_STRONG",
    "LEVEL_UNKNOWN",
    "LEVEL_WEAK",
    "MenteeFeatures",
    "MentorFeatures",
    "Rules",
    "SameClass",
    "Variant",
    "Weights",
]

FORMAT_UNKNOWN = 0
FORMAT_IN_PERSON = 1
FORMAT_ONLINE = 2
FORMAT_ANY = FORMAT_IN_PERSON | FORMAT_ONLINE

LEVEL_UNKNOWN = -1
LEVEL_WEAK = 0
LEVEL_MEDIUM = 1
LEVEL_STRONG = 2

Variant = Literal["general", "strong_helps_weak", "similar_level", "reverse", "young_specialist"]
SameClass = Literal["indifferent", "prefer_same", "prefer_different"]

_VARIANTS = ("general", "strong_helps_weak", "similar_level", "reverse", "young_specialist")
_SAME_CLASS = ("indifferent", "prefer_same", "prefer_different")


@dataclass(frozen=True)
class _People:
    """Fields common to mentees and mentors (see the module docstring for shapes)."""

    n: int
    text: tuple[str, ...] | None = None
    achievement: NDArray[np.int8] | None = None
    availability: NDArray[np.uint32] | None = None
    format: NDArray[np.int8] | None = None
    class_id: NDArray[np.int64] | None = None
    age: NDArray[np.float64] | None = None
    experience: NDArray[np.float64] | None = None
    category: NDArray[np.int64] | None = None
    consent: NDArray[np.bool_] | None = None
    wishes: sparse.csr_array | None = None
    refusals: sparse.csr_array | None = None

    def __post_init__(self) -> None:
        n = self.n
        if not isinstance(n, int | np.integer) or n < 0:
            raise InvalidInput(f"{self._name}.n must be a non-negative int, not {n!r}")
        text = tuple("" for _ in range(n)) if self.text is None else tuple(self.text)
        if len(text) != n or not all(isinstance(t, str) for t in text):
            raise InvalidInput(f"{self._name}.text must be {n} strings")
        self._set("text", text)
        achievement = self._array("achievement", np.int8, (n, None), LEVEL_UNKNOWN, width=0)
        if achievement.size and ((achievement < -1) | (achievement > 2)).any():
            raise InvalidInput(f"{self._name}.achievement must be -1, 0, 1 or 2")
        self._array("availability", np.uint32, (n,), 0)
        fmt = self._array("format", np.int8, (n,), FORMAT_UNKNOWN)
        if fmt.size and ((fmt < 0) | (fmt > FORMAT_ANY)).any():
            raise InvalidInput(f"{self._name}.format must be one of the FORMAT_* codes 0..3")
        self._array("class_id", np.int64, (n,), -1)
        for name in ("age", "experience"):
            values = self._array(name, np.float64, (n,), np.nan)
            if (values < 0).any() or np.isinf(values).any():
                raise InvalidInput(f"{self._name}.{name} must be >= 0, finite or NaN")
        self._array("category", np.int64, (n,), 0)
        self._array("consent", np.bool_, (n,), True)
        for name in ("wishes", "refusals"):
            value = getattr(self, name)
            if value is not None:
                matrix = _csr(value, f"{self._name}.{name}")
                if matrix.shape[0] != n:
                    raise InvalidInput(f"{self._name}.{name} must have {n} rows")
                if matrix.nnz and matrix.data.min() < 0:
                    raise InvalidInput(f"{self._name}.{name} must be non-negative")
                self._set(name, matrix)

    @property
    def _name(self) -> str:
        return type(self).__name__

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _array(
        self,
        name: str,
        dtype: type[np.generic],
        shape: tuple[int | None, ...],
        fill: Any,
        width: int = 0,
    ) -> NDArray[Any]:
        value = getattr(self, name)
        if value is None:
            full = tuple(width if s is None else s for s in shape)
            arr = np.full(full, fill, dtype=dtype)
        else:
            raw = np.asarray(value)
            if raw.ndim != len(shape) or any(
                s is not None and s != r for s, r in zip(shape, raw.shape, strict=True)
            ):
                raise InvalidInput(
                    f"{self._name}.{name} must have shape {_shape_text(shape)}, got {raw.shape}"
                )
            if (
                raw.dtype.kind == "f"
                and np.dtype(dtype).kind in "iub"
                and raw.size
                and (not np.isfinite(raw).all() or (raw != np.round(raw)).any())
            ):
                raise InvalidInput(f"{self._name}.{name} must hold integers")
            arr = raw.astype(dtype, copy=False)
        arr.setflags(write=False)
        self._set(name, arr)
        return arr

    @property
    def n_subjects(self) -> int:
        assert self.achievement is not None
        return int(self.achievement.shape[1])


@dataclass(frozen=True)
class MenteeFeatures(_People):
    """Mentees. ``deficits``: ``(n, C)`` CSR of deficit weights (> 0)."""

    deficits: sparse.csr_array | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        deficits = (
            sparse.csr_array((self.n, 0), dtype=np.float64)
            if self.deficits is None
            else _csr(self.deficits, "MenteeFeatures.deficits")
        )
        if deficits.shape[0] != self.n:
            raise InvalidInput(f"MenteeFeatures.deficits must have {self.n} rows")
        if deficits.nnz and (deficits.data < 0).any():
            raise InvalidInput("MenteeFeatures.deficits must be non-negative weights")
        self._set("deficits", deficits)


@dataclass(frozen=True)
class MentorFeatures(_People):
    """Mentors. ``competencies``: ``(n, C)`` CSR of levels in [0, max_level]; ``capacity``."""

    competencies: sparse.csr_array | None = None
    max_level: float = 3.0
    capacity: NDArray[np.int64] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        competencies = (
            sparse.csr_array((self.n, 0), dtype=np.float64)
            if self.competencies is None
            else _csr(self.competencies, "MentorFeatures.competencies")
        )
        if competencies.shape[0] != self.n:
            raise InvalidInput(f"MentorFeatures.competencies must have {self.n} rows")
        if not self.max_level > 0:
            raise InvalidInput("MentorFeatures.max_level must be > 0")
        if competencies.nnz and (
            (competencies.data < 0).any() or (competencies.data > self.max_level).any()
        ):
            raise InvalidInput(
                f"MentorFeatures.competencies must be levels in [0, {self.max_level}]"
            )
        self._set("competencies", competencies)
        capacity = self._array("capacity", np.int64, (self.n,), 1)
        if (capacity < 0).any():
            raise InvalidInput("MentorFeatures.capacity must be >= 0")


@dataclass(frozen=True)
class Rules:
    """What a program decides: its variant, hard rules and preferences.

    Attributes:
        variant: the role model; decides which of achievement / age / experience apply and how
            (see :mod:`nastavnik.matching.engine.factors`).
        same_class: prefer pairs from the same class, from different classes, or don't care.
        mentee_categories, mentor_categories: categories the program's form admits on each side;
            ``None`` admits any.
        require_consent: no consent, no processing (leave True outside of tests).
        require_format_match: a pair whose formats are incompatible (in person vs online) is
            excluded instead of merely scored lower.
        exclusions: ``(k, 2)`` int array of forbidden (mentee, mentor) pairs: dissolved pairs,
            relatives, the curator's «never».
        young_specialist_years: a teacher with at most this many years is a young specialist.
        experienced_years: experience at which a mentor counts as fully experienced.
        no_experience_categories: mentor categories teaching experience does not apply to
            (pupils): the experience factor neither rewards nor costs them, and is left out of
            the score when no mentor of the base has it.
        age_gap_years: the age difference at which the age factor saturates.
    """

    variant: Variant = "general"
    same_class: SameClass = "indifferent"
    mentee_categories: frozenset[int] | None = None
    mentor_categories: frozenset[int] | None = None
    require_consent: bool = True
    require_format_match: bool = False
    exclusions: NDArray[np.int64] | None = None
    young_specialist_years: float = 3.0
    experienced_years: float = 10.0
    no_experience_categories: frozenset[int] = frozenset()
    age_gap_years: float = 3.0

    def __post_init__(self) -> None:
        if self.variant not in _VARIANTS:
            raise InvalidInput(f"Rules.variant must be one of {_VARIANTS}, not {self.variant!r}")
        if self.same_class not in _SAME_CLASS:
            raise InvalidInput(
                f"Rules.same_class must be one of {_SAME_CLASS}, not {self.same_class!r}"
            )
        raw = np.zeros((0, 2)) if self.exclusions is None else np.asarray(self.exclusions)
        if raw.size == 0:
            raw = np.zeros((0, 2))
        if raw.ndim != 2 or raw.shape[1] != 2:
            raise InvalidInput(f"Rules.exclusions must have shape (k, 2), got {raw.shape}")
        exclusions = raw.astype(np.int64)
        exclusions.setflags(write=False)
        object.__setattr__(self, "exclusions", exclusions)
        for name in ("young_specialist_years", "experienced_years", "age_gap_years"):
            if not getattr(self, name) > 0:
                raise InvalidInput(f"Rules.{name} must be > 0")
        if self.experienced_years <= self.young_specialist_years:
            raise InvalidInput("Rules.experienced_years must exceed young_specialist_years")


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; a program may change them. Non-negative, finite.

    The score of a pair is ``sum(weight * value) / sum(weight)`` over the factors that apply,
    so it stays in [0, 1] whatever the scale of the weights.
    """

    deficit_coverage: float = 3.0
    interests: float = 1.0
    achievement: float = 2.0
    availability: float = 1.0
    format: float = 0.5
    wishes: float = 1.5
    same_class: float = 0.5
    age: float = 0.5
    experience: float = 1.0

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int | float) or not np.isfinite(value) or value < 0:
                raise InvalidInput(f"Weights.{item.name} must be a finite number >= 0")

    def as_dict(self) -> dict[str, float]:
        return {item.name: float(getattr(self, item.name)) for item in fields(self)}


def _csr(value: Any, name: str) -> sparse.csr_array:
    try:
        matrix = sparse.csr_array(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must be a 2-D sparse or dense numeric matrix") from exc
    if matrix.nnz and not np.isfinite(matrix.data).all():
        raise InvalidInput(f"{name} must be finite")
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix


def _shape_text(shape: tuple[int | None, ...]) -> str:
    parts = ["any" if s is None else str(s) for s in shape]
    return f"({parts[0]},)" if len(parts) == 1 else "(" + ", ".join(parts) + ")"
