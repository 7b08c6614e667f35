"""The end-to-end entry point: profiles in, pairs and their explanations out."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from nastavnik.matching.engine.assignment import SCORE_SCALE, Assignment, Prefer, assign
from nastavnik.matching.engine.candidates import (
    Candidates,
    block_pair_scores,
    candidates,
    merge_candidates,
)
from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.explain import (
    REASON_CATEGORY,
    REASON_MENTORS_FULL,
    REASON_NO_CANDIDATE,
    REASON_NO_CONSENT,
    REASON_NOT_SELECTED,
    FactorContribution,
    PairExplanation,
    UnmatchedExplanation,
)
from nastavnik.matching.engine.features import MenteeFeatures, MentorFeatures, Rules, Weights
from nastavnik.matching.engine.pricing import (
    Duals,
    RowBounds,
    coverage_weight,
    dual_potentials,
    price,
    quantize,
)
from nastavnik.matching.engine.repair import repair
from nastavnik.matching.engine.scoring import ScoreModel, build_model
from nastavnik.matching.engine.text import RussianTextVectorizer

__all__ = ["Certificate", "MatchResult", "eligible_mentees", "eligible_mentors", "match"]


ALL_PAIRS_CELLS = 250_000
"""Bases up to this many allowed (mentee, mentor) cells are matched over every allowed pair."""

SOLVE_WHOLE_UP_TO = 100_000
"""Up to this many candidates a re-solve is over all of them (see ``_Solver``)."""

WHOLE_AFTER_GROWTH = 1.5
"""A restricted re-solve whose set would grow by more than this factor solves them all."""

REPAIR_UP_TO = 100
"""A restricted round whose duals at most this many mentees' candidates violate repairs its
optimum (:mod:`~nastavnik.matching.engine.repair`) rather than solving again: at region size 3 to
13 mentees took 0.15-0.5 s against 1.5-2.5 s for a solve, while 1 200 took longer than a solve."""

CertifiedBy = Literal["all_pairs", "pricing", "none"]
NotCertified = Literal["rounds", "duals", "off"]


@dataclass(frozen=True)
class Certificate:
    """Whether, and how, the assignment is proven optimal over every allowed pair.

    Attributes:
        method: ``"all_pairs"`` (every allowed pair was a candidate), ``"pricing"`` (candidates,
            then pricing rounds until no allowed pair could improve the assignment) or
            ``"none"`` (pricing was off).
        certified: the assignment is optimal over every allowed pair.
        bound: an upper bound on ``Assignment.objective`` over every allowed pair (quantized
            score, locked pairs included); equal to the objective when certified. In
            ``prefer="coverage"`` it bounds the score among the assignments that match at
            least as many mentees. None when there is no proof at all (``"none"``).
        rounds: pricing scans made (0 for ``"all_pairs"``).
        pairs_added: candidate pairs the pricing rounds added.
        violations: allowed pairs the last scan found able to improve the assignment (0 when
            certified).
        duals: the potentials of the last round (the certificate itself when certified).
        reason: why not certified: ``"rounds"`` (``max_rounds`` reached), ``"duals"`` (the
            dual values failed their exact check: a solver problem) or ``"off"``.
        history: per pricing scan, (pairs found able to improve, pairs added).
    """

    method: CertifiedBy
    certified: bool
    bound: int | None
    rounds: int = 0
    pairs_added: int = 0
    violations: int = 0
    duals: Duals | None = field(default=None, repr=False)
    reason: NotCertified | None = None
    history: tuple[tuple[int, int], ...] = ()

    @property
    def bound_score(self) -> float | None:
        """The bound in score units."""
        return None if self.bound is None else self.bound / SCORE_SCALE


@dataclass(frozen=True)
class MatchResult:
    """The assignment and everything needed to explain it.

    Attributes:
        assignment: the optimal assignment over the candidate edges.
        candidates: the candidate edges (top ``k`` per mentee, plus locked pairs).
        codes: codes of the factors that took part, in column order of ``factor_values``.
        weights: their normalised weights.
        factor_values: ``(n_mentees, n_factors)`` float64, the factor values of each mentee's
            pair, NaN for an unmatched mentee.
        score: ``(n_mentees,)`` float64, the score of each mentee's pair, NaN if unmatched.
        reasons: for each mentee, None if matched, else a reason code (see
            :mod:`~nastavnik.matching.engine.explain`).
        model: the score model, for details on demand.
        timings: seconds spent in each step (``model``, ``estimate`` when the candidates are
            chosen by estimated potentials, ``candidates``, ``assign``, ``fill``
            when a fill round ran, ``duals``, ``pricing`` and ``reassign`` when pricing ran,
            ``explain``), for logs and progress reports.
        certified: the assignment is optimal over every allowed pair, not only over the
            candidates (see ``certificate`` for how, the bound and the rounds).
        certificate: the proof, or why there is none.
    """

    assignment: Assignment
    candidates: Candidates
    codes: tuple[str, ...]
    weights: tuple[float, ...]
    factor_values: NDArray[np.float64]
    score: NDArray[np.float64]
    reasons: tuple[str | None, ...]
    model: ScoreModel = field(repr=False)
    timings: dict[str, float] = field(default_factory=dict)
    certified: bool = False
    certificate: Certificate = Certificate("none", False, None, reason="off")

    @property
    def mentor_of(self) -> NDArray[np.int64]:
        return self.assignment.mentor_of

    def explain(self, mentee: int) -> PairExplanation | UnmatchedExplanation:
        """The explanation of one mentee's outcome; factor details are computed here."""
        mentor = int(self.assignment.mentor_of[mentee])
        if mentor < 0:
            reason = self.reasons[mentee]
            assert reason is not None
            return UnmatchedExplanation(mentee, reason, int(self.candidates.per_mentee[mentee]))
        contributions = [
            FactorContribution(
                code=factor.code,
                value=float(value),
                weight=weight,
                contribution=float(value) * weight,
                details=factor.describe(mentee, mentor),
            )
            for factor, weight, value in zip(
                self.model.factors, self.weights, self.factor_values[mentee], strict=True
            )
        ]
        contributions.sort(key=lambda c: (-c.contribution, c.code))
        return PairExplanation(
            mentee=mentee,
            mentor=mentor,
            score=float(self.score[mentee]),
            locked=bool(self.assignment.locked[mentee]),
            factors=tuple(contributions),
        )

    def explanations(self) -> Iterator[PairExplanation | UnmatchedExplanation]:
        for mentee in range(self.assignment.mentor_of.shape[0]):
            yield self.explain(mentee)


