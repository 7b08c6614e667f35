"""The jury's scores of a festival, aggregated per nomination (plain Python, no database).

Each entry's scores (one per juror who scored it) give its sum, count and mean. Entries are
ranked by the **mean** (so an entry a juror has not scored yet is not penalised); the mean is
compared exactly (as a fraction), not rounded. **Ties:** entries with the same mean share a place
and the next place is skipped (1, 1, 3 — the standard competition ranking); the sum does not break
a tie, since a bigger sum may only mean more jurors scored. An entry without any score has no
place and is listed last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class EntryResult:
    entry_id: int
    label: str
    count: int
    total: int
    mean: float | None
    place: int | None


def rank_entries(
    entries: Iterable[tuple[int, list[int]]], *, labels: Mapping[int, str] | None = None
) -> list[EntryResult]:
    """``entries``: (entry id, its scores); answers the results, best first (see the module)."""
    labels = labels or {}
    scored: list[tuple[Fraction, int, list[int]]] = []
    unscored: list[int] = []
    for entry_id, values in entries:
        if values:
            scored.append((Fraction(sum(values), len(values)), entry_id, values))
        else:
            unscored.append(entry_id)
    scored.sort(key=lambda item: (-item[0], item[1]))
    results: list[EntryResult] = []
    place = 0
    previous: Fraction | None = None
    for index, (mean, entry_id, values) in enumerate(scored, start=1):
        if mean != previous:
            place = index
            previous = mean
        results.append(
            EntryResult(
                entry_id, labels.get(entry_id, ""), len(values), sum(values), float(mean), place
            )
        )
    for entry_id in sorted(unscored):
        results.append(EntryResult(entry_id, labels.get(entry_id, ""), 0, 0, None, None))
    return results
