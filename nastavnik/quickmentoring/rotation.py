"""The rotation of a speed-mentoring session: who sits at which table in which round.

Plain Python, no Django (an import-linter contract keeps it so). People are numbered from 0;
the caller maps the numbers to its participants. Every table seats one pair. Two modes:

- **bipartite** (mentors × mentees): a mentor meets only mentees;
- **peers** (everyone × everyone).

Guarantees, for every accepted size (tested with hypothesis in ``tests/quickmentoring``):

1. every pair meets at most once;
2. each round seats ``k = min(tables, people who can pair)`` pairs as long as pairs that have not
   met remain, so the session holds ``min(all possible pairs, rounds × k)`` meetings — the most
   any schedule can;
3. sit-outs are balanced: within a side (mentors, mentees; everyone for peers) the number of
   rounds any two people sit out differs by at most one.

Bipartite: with ``a ≤ b`` people on the two sides and ``L = lcm(a, b)``, the t-th meeting of the
whole session joins mentor ``t mod a`` with mentee ``(t + ⌊t / L⌋) mod b``; by the Chinese
remainder theorem the ``a·b`` meetings are all the pairs, each once, and the rounds are the
consecutive runs of ``k`` meetings (distinct mentors and distinct mentees in each run), so both
sides are seated in turn around a circle — balanced.

Peers with tables for everyone: the circle method (a round-robin tournament; with an odd number
one person sits out each round, a different one each time). Peers with fewer tables: all pairs
in an order whose every beginning is balanced (the circle method's rounds for an even number,
Walecki's Hamiltonian cycles for an odd one), cut into rounds of k — or, where a cut would seat
someone twice, each round taking the earliest pairs whose people are free. A schedule that
fails the guarantees is never returned while another candidate passes; the last resorts are a
seeded search and, if even it fails within its budget, a greedy schedule (kept at most once;
the tests over random sizes have not reached it).

Sizes that make no sense are refused with a ``RotationError`` carrying a code and numbers; the
Django side words the message.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

Pair = tuple[int, int]


class RotationError(ValueError):
    """A size the rotation refuses: ``code`` is one of ``no_tables``, ``no_rounds``,
    ``too_few_people``, ``too_many_rounds`` (``limit``: the most rounds with a new meeting)."""

    def __init__(self, code: str, limit: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.limit = limit


@dataclass(frozen=True)
class Rotation:
    """``rounds[r]`` lists the pairs of round r; the pair at position t sits at table t + 1.

    Bipartite pairs are (mentor number, mentee number); peer pairs are (smaller, larger)."""

    rounds: tuple[tuple[Pair, ...], ...]

    @property
    def meetings(self) -> int:
        return sum(len(r) for r in self.rounds)


def max_rounds_bipartite(*, mentors: int, mentees: int, tables: int) -> int:
    """The most rounds in which some pair can still meet for the first time."""
    k = min(tables, mentors, mentees)
    return math.ceil(mentors * mentees / k) if k else 0


def max_rounds_peers(*, people: int, tables: int) -> int:
    k = min(tables, people // 2)
    return math.ceil(people * (people - 1) // 2 / k) if k else 0


def _check(tables: int, rounds: int, k: int, limit: int) -> None:
    if tables <= 0:
        raise RotationError("no_tables")
    if rounds <= 0:
        raise RotationError("no_rounds")
    if k <= 0:
        raise RotationError("too_few_people")
    if rounds > limit:
        raise RotationError("too_many_rounds", limit)


def rotate_bipartite(*, mentors: int, mentees: int, tables: int, rounds: int) -> Rotation:
    """Mentors × mentees: pairs are (mentor number, mentee number)."""
    k = min(tables, mentors, mentees)
    _check(tables, rounds, k, max_rounds_bipartite(mentors=mentors, mentees=mentees, tables=tables))
    swapped = mentors > mentees
    a, b = (mentees, mentors) if swapped else (mentors, mentees)
    period = math.lcm(a, b)
    total = a * b
    result: list[tuple[Pair, ...]] = []
    for r in range(rounds):
        pairs: list[Pair] = []
        for t in range(r * k, min((r + 1) * k, total)):
            small, large = t % a, (t + t // period) % b
            pairs.append((large, small) if swapped else (small, large))
        result.append(tuple(pairs))
    return Rotation(tuple(result))


def _circle(people: int, rounds: int) -> list[tuple[Pair, ...]]:
    """Round-robin by the circle method: with an odd count a phantom player is the sit-out."""
    n = people + people % 2
    phantom = people if people % 2 else -1
    result = []
    for r in range(rounds):
        # Player n-1 stays put; the others turn around the circle one place per round.
        pairs = [(n - 1, r % (n - 1))]
        for i in range(1, n // 2):
            pairs.append(((r + i) % (n - 1), (r - i) % (n - 1)))
        result.append(
            tuple(sorted((min(p), max(p)) for p in pairs if phantom not in p and p[0] != p[1]))
        )
    return result


def rotate_peers(*, people: int, tables: int, rounds: int) -> Rotation:
    """Everyone × everyone: pairs are (smaller number, larger number)."""
    k = min(tables, people // 2)
    _check(tables, rounds, k, max_rounds_peers(people=people, tables=tables))
    if k == people // 2:
        return Rotation(tuple(_circle(people, rounds)))
    order = _balanced_order(people)
    found = None
    for candidate in (_chunked(order, k, rounds), _skipping(order, k, rounds)):
        if candidate is not None and _balanced(people, k, candidate):
            found = candidate
            break
    else:
        found = _search_peers(people, k, rounds) or _greedy_schedule(people, k, rounds)
    return Rotation(tuple(tuple(sorted(r)) for r in found))


def _balanced_order(people: int) -> list[Pair]:
    """All pairs in an order whose every beginning is balanced (anyone's count of meetings in it
    differs from anyone else's by at most one). An even count: the circle method's rounds one
    after another (each round seats everyone once). An odd count: Walecki's decomposition into
    Hamiltonian cycles, each cycle's edges taken every other one from its end, then the rest
    from its end, then the closing edge — which keeps every beginning balanced."""
    if people % 2 == 0:
        return [pair for seating in _circle(people, people - 1) for pair in seating]
    m = people // 2
    infinity = people - 1
    zigzag = [0]
    for j in range(1, m + 1):
        zigzag.append(j)
        if j < m:
            zigzag.append(-j)
    order: list[Pair] = []
    for i in range(m):
        cycle = [infinity] + [(z + i) % (2 * m) for z in zigzag]
        n = len(cycle)
        edges = [(cycle[j], cycle[(j + 1) % n]) for j in range(n)]
        positions = [*range(n - 3, -1, -2), *range(n - 2, 0, -2), n - 1]
        order.extend((min(edges[j]), max(edges[j])) for j in positions)
    return order


def _chunked(order: list[Pair], k: int, rounds: int) -> list[list[Pair]] | None:
    """Rounds of k consecutive pairs of ``order``, or None if some round would seat someone at
    two tables."""
    schedule = []
    for r in range(rounds):
        seating = order[r * k : (r + 1) * k]
        if len({p for pair in seating for p in pair}) != 2 * len(seating):
            return None
        schedule.append(seating)
    return schedule


def _skipping(order: list[Pair], k: int, rounds: int) -> list[list[Pair]]:
    """Each round takes the earliest pairs of ``order`` not yet seated whose people are free in
    that round (a pair skipped waits for the next round)."""
    left = list(order)
    schedule = []
    for _r in range(rounds):
        seating: list[Pair] = []
        busy: set[int] = set()
        for pair in left:
            if len(seating) == k:
                break
            if not busy & set(pair):
                seating.append(pair)
                busy |= set(pair)
        taken = set(seating)
        left = [pair for pair in left if pair not in taken]
        schedule.append(seating)
    return schedule


def _balanced(people: int, k: int, schedule: list[list[Pair]]) -> bool:
    """Every round full (k pairs, or every pair left) and the seats balanced."""
    wanted = min(people * (people - 1) // 2, len(schedule) * k)
    if sum(len(seating) for seating in schedule) != wanted:
        return False
    seats = [0] * people
    for seating in schedule:
        for p, q in seating:
            seats[p] += 1
            seats[q] += 1
    return max(seats) - min(seats) <= 1


def _search_peers(people: int, k: int, rounds: int) -> list[list[Pair]] | None:
    """Rounds that seat k new pairs each (until every pair has met) keeping the sit-outs
    balanced. Each round seats those seated least (and fills up with those one seat above) and
    pairs them among the pairs that have not met; ties are broken by a pseudo-random order with
    a fixed seed, and a round that cannot be seated so starts the schedule again with the next
    seed (a few hundred attempts at most; None if all fail)."""
    total = people * (people - 1) // 2
    for seed in range(300):
        rng = random.Random(seed)  # noqa: S311 — a fixed seed for a deterministic schedule
        seats = [0] * people
        met: set[Pair] = set()
        schedule: list[list[Pair]] = []
        for _r in range(rounds):
            wanted = min(k, total - len(met))
            tie = list(range(people))
            rng.shuffle(tie)
            order = sorted(range(people), key=lambda p: (seats[p], tie[p]))
            lowest = seats[order[0]]
            must = [p for p in order if seats[p] == lowest][: 2 * wanted]
            pool = [p for p in order if seats[p] <= lowest + 1]
            pairs = next(_seatings(must, pool, wanted, met, [2000]), None)
            if pairs is None:
                break
            for p, q in pairs:
                met.add((p, q))
                seats[p] += 1
                seats[q] += 1
            schedule.append(pairs)
        else:
            return schedule
    return None


def _seatings(
    must: list[int], pool: list[int], count: int, met: set[Pair], budget: list[int]
) -> Iterator[list[Pair]]:
    """Every set of ``count`` new pairs among ``pool`` that seats everyone in ``must``, in a
    fixed order (the person of ``must`` with the fewest choices first, partners in the pool's
    order), while the budget lasts."""
    rank = {p: i for i, p in enumerate(pool)}

    def new(p: int, q: int) -> bool:
        return p != q and (min(p, q), max(p, q)) not in met

    def search(needed: frozenset[int], free: list[int], left: int) -> Iterator[list[Pair]]:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        if left == 0:
            if not needed:
                yield []
            return
        if len(needed) > 2 * left or len(free) < 2 * left:
            return
        if needed:
            first = min(needed, key=lambda p: (sum(new(p, q) for q in free), rank[p]))
        else:
            first = free[0]
        partners = [q for q in free if new(first, q)]
        partners.sort(key=lambda q: (q not in needed, rank[q]))
        for partner in partners:
            rest = [q for q in free if q not in (first, partner)]
            for found in search(needed - {first, partner}, rest, left - 1):
                yield [(min(first, partner), max(first, partner)), *found]
        if not needed:
            # The first free person may stay out this round.
            yield from search(needed, free[1:], left)

    yield from search(frozenset(must), list(pool), count)


def _greedy_schedule(people: int, k: int, rounds: int) -> list[list[Pair]]:
    """The fallback when the search runs out of steps: each round, up to k new pairs taking the
    people seated least first."""
    seats = [0] * people
    met: set[Pair] = set()
    schedule = []
    for r in range(rounds):
        order = sorted(range(people), key=lambda p: (seats[p], (p - r * 2 * k) % people))
        pairs = _greedy(order, k, met)
        for p, q in pairs:
            met.add((p, q))
            seats[p] += 1
            seats[q] += 1
        schedule.append(pairs)
    return schedule


def _greedy(order: list[int], k: int, met: set[Pair]) -> list[Pair]:
    """Up to k new pairs taking people in ``order`` (the fallback near the end of a session)."""
    taken: set[int] = set()
    pairs: list[Pair] = []
    for p in order:
        if p in taken or len(pairs) == k:
            continue
        for q in order:
            if q != p and q not in taken and (min(p, q), max(p, q)) not in met:
                pairs.append((min(p, q), max(p, q)))
                taken |= {p, q}
                break
    return pairs