def eligible_mentees(mentees: MenteeFeatures, rules: Rules) -> NDArray[np.bool_]:
    assert mentees.consent is not None
    assert mentees.category is not None
    ok = np.ones(mentees.n, dtype=bool)
    if rules.require_consent:
        ok &= mentees.consent
    if rules.mentee_categories is not None:
        ok &= np.isin(mentees.category, list(rules.mentee_categories))
    return ok


def eligible_mentors(mentors: MentorFeatures, rules: Rules) -> NDArray[np.bool_]:
    assert mentors.consent is not None
    assert mentors.category is not None
    assert mentors.capacity is not None
    ok = mentors.capacity > 0
    if rules.require_consent:
        ok &= mentors.consent
    if rules.mentor_categories is not None:
        ok &= np.isin(mentors.category, list(rules.mentor_categories))
    return ok


def match(
    mentees: MenteeFeatures,
    mentors: MentorFeatures,
    rules: Rules | None = None,
    weights: Weights | None = None,
    *,
    top_k: int = 50,
    mentor_top_k: int = 25,
    fill_rounds: int = 1,
    fill_top_k: int = 10,
    prefer: Prefer = "score",
    locked: Sequence[tuple[int, int]] = (),
    vectorizer: RussianTextVectorizer | None = None,
    block_cells: int = 1 << 23,
    workers: int | None = None,
    all_pairs_cells: int = ALL_PAIRS_CELLS,
    certify: bool = True,
    max_rounds: int = 20,
    pricing_top_k: int = 10,
    pricing_slack: float = 0.01,
) -> MatchResult:
    """Score, generate candidates, assign optimally and explain.

    Args:
        mentees, mentors: the bases (see :mod:`~nastavnik.matching.engine.features`).
        rules, weights: the program's rules and factor weights (defaults if None).
        top_k: candidates kept per mentee; the assignment is optimal over the candidates.
        mentor_top_k: also keep each mentor's best mentees as candidates (see
            :func:`candidates`).
        fill_rounds: rounds in which mentees left unmatched while places remain get
            candidates among the mentors with room, and the assignment is solved again.
            Lists of the best mentors crowd onto the mentors everybody likes; without these
            rounds a skewed base leaves most places empty (see docs/benchmarks.md).
        fill_top_k: candidates per waiting mentee in a fill round (among mentors with room).
        prefer: ``"score"`` or ``"coverage"`` (see :func:`assign`).
        locked: (mentee, mentor) pairs the curator fixed; they must satisfy the hard rules
            (consent, categories, exclusions, refusals) and need not be among the top ``k``.
        vectorizer: a fitted :class:`RussianTextVectorizer` to reuse; by default one is fitted
            on both sides' texts.
        block_cells, workers: see :func:`candidates`.
        all_pairs_cells: up to this many allowed (mentee, mentor) cells every allowed pair is a
            candidate (a school's bases: as fast as pruning), and the result is certified
            optimal over all allowed pairs; 0 never.
        certify: on larger bases, prove the result optimal over every allowed pair by pricing
            (see :mod:`~nastavnik.matching.engine.pricing`): the duals of the assignment, a
            scan of every allowed pair for one that could improve it, those pairs added as
            candidates and the assignment solved again, until none is left. In ``prefer="score"``
            the candidates are then chosen by ``score - price``, with the mentors' potentials
            estimated beforehand on small sub-markets (:func:`estimate_prices`): the pricing
            rounds then find fewer pairs.
        max_rounds: pricing scans at most; if pairs are still found after the last one, the
            result is not certified (``certificate.reason == "rounds"``) but still carries a
            bound.
        pricing_top_k: pairs added per mentee and scan, those that improve most (and, when
            fewer improve, those that nearly do).
        pricing_slack: how near (in score) a pair must come to improving to be added with the
            pairs that do: after the next solve the duals move and many of them would improve,
            and each scan of every pair costs as much as a solve.
    """
    rules = rules if rules is not None else Rules()
    weights = weights if weights is not None else Weights()
    clock = _Clock()
    model = build_model(mentees, mentors, rules, weights, vectorizer=vectorizer)
    clock.lap("model")
    ok_e = eligible_mentees(mentees, rules)
    ok_o = eligible_mentors(mentors, rules)
    n_allowed_mentors = int(np.count_nonzero(ok_o))
    exhaustive = int(np.count_nonzero(ok_e)) * n_allowed_mentors <= all_pairs_cells
    if exhaustive and top_k >= 1:  # a wrong top_k is still refused by ``candidates``
        top_k = max(top_k, n_allowed_mentors)
    assert mentors.capacity is not None
    capacity = np.where(ok_o, mentors.capacity, 0)
    price_hint = None
    if certify and not exhaustive and prefer == "score" and top_k >= 1:
        price_hint = estimate_prices(
            model,
            ok_e,
            capacity,
            locked,
            block_cells=block_cells,
            workers=workers,
            top_k=top_k,
            mentor_top_k=mentor_top_k,
        )
        clock.lap("estimate")
    cands = candidates(
        model,
        top_k=top_k,
        mentor_top_k=mentor_top_k,
        mentees=np.flatnonzero(ok_e),
        mentors=np.flatnonzero(ok_o),
        block_cells=block_cells,
        workers=workers,
        price=price_hint,
    )
    if len(locked):
        cands = _with_locked(cands, model, locked, ok_e, ok_o, workers)
    clock.lap("candidates")
    solve = _Solver(capacity, ok_e, locked, prefer, restrict=not exhaustive)
    result, duals = solve(cands, None)
    clock.lap("assign")
    for _ in range(0 if exhaustive else fill_rounds):
        # Mentees left out while places remain: their lists named only mentors who filled up.
        # Give them candidates among the mentors with room (both ways again: the waiting
        # mentees would otherwise crowd onto the best of those), then solve again over all
        # edges, so the result stays exactly optimal over the (grown) candidate set.
        waiting = np.flatnonzero(ok_e & (result.mentor_of < 0))
        room = np.flatnonzero(ok_o & (result.load < capacity))
        if waiting.size == 0 or room.size == 0:
            break
        extra = candidates(
            model,
            top_k=fill_top_k,
            mentor_top_k=mentor_top_k,
            mentees=waiting,
            mentors=np.flatnonzero(ok_o),
            only_mentors=room,
            base=np.flatnonzero(ok_e),
            block_cells=block_cells,
            workers=workers,
        )
        grown = merge_candidates(cands, extra, model.n_mentors)
        if len(grown) == len(cands):
            break
        cands = grown
        result, duals = solve(cands, duals)
        clock.lap("fill")
    if exhaustive:
        certificate = Certificate("all_pairs", True, result.objective)
    elif certify:
        cands, result, certificate = _certify(
            model,
            cands,
            result,
            duals,
            solve=solve,
            ok_e=ok_e,
            ok_o=ok_o,
            max_rounds=max_rounds,
            per_mentee=pricing_top_k,
            slack=pricing_slack,
            block_cells=block_cells,
            workers=workers,
            clock=clock,
        )
    else:
        certificate = Certificate("none", False, None, reason="off")
    matched = np.flatnonzero(result.mentor_of >= 0)
    values = np.full((mentees.n, len(model.factors)), np.nan)
    values[matched] = model.pair_factor_values(matched, result.mentor_of[matched])
    score = np.full(mentees.n, np.nan)
    score[matched] = values[matched] @ np.asarray(model.weights)
    reasons = _reasons(mentees, rules, cands, result, capacity)
    clock.lap("explain")
    return MatchResult(
        assignment=result,
        candidates=cands,
        codes=model.codes,
        weights=model.weights,
        factor_values=values,
        score=score,
        reasons=reasons,
        model=model,
        timings=clock.laps,
        certified=certificate.certified,
        certificate=certificate,
    )


