"""Collective groups: mentees with *different* deficits together, led by a team of mentors who
covers every deficit of the group (the target model's «коллективная» support: «обучающихся,
обладающих различными типами образовательных дефицитов»).

Shared-deficit groups (:func:`~nastavnik.matching.engine.groups.form_groups`) put together the
mentees who need the same thing; a collective group puts together the mentees whose needs one
small team can meet, whatever they are.

The method, greedy and deterministic (the same input gives the same groups):

1. **Eligibility** as for :func:`form_groups`: consent and categories; a mentor needs a free
   place (with ``capacity_unit="mentee"``, room for ``min_size`` mentees). A competency is
   *coverable* if such a mentor has it at ``min_level`` or above. A mentee's deficits nobody can
   cover are left out of the grouping (the group's explanation lists them as not covered); a
   mentee with no coverable deficit stays ungrouped.
2. **Seeds.** Mentees are taken in ``order`` (e.g. the class), those with more deficits first,
   then by index. Each not yet placed mentee in turn seeds a group.
3. **Team.** A greedy cover of the seed's deficits by at most ``team_size`` mentors with a free
   place whom the seed has not excluded: each step takes the mentor covering the most of what is
   left (by deficit weight), then — with ``prefer="coverage"`` — the one most other mentees still
   need, then the higher levels, then the lower index (``prefer="score"`` ranks the levels before
   the need). While the team has room and the group is not full, a mentor is added if that lets
   more mentees join (the one letting the most join; none is added for nothing).
4. **Members.** The mentees not yet placed whose every coverable deficit the team covers, who
   exclude none of the team: the closest in ``order`` first, then the best covered, then by
   index, up to ``max_size`` with the seed (with ``capacity_unit="mentee"``, no more than every
   team mentor has places for). Fewer than ``min_size``: no group, nothing is used, the next
   seed is tried (the mentees may still join a later group).
5. **Fill.** Mentees left over join, in order, a group with room whose team covers them.

Each deficit of a group is covered by the team's mentor with the highest level in it (the
earlier in the team on ties): ``covers`` says who covers what. The team's score is the mean over
members of the weighted share of their deficits covered, each at the covering mentor's level
(``max_level`` is 1); the lead is the team's best mentor for the group alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from nastavnik.matching.engine.assignment import Prefer
from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.explain import (
    REASON_CATEGORY,
    REASON_MENTORS_FULL,
    REASON_NO_CANDIDATE,
    REASON_NO_CONSENT,
)
from nastavnik.matching.engine.features import MenteeFeatures, MentorFeatures, Rules
from nastavnik.matching.engine.groups import REASON_NO_DEFICIT, CapacityUnit
from nastavnik.matching.engine.match import eligible_mentees, eligible_mentors
from nastavnik.matching.engine.scoring import check_sides, forbidden_pairs

__all__ = [
    "REASON_FEW_COVERED",
    "REASON_NO_TEAM",
    "CollectiveGroup",
    "CollectiveGrouping",
    "TeamCover",
    "form_collective_groups",
    "score_team",
]

REASON_NO_TEAM = "no_team"
"""No team of at most ``team_size`` free mentors covers every deficit of the mentee."""
REASON_FEW_COVERED = "few_covered"
"""Too few other mentees could join a group whose team covers this mentee."""


@dataclass(frozen=True)
class TeamCover:
    """What a team does for a group.

    Attributes:
        deficits: competency ids of the members' deficits the team covers, sorted.
        covers: per team mentor (in team order), the deficits of ``deficits`` they cover: each
            deficit goes to the team's mentor with the highest level in it (earlier on ties).
        uncovered: the members' deficits no team mentor has at ``min_level``, sorted.
        shared: competency ids in every member's deficits.
        score: the team's mean coverage of the members' deficits, in [0, 1].
        mentor_scores: per team mentor, their own mean coverage of the members' deficits.
    """

    deficits: tuple[int, ...]
    covers: tuple[tuple[int, ...], ...]
    uncovered: tuple[int, ...]
    shared: tuple[int, ...]
    score: float
    mentor_scores: tuple[float, ...]


@dataclass(frozen=True)
class CollectiveGroup:
    """A collective group: its members, its team (the lead first) and what the team covers."""

    members: tuple[int, ...]
    mentors: tuple[int, ...]
    cover: TeamCover


@dataclass(frozen=True)
class CollectiveGrouping:
    """Result of :func:`form_collective_groups`.

    Attributes:
        groups: in the order they were formed.
        group_of: ``(n_mentees,)`` int64, the group of each mentee or -1.
        reasons: for a mentee without a group, why (else None).
        load: ``(n_mentors,)`` int64, capacity units used.
    """

    groups: tuple[CollectiveGroup, ...]
    group_of: NDArray[np.int64]
    reasons: tuple[str | None, ...]
    load: NDArray[np.int64]


class _Profiles:
    """Dense views of the two sides for the greedy steps (a school's size, not a region's)."""

    def __init__(self, mentees: MenteeFeatures, mentors: MentorFeatures, min_level: float):
        assert mentees.deficits is not None
        assert mentors.competencies is not None
        n_cols = max(mentees.deficits.shape[1], mentors.competencies.shape[1])
        deficits = _resized(mentees.deficits, n_cols)
        self.levels = _resized(mentors.competencies, n_cols).toarray()
        self.max_level = float(mentors.max_level)
        self.can = self.levels >= min_level
        self.weights: list[dict[int, float]] = []
        for i in range(deficits.shape[0]):
            start, stop = deficits.indptr[i], deficits.indptr[i + 1]
            own = {
                int(c): float(w)
                for c, w in zip(
                    deficits.indices[start:stop], deficits.data[start:stop], strict=True
                )
                if w > 0
            }
            self.weights.append(own)

    def cover(self, members: tuple[int, ...], team: tuple[int, ...]) -> TeamCover:
        union = sorted({c for i in members for c in self.weights[i]})
        cols = np.asarray(union, dtype=np.int64)
        team_idx = np.asarray(team, dtype=np.int64)
        levels = self.levels[np.ix_(team_idx, cols)] * self.can[np.ix_(team_idx, cols)]
        covered = levels.max(axis=0, initial=0.0) > 0 if team else np.zeros(cols.size, bool)
        best = levels.argmax(axis=0) if team else np.zeros(cols.size, dtype=np.int64)
        best_level = levels.max(axis=0, initial=0.0) if team else np.zeros(cols.size)
        column = {c: k for k, c in enumerate(union)}
        team_total = 0.0
        own_totals = np.zeros(len(team))
        for i in members:
            total = sum(self.weights[i].values())
            for c, w in self.weights[i].items():
                k = column[c]
                team_total += w / total * best_level[k]
                if team:
                    own_totals += w / total * self.levels[team_idx, c]
        size = max(len(members), 1)
        covers = tuple(
            tuple(union[k] for k in range(cols.size) if covered[k] and best[k] == t)
            for t in range(len(team))
        )
        shared = set(self.weights[members[0]]) if members else set()
        for i in members[1:]:
            shared &= set(self.weights[i])
        return TeamCover(
            deficits=tuple(union[k] for k in range(cols.size) if covered[k]),
            covers=covers,
            uncovered=tuple(union[k] for k in range(cols.size) if not covered[k]),
            shared=tuple(sorted(shared)),
            score=team_total / size / self.max_level,
            mentor_scores=tuple(float(s) / size / self.max_level for s in own_totals),
        )


def score_team(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    members: tuple[int, ...],
    team: tuple[int, ...],
    *,
    min_level: float = 1.0,
) -> TeamCover:
    """What a given team covers for a given group, as :func:`form_collective_groups` computes
    it: for a group the curator changed (a member moved or removed) or a re-run kept."""
    check_sides(mentees, mentors)
    return _Profiles(mentees, mentors, min_level).cover(tuple(members), tuple(team))


def form_collective_groups(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    rules: Rules | None = None,
    *,
    min_size: int = 3,
    max_size: int = 8,
    team_size: int = 2,
    capacity_unit: CapacityUnit = "group",
    min_level: float = 1.0,
    order: NDArray[np.integer] | None = None,
    prefer: Prefer = "coverage",
) -> CollectiveGrouping:
    """Form groups of mentees with different deficits, each with a team that covers them all.

    Args:
        mentees, mentors, rules: as for :func:`form_groups` (deficits, competencies, capacity,
            consent, categories, exclusions and refusals are used).
        min_size, max_size: group size limits, ``1 <= min_size <= max_size``.
        team_size: mentors per group, at most.
        capacity_unit: a mentor's capacity counts groups (``"group"``) or members (``"mentee"``).
        min_level: the raw competency level a mentor needs to cover a deficit.
        order: ``(n_mentees,)`` int key; mentees with close keys go together (e.g. grade).
        prefer: ``"coverage"`` or ``"score"``: which comes first when choosing a team's mentor.
    """
    rules = rules if rules is not None else Rules()
    _check(min_size, max_size, team_size, capacity_unit, prefer, min_level)
    check_sides(mentees, mentors)
    assert mentors.capacity is not None
    n = mentees.n
    order_key = _order(order, n)
    p = _Profiles(mentees, mentors, min_level)
    ok_e = eligible_mentees(mentees, rules)
    ok_o = eligible_mentors(mentors, rules)
    ok_any = eligible_mentors(replace(mentors, capacity=np.ones_like(mentors.capacity)), rules)
    units_least = 1 if capacity_unit == "group" else min_size
    free = np.where(ok_o, mentors.capacity, 0).astype(np.int64)
    usable = free >= units_least
    coverable = (p.can & usable[:, None]).any(axis=0)
    coverable_if_free = (p.can & ok_any[:, None]).any(axis=0)
    forbidden = sparse.csr_array(forbidden_pairs(mentees, mentors, rules))
    banned = [
        set(forbidden.indices[forbidden.indptr[i] : forbidden.indptr[i + 1]].tolist())
        for i in range(n)
    ]

    reasons: list[str | None] = [None] * n
    need: list[frozenset[int]] = [frozenset()] * n
    for i in range(n):
        own = p.weights[i]
        if not ok_e[i]:
            reasons[i] = (
                REASON_NO_CONSENT
                if rules.require_consent and not bool(mentees.consent[i])  # type: ignore[index]
                else REASON_CATEGORY
            )
        elif not own:
            reasons[i] = REASON_NO_DEFICIT
        else:
            need[i] = frozenset(c for c in own if coverable[c])
            if not need[i]:
                reasons[i] = (
                    REASON_MENTORS_FULL
                    if any(coverable_if_free[c] for c in own)
                    else REASON_NO_CANDIDATE
                )
    pool = [i for i in range(n) if reasons[i] is None]
    pool.sort(key=lambda i: (int(order_key[i]), -len(need[i]), i))
    unplaced = set(pool)
    no_team: set[int] = set()
    formed: list[tuple[list[int], list[int]]] = []  # (members, team)

    def demand(cols: set[int]) -> int:
        return sum(1 for i in unplaced if need[i] & cols)

    def fits(i: int, team: list[int], covered: set[int]) -> bool:
        return need[i] <= covered and not (banned[i] & set(team))

    def covers_of(j: int) -> set[int]:
        return {int(c) for c in np.flatnonzero(p.can[j])}

    def team_for(seed: int) -> tuple[list[int], set[int]] | None:
        left = set(need[seed])
        team: list[int] = []
        covered: set[int] = set()
        while left and len(team) < team_size:
            best: tuple[float, ...] | None = None
            pick = -1
            for j in np.flatnonzero(free >= units_least).tolist():
                if j in team or j in banned[seed]:
                    continue
                gets = {c for c in left if p.can[j, c]}
                if not gets:
                    continue
                gain = sum(p.weights[seed][c] for c in gets)
                quality = float(sum(p.levels[j, c] for c in gets))
                wanted = demand(covers_of(j) - covered)
                key = (
                    (gain, wanted, quality, -j)
                    if prefer == "coverage"
                    else (gain, quality, wanted, -j)
                )
                if best is None or key > best:
                    best, pick = key, j
            if pick < 0:
                return None
            team.append(pick)
            covered |= covers_of(pick)
            left -= covered
        return (team, covered) if not left else None

    def quality(i: int, team: list[int]) -> float:
        """The team's coverage of one mentee's deficits (as in the group's score)."""
        own = p.weights[i]
        total = sum(own.values())
        return (
            sum(w * max(p.levels[j, c] * p.can[j, c] for j in team) for c, w in own.items()) / total
        )

    def room(team: list[int]) -> int:
        if capacity_unit == "group":
            return max_size
        return int(min(max_size, *(int(free[j]) for j in team)))

    def members_for(seed: int, team: list[int], covered: set[int]) -> list[int]:
        joining = [i for i in unplaced if i != seed and fits(i, team, covered)]
        joining.sort(
            key=lambda i: (
                abs(int(order_key[i]) - int(order_key[seed])),
                -quality(i, team),
                i,
            )
        )
        return [seed, *joining[: room(team) - 1]]

    for seed in pool:
        if seed not in unplaced:
            continue
        found = team_for(seed)
        if found is None:
            no_team.add(seed)
            continue
        team, covered = found
        members = members_for(seed, team, covered)
        # Room in the team and the group: a mentor who lets more mentees join.
        while len(team) < team_size and len(members) < room(team):
            best_gain, pick = 0, -1
            for j in np.flatnonzero(free >= units_least).tolist():
                if j in team or any(j in banned[i] for i in members):
                    continue
                wider = covered | covers_of(j)
                gain = sum(1 for i in unplaced if i not in members and fits(i, [*team, j], wider))
                if gain > best_gain:
                    best_gain, pick = gain, j
            if pick < 0:
                break
            team.append(pick)
            covered |= covers_of(pick)
            members = members_for(seed, team, covered)
        if len(members) < min_size:
            continue
        no_team.discard(seed)
        units = 1 if capacity_unit == "group" else len(members)
        for j in team:
            free[j] -= units
        unplaced.difference_update(members)
        formed.append((members, team))

    # Fill: a leftover mentee joins a group with room whose team covers them.
    for i in [i for i in pool if i in unplaced]:
        for members, team in formed:
            covered = set().union(*(covers_of(j) for j in team))
            extra = 0 if capacity_unit == "group" else 1
            if len(members) < max_size and fits(i, team, covered):
                if extra and any(free[j] < extra for j in team):
                    continue
                for j in team:
                    free[j] -= extra
                members.append(i)
                unplaced.discard(i)
                break

    groups = []
    group_of = np.full(n, -1, dtype=np.int64)
    load = np.zeros(mentors.n, dtype=np.int64)
    for g, (members, team) in enumerate(formed):
        members_t = tuple(sorted(members, key=lambda i: (int(order_key[i]), i)))
        first = p.cover(members_t, tuple(team))
        # The lead is the team's best mentor for the group alone; then by score, then index.
        ranked = sorted(range(len(team)), key=lambda t: (-first.mentor_scores[t], team[t]))
        team_t = tuple(team[t] for t in ranked)
        groups.append(CollectiveGroup(members_t, team_t, p.cover(members_t, team_t)))
        group_of[list(members_t)] = g
        units = 1 if capacity_unit == "group" else len(members_t)
        load[list(team_t)] += units
    for i in pool:
        if i in unplaced:
            reasons[i] = REASON_NO_TEAM if i in no_team else REASON_FEW_COVERED
    return CollectiveGrouping(tuple(groups), group_of, tuple(reasons), load)


def _check(
    min_size: int,
    max_size: int,
    team_size: int,
    capacity_unit: str,
    prefer: str,
    min_level: float,
) -> None:
    if not 1 <= min_size <= max_size:
        raise InvalidInput(
            f"group sizes need 1 <= min_size <= max_size, got {min_size} and {max_size}"
        )
    if team_size < 1:
        raise InvalidInput(f"team_size must be >= 1, not {team_size}")
    if capacity_unit not in ("group", "mentee"):
        raise InvalidInput(f'capacity_unit must be "group" or "mentee", not {capacity_unit!r}')
    if prefer not in ("score", "coverage"):
        raise InvalidInput(f'prefer must be "score" or "coverage", not {prefer!r}')
    if not min_level > 0:
        raise InvalidInput("min_level must be > 0")


def _order(order: NDArray[np.integer] | None, n: int) -> NDArray[np.int64]:
    if order is None:
        return np.zeros(n, dtype=np.int64)
    key = np.asarray(order, dtype=np.int64)
    if key.shape != (n,):
        raise InvalidInput(f"order must have shape ({n},), got {key.shape}")
    return key


def _resized(matrix: sparse.csr_array, n_cols: int) -> sparse.csr_array:
    out = sparse.csr_array(matrix, dtype=np.float64, copy=True)
    out.resize((out.shape[0], n_cols))
    out.sort_indices()
    return out
