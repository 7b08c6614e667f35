"""Candidate generation: the best ``top_k`` mentors of every mentee, block by block.

Scores are computed for a block of mentees against all eligible mentors (one sgemm for the
bilinear parts, a scatter for the sparse ones, ``-inf`` for forbidden pairs), and only the
``top_k`` best non-negative pairs of each mentee are kept. Memory is bounded by the block,
``block_cells`` float32 scores at a time, whatever the size of the bases.

Selecting the top ``k`` of every row is the costly step (``argpartition`` over all pairs would
cost more than the scores themselves), so it is done exactly but cheaply:

1. a fixed, strided sample of the mentor columns gives, per row, a threshold that about ``2k``
   values of the row exceed;
2. the values at or above the threshold are gathered (a compare and a ``flatnonzero``);
3. rows where fewer than ``k`` values reached the threshold (the sample overshot) get their
   exact k-th value by a partition of the whole row, and gather again;
4. each row's k-th value among the gathered ones is found by a partition of a small padded
   matrix; values above it are kept, and values equal to it by increasing mentor index until
   the row has ``k``.

The result is exactly the top ``k`` with ties broken towards the lower mentor index, and does
not depend on the block size: each row's threshold comes from that row only (and see
``_ROW_CHUNK`` for the float32 products).

With ``mentor_top_k`` the best mentees of each mentor are kept too (see ``_MentorSide``), and the
union of both lists is returned: the assignment needs every mentor to be reachable, or the places
of the mentors nobody ranks first stay empty.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from threadpoolctl import threadpool_limits

from nastavnik.matching.engine.errors import InvalidInput
from nastavnik.matching.engine.scoring import ScoreModel

__all__ = [
    "BlockScorer",
    "Candidates",
    "block_pair_scores",
    "blocks_of",
    "candidates",
    "in_order",
    "merge_candidates",
]

Rows = NDArray[np.int64]
T = TypeVar("T")

_ROW_CHUNK = 64
"""BLAS rounds a product differently for a handful of rows (gemv and small-matrix kernels) than
for many, and even for 64 rows than for 640, so a mentee's scores would depend on the size of
its block. Every product is done on exactly this many rows (the last chunk padded with zero
rows), with one BLAS thread. The rounding of a row also depends on its *slot* in those 64 rows
(OpenBLAS's Haswell kernel: about 7 % of the values differ by an ulp when a row moves), though
not on the other rows; so every mentee has one slot, its rank among the rows of the base scan
(the eligible mentees) modulo 64, and a scan of other rows (a fill round, pricing after locks)
puts each row in its slot (see :meth:`BlockScorer.scores`). A row's float32 scores, and so the
choice between near-equal mentors, are then the same whatever the block, the scan
(candidates, fill round, pricing) or the number of workers."""
_LOW32 = np.int64(0xFFFFFFFF)
_NEGATIVE = np.float32(-0.25)
"""Scores are >= 0 up to float32 rounding; forbidden pairs are far below this."""


@dataclass(frozen=True)
class Candidates:
    """Candidate edges sorted by (mentee, mentor), ready for :func:`assign`.

    Attributes:
        mentee, mentor: ``(E,)`` int64.
        score: ``(E,)`` float64 in [0, 1].
        per_mentee: ``(n_mentees,)`` int64, number of candidates kept per mentee.
    """

    mentee: NDArray[np.int64]
    mentor: NDArray[np.int64]
    score: NDArray[np.float64]
    per_mentee: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.mentee.shape[0])


def candidates(
    model: ScoreModel,
    *,
    top_k: int = 50,
    mentor_top_k: int = 0,
    mentees: Rows | None = None,
    mentors: Rows | None = None,
    block_cells: int = 1 << 23,
    workers: int | None = None,
    only_mentors: Rows | None = None,
    base: Rows | None = None,
    price: NDArray[np.float64] | None = None,
) -> Candidates:
    """The ``top_k`` best allowed mentors of each mentee, and optionally the other way round.

    Args:
        model: the score model (see :func:`~nastavnik.matching.engine.scoring.build_model`).
        top_k: how many mentors to keep per mentee.
        mentor_top_k: also keep the ``mentor_top_k`` best mentees of each mentor (0: don't).
            Per-mentee lists alone crowd onto the mentors everybody likes and leave the
            others' places unused; a few edges from every mentor's side let the assignment
            fill those places (see docs/benchmarks.md for the effect).
        mentees, mentors: eligible indices (consent, categories, capacity…); default all.
        block_cells: scores held at once per worker (float32): the memory bound.
        only_mentors: choose among these mentors only (a subset of ``mentors``), still scoring
            every column of ``mentors``: a product over fewer columns can round differently,
            and a pair must score the same whichever scan finds it.
        base: the mentees whose order gives every mentee its slot in the products (see
            ``_ROW_CHUNK``): the eligible mentees, when ``mentees`` are only some of them; by
            default ``mentees``.
        workers: threads scoring blocks in parallel (numpy and BLAS release the GIL);
            default ``min(2, cpu count)``: besides the product, most of the work (scatter,
            selection) is single-threaded numpy, so two blocks in flight use both cores
            (measured 10–25 % faster on 2 cores). The result does not depend on it.
        price: ``(n_mentors,)``, in score units: choose each mentee's ``top_k`` by ``score -
            price`` (mentor side by score, the same order); the scores kept are the pairs' own.
            With estimates of the assignment's mentor potentials, these are the pairs most
            likely to matter (see ``match``).
    """
    if top_k < 1:
        raise InvalidInput(f"top_k must be >= 1, not {top_k}")
    if mentor_top_k < 0:
        raise InvalidInput(f"mentor_top_k must be >= 0, not {mentor_top_k}")
    if block_cells < 1:
        raise InvalidInput(f"block_cells must be >= 1, not {block_cells}")
    rows_all = _indices(mentees, model.n_mentees, "mentees")
    cols = _indices(mentors, model.n_mentors, "mentors")
    per_mentee = np.zeros(model.n_mentees, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if rows_all.size == 0 or cols.size == 0:
        return Candidates(empty, empty.copy(), np.zeros(0), per_mentee)

    side = _MentorSide(cols.size, mentor_top_k) if mentor_top_k > 0 else None
    scorer = BlockScorer(model, cols, top_k, side, base=base)
    if only_mentors is not None:
        kept = np.isin(cols, _indices(only_mentors, model.n_mentors, "only_mentors"))
        scorer.blocked = np.flatnonzero(~kept)
    if price is not None:
        # score + (max - price) >= score: forbidden pairs stay below _NEGATIVE.
        own = np.asarray(price, dtype=np.float64)[cols]
        scorer.offset = (own.max(initial=0.0) - own).astype(np.float32)
    parts: list[tuple[Rows, Rows, NDArray[np.float32]]] = []
    for block, ((row, col, value), gathered) in in_order(
        scorer, blocks_of(rows_all, cols.size, block_cells), workers
    ):
        parts.append((block[row], cols[col], value))
        if side is not None:
            assert gathered is not None
            side.add(block, gathered)

    mentee = np.concatenate([p[0] for p in parts])
    mentor = np.concatenate([p[1] for p in parts])
    score = np.concatenate([p[2] for p in parts])
    if side is not None:
        mentee, mentor, score = _union((mentee, mentor, score), side.result(cols), model.n_mentors)
    score = score.astype(np.float64)
    np.maximum(score, 0.0, out=score)  # float32 rounding can leave -1e-8 for a true 0
    per_mentee += np.bincount(mentee, minlength=model.n_mentees)
    return Candidates(mentee, mentor, score, per_mentee)


_Entries = tuple[Rows, Rows, NDArray[np.float32]]
"""Block-local (row, column, value) entries."""
_Gathered = tuple[_Entries, NDArray[np.float32] | None]
"""A block's entries for the mentor-side lists, and its own threshold if none was set yet."""


def blocks_of(rows: Rows, width: int, block_cells: int) -> list[Rows]:
    """Blocks of rows of about ``block_cells`` cells, in whole chunks of rows (see _ROW_CHUNK)."""
    block_rows = max(1, block_cells // max(width, 1) // _ROW_CHUNK) * _ROW_CHUNK
    return [rows[s : s + block_rows] for s in range(0, rows.size, block_rows)]


def in_order(
    work: Callable[[Rows], T], blocks: list[Rows], workers: int | None
) -> Iterator[tuple[Rows, T]]:
    """Run ``work`` on each block, possibly in threads, yielding in block order.

    ``workers`` threads (default ``min(2, cpu count)``) with few blocks in flight, so memory
    stays bounded by the blocks. The workers are the parallelism: a BLAS pool per product on top
    of them oversubscribes the cores (measured: a third more CPU time for the same result), so
    BLAS is limited to one thread (also with one worker: the rounding must not depend on it).
    """
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    with threadpool_limits(limits=1, user_api="blas"):
        if n_workers <= 1 or len(blocks) <= 1:
            for block in blocks:
                yield block, work(block)
            return
        with ThreadPoolExecutor(n_workers) as pool:
            pending: deque[tuple[Rows, Future[T]]] = deque()
            for block in blocks:
                pending.append((block, pool.submit(work, block)))
                if len(pending) > n_workers:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()


class _MentorSide:
    """The best ``k`` mentees of every mentor, kept across blocks with a rising threshold.

    A score below a mentor's current k-th best can never enter that mentor's final list, so
    each block only gathers the entries at or above the per-mentor threshold (one compare per
    pair, done by the worker that scored the block: :meth:`gather`); the pool is cut back to k
    per mentor, and the thresholds raised, when it grows (:meth:`add`, in block order). A worker
    may read a threshold that has been raised since: it is then lower than it could be and
    gathers a few entries more, which the next cut drops, so the result does not depend on the
    timing. Rows arrive in increasing mentee order, so a stable sort by (mentor, score
    descending) breaks ties towards the lower mentee, whatever the blocks.
    """

    def __init__(self, width: int, k: int) -> None:
        self.width = width
        self.k = k
        # Replaced, never written in place: workers read it without a lock.
        self.threshold: NDArray[np.float32] | None = None
        self.pool: list[_Entries] = []
        self.size = 0

    def gather(self, scores: NDArray[np.float32]) -> _Gathered:
        """The entries of a block that may enter a mentor's list (thread-safe: reads only)."""
        n_rows, width = scores.shape
        threshold = self.threshold
        own = None
        if threshold is None:
            if n_rows > self.k:
                kth = np.partition(scores, n_rows - self.k, axis=0)[n_rows - self.k]
            else:
                kth = np.full(width, _NEGATIVE, dtype=np.float32)
            threshold = own = np.maximum(kth, _NEGATIVE)
        flat = np.flatnonzero(scores >= threshold[None, :])
        row = flat // width
        return (row, flat - row * width, scores.reshape(-1)[flat]), own

    def add(self, rows: Rows, gathered: _Gathered) -> None:
        (row, col, value), own = gathered
        if self.threshold is None and own is not None:
            self.threshold = own
        self.pool.append((rows[row], col, value))
        self.size += row.size
        if self.size > 4 * self.k * self.width:
            self._prune()

    def _prune(self) -> None:
        assert self.threshold is not None
        row = np.concatenate([p[0] for p in self.pool])
        col = np.concatenate([p[1] for p in self.pool])
        value = np.concatenate([p[2] for p in self.pool])
        bits = np.maximum(value, np.float32(0)).view(np.uint32).astype(np.int64)
        order = np.argsort((col << 32) | (_LOW32 - bits), kind="stable")
        row, col, value = row[order], col[order], value[order]
        starts = np.searchsorted(col, np.arange(self.width))
        rank = np.arange(col.size) - starts[col]
        keep = rank < self.k
        full = rank == self.k - 1
        threshold = self.threshold.copy()
        threshold[col[full]] = np.maximum(value[full], _NEGATIVE)
        self.threshold = threshold
        self.pool = [(row[keep], col[keep], value[keep])]
        self.size = int(keep.sum())

    def result(self, cols: Rows) -> _Entries:
        if not self.pool:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy(), np.zeros(0, dtype=np.float32)
        self._prune()
        row, col, value = self.pool[0]
        keep = value >= _NEGATIVE
        return row[keep], cols[col[keep]], value[keep]


def block_pair_scores(
    model: ScoreModel,
    cols: Rows,
    mentee: Rows,
    mentor: Rows,
    workers: int | None = None,
    base: Rows | None = None,
) -> NDArray[np.float64]:
    """Scores of given pairs exactly as a scan over the mentor columns ``cols`` computes them.

    Every ``mentor`` must be in ``cols``. The same float32 values as :func:`candidates` (and the
    pricing scan) give, so a pair has one score whichever way it became a candidate.
    """
    scorer = BlockScorer(model, cols, 1, None, base=base)
    rows, back = np.unique(mentee, return_inverse=True)
    # Through in_order for the same BLAS threading as the scans (it can change the rounding).
    ((_, block),) = in_order(scorer.scores, [rows], workers)
    position = np.searchsorted(cols, mentor)
    return block[back, position].astype(np.float64)


def merge_candidates(first: Candidates, second: Candidates, n_mentors: int) -> Candidates:
    """Edges of both, each pair once (first's score kept), in canonical order."""
    mentee, mentor, score = _union(
        (first.mentee, first.mentor, first.score),
        (second.mentee, second.mentor, second.score),
        n_mentors,
    )
    per_mentee = np.bincount(mentee, minlength=first.per_mentee.size).astype(np.int64)
    return Candidates(mentee, mentor, score, per_mentee)


def _union(
    first: tuple[Rows, Rows, NDArray[Any]],
    second: tuple[Rows, Rows, NDArray[Any]],
    n_mentors: int,
) -> tuple[Rows, Rows, NDArray[Any]]:
    """Edges of both sets, each pair once, sorted by (mentee, mentor); ``first`` is sorted."""
    key_a = first[0] * n_mentors + first[1]
    key_b = second[0] * n_mentors + second[1]
    pos = np.minimum(np.searchsorted(key_a, key_b), max(key_a.size - 1, 0))
    new = key_a[pos] != key_b if key_a.size else np.ones(key_b.size, dtype=bool)
    take = np.flatnonzero(new)
    key_b = key_b[take]
    if key_b.size > 1 and not bool((key_b[1:] >= key_b[:-1]).all()):
        order = np.argsort(key_b, kind="stable")
        take, key_b = take[order], key_b[order]
    # Merge the short sorted run into the long one: each new key goes before the first larger
    # key of ``first`` (none is equal), equal new keys in their order; no sort of the whole.
    at = np.searchsorted(key_a, key_b)
    value_a = first[2].astype(np.result_type(first[2], second[2]), copy=False)
    return (
        np.insert(first[0].astype(np.int64, copy=False), at, second[0][take]),
        np.insert(first[1].astype(np.int64, copy=False), at, second[1][take]),
        np.insert(value_a, at, second[2][take]),
    )


class BlockScorer:
    """Scores one block of mentees and keeps each row's top k (thread-safe: no shared writes)."""

    def __init__(
        self,
        model: ScoreModel,
        cols: Rows,
        top_k: int,
        side: _MentorSide | None,
        *,
        base: Rows | None = None,
    ) -> None:
        self.model = model
        # Each mentee's rank in the base scan (its slot is the rank modulo _ROW_CHUNK); None:
        # the rows given are the base rows, whole chunks of them in order.
        self.rank: Rows | None = None
        if base is not None:
            self.rank = np.full(model.n_mentees, -1, dtype=np.int64)
            self.rank[base] = np.arange(base.size)
        self.side = side
        self.cols = cols
        self.top_k = top_k
        self.design = np.ascontiguousarray(model.mentor_design[cols].T)
        # Mentor index → column of the block, or -1 for a mentor that is not eligible.
        self.position = np.full(model.n_mentors, -1, dtype=np.int64)
        self.position[cols] = np.arange(cols.size)
        width = cols.size
        # Sample every stride-th column; its r-th largest value passes ~2k values of a row.
        self.stride = max(1, (2 * top_k) // 8)
        sample = (width + self.stride - 1) // self.stride
        self.sample_rank = min(sample, -(-2 * top_k // self.stride))
        self.exhaustive = width <= 2 * top_k or self.stride == 1
        self.blocked: Rows | None = None  # columns scored but never chosen
        self.offset: NDArray[np.float32] | None = None  # added to choose by (see ``price``)

    def __call__(self, rows: Rows) -> tuple[_Entries, _Gathered | None]:
        """Block-local (row, column, score) of each row's top k, and the mentor-side entries."""
        scores = self.scores(rows)
        gathered = self.side.gather(scores) if self.side is not None else None
        if self.offset is None:
            return self.select(scores), gathered
        row, col, _ = self.select(scores + self.offset[None, :])
        value = scores[row, col]
        keep = value >= _NEGATIVE  # a pair scored below it is forbidden, whatever its price
        return (row[keep], col[keep], value[keep]), gathered

    def scores(self, rows: Rows) -> NDArray[np.float32]:
        model = self.model
        rank = None if self.rank is None else self.rank[rows]
        if rank is not None and (
            rows.size == 0
            or (rank[0] % _ROW_CHUNK == 0 and bool((rank == rank[0] + np.arange(rows.size)).all()))
        ):
            rank = None  # consecutive base rows from a chunk's start: already in their slots
        if rank is None:
            block = self._dense(model.mentee_design[rows])
        else:
            block = self._dense_in_slots(rows, rank)
        width = self.cols.size
        flat = block.reshape(-1)
        for weight, term in model.sparse_terms:
            part = term.block(rows)
            if part.nnz:
                r, c, v = _scatter_targets(part, self.position)
                # CSR entries are unique, so a fancy += adds each exactly once.
                flat[r * width + c] += v * np.float32(weight)
        banned = model.forbidden[rows]
        if banned.nnz:
            r, c, _ = _scatter_targets(banned, self.position)
            flat[r * width + c] = -np.inf
        if self.blocked is not None and self.blocked.size:
            block[:, self.blocked] = -np.inf
        return block

    def _dense(self, design: NDArray[np.float32]) -> NDArray[np.float32]:
        """The products of consecutive rows, each in its place in chunks of _ROW_CHUNK."""
        n_rows = design.shape[0]
        padded = -(-n_rows // _ROW_CHUNK) * _ROW_CHUNK
        if padded != n_rows:
            design = np.vstack(
                [design, np.zeros((padded - n_rows, design.shape[1]), dtype=design.dtype)]
            )
        # One product per chunk of rows, all of the same shape: BLAS picks its kernel (and so
        # its rounding) by the shape, so a block of 64 rows and one of 640 would differ.
        block = np.empty((padded, self.cols.size), dtype=np.float32)
        for start in range(0, padded, _ROW_CHUNK):
            chunk = slice(start, start + _ROW_CHUNK)
            np.matmul(design[chunk], self.design, out=block[chunk])
        return block[:n_rows]

    def _dense_in_slots(self, rows: Rows, rank: Rows) -> NDArray[np.float32]:
        """The products of any rows, each in its own slot of a chunk (the others zero)."""
        if (rank < 0).any():
            raise InvalidInput("rows outside the base scan have no slot")
        slot = rank % _ROW_CHUNK
        order = np.argsort(slot, kind="stable")
        starts = np.searchsorted(slot[order], np.arange(_ROW_CHUNK))
        # The t-th row of each slot goes to chunk t: rows share chunks, never slots.
        turn = np.empty(rows.size, dtype=np.int64)
        turn[order] = np.arange(rows.size) - starts[slot[order]]
        design = self.model.mentee_design
        block = np.empty((rows.size, self.cols.size), dtype=np.float32)
        chunk = np.zeros((_ROW_CHUNK, design.shape[1]), dtype=design.dtype)
        out = np.empty((_ROW_CHUNK, self.cols.size), dtype=np.float32)
        by_turn = np.argsort(turn, kind="stable")
        bounds = np.searchsorted(turn[by_turn], np.arange(int(turn.max()) + 2))
        for t in range(bounds.size - 1):
            members = by_turn[bounds[t] : bounds[t + 1]]
            chunk[:] = 0
            chunk[slot[members]] = design[rows[members]]
            np.matmul(chunk, self.design, out=out)
            block[members] = out[slot[members]]
        return block

    def select(self, scores: NDArray[np.float32]) -> tuple[Rows, Rows, NDArray[np.float32]]:
        n_rows, width = scores.shape
        k = self.top_k
        if self.exhaustive:
            threshold = np.full(n_rows, _NEGATIVE, dtype=np.float32)
        else:
            sample = scores[:, :: self.stride]
            kth = sample.shape[1] - self.sample_rank
            threshold = np.partition(sample, kth, axis=1)[:, kth]
            np.maximum(threshold, _NEGATIVE, out=threshold)
        flat = np.flatnonzero(scores >= threshold[:, None])
        counts = np.bincount(flat // width, minlength=n_rows)
        short = np.flatnonzero((counts < k) & (threshold > _NEGATIVE))
        if short.size:
            # The sample overshot for these rows: use their exact k-th value instead.
            rows = scores[short]
            exact = np.partition(rows, width - k, axis=1)[:, width - k]
            threshold[short] = np.maximum(exact, _NEGATIVE)
            redo = np.flatnonzero(rows >= threshold[short][:, None])
            is_short = np.zeros(n_rows, dtype=bool)
            is_short[short] = True
            redone = short[redo // width] * width + redo % width
            flat = np.concatenate([flat[~is_short[flat // width]], redone])
            flat.sort()
        row = flat // width
        col = flat - row * width
        values = scores.reshape(-1)[flat]
        return _top_per_row(row, col, values, n_rows, k)


def _top_per_row(
    row: Rows, col: Rows, values: NDArray[np.float32], n_rows: int, k: int
) -> tuple[Rows, Rows, NDArray[np.float32]]:
    """The k best entries of each row (ties to the lower column), kept in (row, col) order.

    The entries come in (row, col) order. Each row's k-th value is found with one partition of
    a small padded matrix; entries above it are kept, and so are the first entries equal to it
    until the row has k: no sort of the entries is needed.
    """
    counts = np.bincount(row, minlength=n_rows)
    if counts.size == 0 or counts.max() <= k:
        return row, col, values
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    width = int(counts.max())
    padded = np.full((n_rows, width), -np.inf, dtype=np.float32)
    padded[row, np.arange(row.size) - starts[row]] = values
    kth = -np.partition(-padded, k - 1, axis=1)[:, k - 1]
    above = values > kth[row]
    keep = above.copy()
    room = k - np.bincount(row[above], minlength=n_rows)
    ties = np.flatnonzero(values == kth[row])
    tie_rows = row[ties]
    tie_rank = np.arange(ties.size) - np.searchsorted(tie_rows, tie_rows)
    keep[ties[tie_rank < room[tie_rows]]] = True
    return row[keep], col[keep], values[keep]


def _scatter_targets(
    matrix: sparse.csr_array, position: NDArray[np.int64]
) -> tuple[Rows, Rows, NDArray[np.float32]]:
    """(row, block column, value) of the entries of a CSR block whose mentor is eligible."""
    counts = np.diff(matrix.indptr)
    row = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), counts)
    col = position[matrix.indices]
    keep = col >= 0
    return row[keep], col[keep], matrix.data[keep].astype(np.float32)


def _indices(values: Rows | None, size: int, name: str) -> Rows:
    if values is None:
        return np.arange(size, dtype=np.int64)
    arr = np.asarray(values, dtype=np.int64)
    if arr.ndim != 1 or (arr.size and (arr.min() < 0 or arr.max() >= size)):
        raise InvalidInput(f"{name} must be indices in [0, {size})")
    if arr.size > 1 and not bool((np.diff(arr) > 0).all()):
        arr = np.unique(arr)
    return arr