def _certify(
    model: ScoreModel,
    cands: Candidates,
    result: Assignment,
    duals: Duals | None,
    *,
    solve: _Solver,
    ok_e: NDArray[np.bool_],
    ok_o: NDArray[np.bool_],
    max_rounds: int,
    per_mentee: int,
    slack: float,
    block_cells: int,
    workers: int | None,
    clock: _Clock,
) -> tuple[Candidates, Assignment, Certificate]:
    """Pricing rounds until no allowed pair can improve the assignment (or ``max_rounds``).

    Each scan hands its row bounds to the next (:class:`~.pricing.RowBounds`), which then scores
    only the rows they do not prove; every pair a scan returns is added, as the bounds require.
    """
    mentees, mentors = np.flatnonzero(ok_e), np.flatnonzero(ok_o)
    locked_objective = quantize_locked(cands, result)
    history: list[tuple[int, int]] = []
    bound: int | None = None
    bounds: RowBounds | None = None
    while duals is not None:
        found = price(
            model,
            duals,
            cands,
            mentees=mentees,
            mentors=mentors,
            per_mentee=per_mentee,
            slack=slack,
            block_cells=block_cells,
            workers=workers,
            bounds=bounds,
        )
        bounds = found.bounds
        clock.lap("pricing")
        n_placed = int(np.count_nonzero(duals.free & (result.mentor_of >= 0)))
        bound = found.bound - duals.big * n_placed + locked_objective
        history.append((found.violations, len(found.mentee)))
        if found.violations == 0:
            return cands, result, _pricing(True, bound, history, duals, None)
        if len(history) >= max_rounds:
            return cands, result, _pricing(False, bound, history, duals, "rounds")
        # The pairs found, and those that nearly improve (they would be found next time).
        extra = Candidates(
            np.concatenate([found.mentee, found.reserve_mentee]),
            np.concatenate([found.mentor, found.reserve_mentor]),
            np.concatenate([found.score, found.reserve_score]),
            np.zeros(model.n_mentees, dtype=np.int64),
        )
        history[-1] = (found.violations, len(extra))
        cands = merge_candidates(cands, extra, model.n_mentors)
        result, duals = solve(cands, duals)
        clock.lap("reassign")
    return cands, result, _pricing(False, None, history, None, "duals")


ESTIMATE_PARTS = 8
"""Sub-markets of :func:`estimate_prices`."""


def estimate_prices(
    model: ScoreModel,
    ok_e: NDArray[np.bool_],
    capacity: NDArray[np.int64],
    locked: Sequence[tuple[int, int]],
    *,
    block_cells: int,
    workers: int | None,
    parts: int = ESTIMATE_PARTS,
    top_k: int = 50,
    mentor_top_k: int = 25,
) -> NDArray[np.float64]:
    """Estimates of the mentors' potentials (score units), from small markets like the whole.

    The free mentees and the mentors with places left are dealt into ``parts`` sub-markets
    (every ``parts``-th of each, in index order), each solved over its own candidates (a
    ``1 / parts`` share of the pairs in all), and each mentor takes its sub-market's
    potential: a market of the same make-up, smaller, clears at about the same prices. The
    candidates are then chosen by ``score - price``, the pairs most likely to matter after the
    solve: at 30 000 × 6 000 (uniform) the first pricing scan found 15 833 improving pairs with
    the raw scores' lists and its successor scored half the rows again; with these, 8 pairs and
    26 rows (region, uniform: 343 598 pairs and 88 643 rows, then 48 and 435). The skewed
    region's estimates are poorer (its first scan still finds 19 M pairs instead of 165 M; a
    fill round in each sub-market, as ``match()`` has, did not help: measured). Each
    sub-market takes the lowest of its optimal mentor potentials. Only a heuristic: whatever the
    estimates, the result is the optimum and the certificate proves it. Costs about as much as
    the first solve (as many candidates, in eight pieces).
    """
    n, m = model.n_mentees, model.n_mentors
    pairs = np.asarray(locked, dtype=np.int64).reshape(-1, 2)
    residual = capacity - np.bincount(pairs[:, 1], minlength=m)
    free = ok_e.copy()
    free[pairs[:, 0]] = False
    rows_all, cols_all = np.flatnonzero(free), np.flatnonzero(residual > 0)
    price = np.zeros(m)
    for part in range(parts):
        rows, cols = rows_all[part::parts], cols_all[part::parts]
        if rows.size == 0 or cols.size == 0:
            continue
        cands = candidates(
            model,
            top_k=min(top_k, cols.size),
            mentor_top_k=mentor_top_k,
            mentees=rows,
            mentors=cols,
            block_cells=block_cells,
            workers=workers,
        )
        cap = np.zeros(m, dtype=np.int64)
        cap[cols] = residual[cols]
        eligible = np.zeros(n, dtype=bool)
        eligible[rows] = True
        result = assign(cands.mentee, cands.mentor, cands.score, cap, n)
        duals = dual_potentials(cands, result, cap, eligible, "score", low=True)
        if duals is not None:
            price[cols] = duals.mentor[cols] / SCORE_SCALE
    return price


def _pricing(
    certified: bool,
    bound: int | None,
    history: list[tuple[int, int]],
    duals: Duals | None,
    reason: NotCertified | None,
) -> Certificate:
    # The pairs of the last scan were added only if another round followed.
    added = sum(h[1] for h in (history if certified or reason == "duals" else history[:-1]))
    return Certificate(
        method="pricing",
        certified=certified,
        bound=bound,
        rounds=len(history),
        pairs_added=added,
        violations=history[-1][0] if history else 0,
        duals=duals,
        reason=reason,
        history=tuple(history),
    )


class _Solver:
    """The optimal assignment over the candidates and its duals, solved over a part of them.

    The min-cost flow costs about as much as the pricing scan at region size, and most
    candidates are far from mattering: a pair whose reduced cost ``w - u - v`` is well below 0
    is not in the optimum and would not enter it after a small change of the duals. So after
    a pricing scan (or a fill round) the flow is solved over a *restricted* set, the pairs
    within ``margin`` of the last duals (and the locked ones), the duals of that
    optimum are checked against every candidate (in memory: no scoring), and the candidates
    that violate them are added and the restricted set solved again, until none does (column
    generation again, one level down). The result is then optimal over every candidate and the
    duals are feasible for every candidate: exactly what solving over all of them gives, as
    far as the pricing scan is concerned. The first solve (no duals yet) and small candidate
    sets are solved whole. Measured at 30 000 × 6 000 (CPU seconds, same run): the re-solves
    of the uniform base went from 5.8 s (solve and duals over every candidate) to 1.7 s.

    A flow solve costs more per node than per edge (a restricted set of a sixth of the edges
    took 40 % of the whole solve's time at region size), so when the duals move far, as after
    the first pricing scan of a skewed base, and a round would grow the restricted set by more
    than ``WHOLE_AFTER_GROWTH``, the candidates are solved whole at once instead of in several
    more rounds (region, skewed: 0.8 M edges growing to 2.2 M, then two more rounds of 8 s).
    """

    def __init__(
        self,
        capacity: NDArray[np.int64],
        ok_e: NDArray[np.bool_],
        locked: Sequence[tuple[int, int]],
        prefer: Prefer,
        *,
        restrict: bool,
        margin: float = 0.01,
    ) -> None:
        self.capacity = capacity
        self.ok_e = ok_e
        self.locked = locked
        self.prefer = prefer
        self.restrict = restrict
        self.margin = round(margin * SCORE_SCALE)
        n = ok_e.size
        pairs = np.asarray(locked, dtype=np.int64).reshape(-1, 2)
        self.locked_keys = np.unique(pairs[:, 0] * capacity.size + pairs[:, 1])
        is_locked = np.zeros(n, dtype=bool)
        is_locked[pairs[:, 0]] = True
        self.free = ok_e & ~is_locked
        self.residual = capacity - np.bincount(pairs[:, 1], minlength=capacity.size)

    def __call__(self, cands: Candidates, warm: Duals | None) -> tuple[Assignment, Duals | None]:
        if not self.restrict or warm is None or len(cands) <= SOLVE_WHOLE_UP_TO:
            # Without duals to start from, a restricted set took several rounds to settle and
            # cost more than one solve over every candidate (measured at 30 000 × 6 000).
            return self._whole(cands)
        n, m = self.ok_e.size, self.capacity.size
        q = quantize(cands.score)
        usable = self.free[cands.mentee] & (self.residual[cands.mentor] > 0)
        big = 0
        if self.prefer == "coverage":
            big = coverage_weight(cands.mentee[usable], q[usable], n)
        keep = np.zeros(len(cands), dtype=bool)
        if self.locked_keys.size:
            keep[np.searchsorted(cands.mentee * m + cands.mentor, self.locked_keys)] = True
        reduced = q + big - warm.mentee[cands.mentee] - warm.mentor[cands.mentor]
        keep |= usable & (reduced >= -self.margin)
        idx = np.flatnonzero(keep)
        part = self._part(cands, idx)
        result = self._assign(part)
        while True:
            duals = dual_potentials(part, result, self.capacity, self.ok_e, self.prefer, big)
            if duals is None:
                return self._whole(cands)
            reduced = q + big - duals.mentee[cands.mentee] - duals.mentor[cands.mentor]
            violate = usable & ~keep & (reduced > 0)
            if not violate.any():
                chosen = result.edge_of >= 0
                edge_of = np.full_like(result.edge_of, -1)
                edge_of[chosen] = idx[result.edge_of[chosen]]
                return replace(result, edge_of=edge_of), duals
            grown = keep | (usable & (reduced >= -self.margin))
            if np.count_nonzero(grown) > WHOLE_AFTER_GROWTH * idx.size:
                # The duals moved far (a skewed base after its first pricing scan): the next
                # rounds would cost more than one solve over every candidate.
                return self._whole(cands)
            new_idx = np.flatnonzero(grown)
            part = self._part(cands, new_idx)
            repaired = None
            if np.unique(cands.mentee[violate]).size <= REPAIR_UP_TO:
                repaired = self._repair(cands, q + big, usable, idx, new_idx, result, duals)
            result = repaired if repaired is not None else self._assign(part)
            keep, idx = grown, new_idx

    def _part(self, cands: Candidates, idx: NDArray[np.int64]) -> Candidates:
        return Candidates(
            cands.mentee[idx],
            cands.mentor[idx],
            cands.score[idx],
            np.bincount(cands.mentee[idx], minlength=self.ok_e.size).astype(np.int64),
        )

    def _repair(
        self,
        cands: Candidates,
        w: NDArray[np.int64],
        usable: NDArray[np.bool_],
        idx: NDArray[np.int64],
        new_idx: NDArray[np.int64],
        result: Assignment,
        duals: Duals,
    ) -> Assignment | None:
        """``result`` (optimal over ``idx``) repaired into the optimum over ``new_idx``."""
        n = self.ok_e.size
        sel = new_idx[usable[new_idx]]  # the edges the solver may use, canonical order
        free = self.free & (result.mentor_of >= 0)
        chosen = np.full(n, -1, dtype=np.int64)
        chosen[free] = np.searchsorted(sel, idx[result.edge_of[free]])
        out = repair(
            cands.mentee[sel],
            cands.mentor[sel],
            w[sel],
            np.maximum(self.residual, 0),
            chosen,
            duals.mentee,
            duals.mentor,
        )
        if out is None:
            return None
        edge_of = np.full(n, -1, dtype=np.int64)
        placed = out >= 0
        edge_of[placed] = np.searchsorted(new_idx, sel[out[placed]])
        locked = result.locked
        edge_of[locked] = np.searchsorted(new_idx, idx[result.edge_of[locked]])
        matched = edge_of >= 0
        picked = new_idx[edge_of[matched]]
        mentor_of = np.full(n, -1, dtype=np.int64)
        mentor_of[matched] = cands.mentor[picked]
        return Assignment(
            mentor_of=mentor_of,
            edge_of=edge_of,
            load=np.bincount(mentor_of[matched], minlength=self.capacity.size).astype(np.int64),
            total_score=float(cands.score[picked].sum()) if picked.size else 0.0,
            objective=int(quantize(cands.score[picked]).sum()),
            n_matched=int(picked.size),
            locked=locked,
        )

    def _assign(self, cands: Candidates) -> Assignment:
        return assign(
            cands.mentee,
            cands.mentor,
            cands.score,
            self.capacity,
            self.ok_e.size,
            locked=self.locked,
            prefer=self.prefer,
        )

    def _whole(self, cands: Candidates) -> tuple[Assignment, Duals | None]:
        result = self._assign(cands)
        if not self.restrict:  # every allowed pair is a candidate: no duals needed
            return result, None
        return result, dual_potentials(cands, result, self.capacity, self.ok_e, self.prefer)


def quantize_locked(cands: Candidates, result: Assignment) -> int:
    """The objective of the locked pairs alone (quantized as the solver does)."""
    edges = result.edge_of[result.locked]
    return int(np.rint(cands.score[edges] * SCORE_SCALE).astype(np.int64).sum())


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last  # fill rounds add up
        self._last = now


def _with_locked(
    cands: Candidates,
    model: ScoreModel,
    locked: Sequence[tuple[int, int]],
    ok_e: NDArray[np.bool_],
    ok_o: NDArray[np.bool_],
    workers: int | None,
) -> Candidates:
    """Add locked pairs missing from the candidates, keeping the canonical order."""
    pairs = np.asarray(locked, dtype=np.int64).reshape(-1, 2)
    mentee, mentor = pairs[:, 0], pairs[:, 1]
    if ((mentee < 0) | (mentee >= ok_e.size) | (mentor < 0) | (mentor >= ok_o.size)).any():
        raise InvalidInput("locked pairs must be (mentee, mentor) indices within the bases")
    for i, j in zip(mentee, mentor, strict=True):
        if not ok_e[i]:
            raise InvalidInput(f"locked mentee {i} is not eligible (consent or category)")
        if not ok_o[j]:
            raise InvalidInput(
                f"locked mentor {j} is not eligible (consent, category or capacity 0)"
            )
    scores = model.pair_scores(mentee, mentor)
    if (scores < 0).any():
        k = int(np.flatnonzero(scores < 0)[0])
        raise InvalidInput(
            f"locked pair ({mentee[k]}, {mentor[k]}) breaks a hard rule "
            "(exclusion, refusal or incompatible format)"
        )
    stride = model.n_mentors
    keys = cands.mentee * stride + cands.mentor
    want = mentee * stride + mentor
    want = np.unique(want)
    pos: NDArray[np.int64] = np.asarray(np.searchsorted(keys, want), dtype=np.int64)
    missing = np.ones(want.size, dtype=bool)
    if keys.size:
        inside = pos < keys.size
        missing[inside] = keys[pos[inside]] != want[inside]
    pos, want = pos[missing], want[missing]
    if want.size == 0:
        return cands
    # The scan's own float32 scores: a pair scores the same as a locked pair, a candidate or in
    # the pricing scan (the hard rules were checked above in float64).
    scores = block_pair_scores(
        model,
        np.flatnonzero(ok_o),
        want // stride,
        want % stride,
        workers,
        base=np.flatnonzero(ok_e),
    )
    new_mentee = np.insert(cands.mentee, pos, want // stride)
    new_mentor = np.insert(cands.mentor, pos, want % stride)
    new_score = np.insert(cands.score, pos, np.clip(scores, 0.0, None))
    per = cands.per_mentee + np.bincount(want // stride, minlength=cands.per_mentee.size)
    return Candidates(new_mentee, new_mentor, new_score, per)


def _reasons(
    mentees: MenteeFeatures,
    rules: Rules,
    cands: Candidates,
    result: Assignment,
    capacity: NDArray[np.int64],
) -> tuple[str | None, ...]:
    assert mentees.consent is not None
    assert mentees.category is not None
    n = mentees.n
    spare = (result.load < capacity)[cands.mentor]
    has_spare = np.bincount(cands.mentee, weights=spare, minlength=n) > 0
    reasons: list[str | None] = [None] * n
    unmatched = np.flatnonzero(result.mentor_of < 0)
    for i in unmatched:
        if rules.require_consent and not mentees.consent[i]:
            reasons[i] = REASON_NO_CONSENT
        elif (
            rules.mentee_categories is not None
            and int(mentees.category[i]) not in rules.mentee_categories
        ):
            reasons[i] = REASON_CATEGORY
        elif cands.per_mentee[i] == 0:
            reasons[i] = REASON_NO_CANDIDATE
        elif not has_spare[i]:
            reasons[i] = REASON_MENTORS_FULL
        else:
            reasons[i] = REASON_NOT_SELECTED
    return tuple(reasons)
