"""Building blocks of scores: a factor is a bilinear dense part plus optional sparse parts.

Scoring every mentee against every mentor is a matrix of ``n × m`` values; at the size of a
region that is two billion pairs, so each factor is written in a form that a few fast kernels can
evaluate for a whole block of mentees at once:

* a **bilinear** part: ``value[i, j] = mentee[i] · mentor[j]`` with small dense design matrices.
  Coverage of deficits, achievement tables, availability bits, format and age tables, experience
  ramps all fit this form exactly (see :mod:`nastavnik.matching.engine.factors`), so the weighted
  sum of all of them is **one** matrix product (BLAS sgemm) per block;
* **sparse** parts for what is rare: the wishes, pairs from the same class, and the rare lemmas of
  the free-text similarity. They are added to the dense block by scattering their nonzeros.

The same factor objects also evaluate single pairs (for explanations) so a pair's breakdown
adds up to the score it was ranked by, up to float32 rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

__all__ = [
    "Factor",
    "SparseProduct",
    "SparseTable",
    "SparseTerm",
    "rows_of",
    "split_bilinear",
]

Rows = NDArray[np.int64]
Details = Callable[[int, int], Mapping[str, Any]]


class SparseTerm(Protocol):
    """A sparse ``(n_mentees, n_mentors)`` contribution, evaluated by blocks of rows or by pairs."""

    def block(self, rows: Rows) -> sparse.csr_array:
        """``(len(rows), n_mentors)`` CSR with sorted indices."""
        ...

    def pairs(self, mentee: Rows, mentor: Rows) -> NDArray[np.float64]: ...


@dataclass(frozen=True)
class SparseProduct:
    """``scale * a @ b.T`` for sparse ``a`` (mentees × L) and ``b`` (mentors × L)."""

    a: sparse.csr_array
    b: sparse.csr_array
    scale: float = 1.0
    _bt: sparse.csr_array = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # b.T in CSR (i.e. b in CSC) once, so every block product is CSR @ CSR.
        object.__setattr__(self, "_bt", sparse.csr_array(self.b.T))

    def block(self, rows: Rows) -> sparse.csr_array:
        product = sparse.csr_array(self.a[rows] @ self._bt)
        if self.scale != 1.0:
            product.data *= self.scale
        product.sort_indices()
        return product

    def pairs(self, mentee: Rows, mentor: Rows) -> NDArray[np.float64]:
        if mentee.size == 0:
            return np.zeros(0)
        dots = self.a[mentee].multiply(self.b[mentor]).sum(axis=1)
        return np.asarray(dots, dtype=np.float64).ravel() * self.scale


@dataclass(frozen=True)
class SparseTable:
    """An explicit sparse ``(n_mentees, n_mentors)`` matrix of values."""

    matrix: sparse.csr_array
    _keys: NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        matrix = sparse.csr_array(self.matrix, dtype=np.float32)
        matrix.sum_duplicates()
        matrix.sort_indices()
        object.__setattr__(self, "matrix", matrix)
        keys = rows_of(matrix) * max(matrix.shape[1], 1) + matrix.indices
        object.__setattr__(self, "_keys", keys)

    def block(self, rows: Rows) -> sparse.csr_array:
        return sparse.csr_array(self.matrix[rows])

    def pairs(self, mentee: Rows, mentor: Rows) -> NDArray[np.float64]:
        values = np.zeros(mentee.shape[0])
        if self._keys.size == 0 or mentee.size == 0:
            return values
        want = mentee * max(self.matrix.shape[1], 1) + mentor
        pos = np.minimum(np.searchsorted(self._keys, want), self._keys.size - 1)
        hit = self._keys[pos] == want
        values[hit] = self.matrix.data[pos[hit]]
        return values


@dataclass(frozen=True)
class Factor:
    """One scoring factor, value in [0, 1] for every pair.

    Attributes:
        code: stable identifier (``"deficit_coverage"``, …); the UI maps it to a Russian name.
        mentee, mentor: dense designs ``(n_mentees, d)`` and ``(n_mentors, d)`` float32; the
            bilinear part of the value is ``mentee[i] @ mentor[j]``. ``d`` may be 0.
        sparse_terms: further contributions added to the bilinear part.
        details: ``(mentee, mentor) → mapping`` with the factor's evidence for one pair
            (competency ids, shared lemmas, …), computed only when explaining.
    """

    code: str
    mentee: NDArray[np.float32]
    mentor: NDArray[np.float32]
    sparse_terms: tuple[SparseTerm, ...] = ()
    details: Details | None = None

    def __post_init__(self) -> None:
        assert self.mentee.ndim == 2
        assert self.mentor.ndim == 2
        assert self.mentee.shape[1] == self.mentor.shape[1], self.code

    def pair_values(self, mentee: Rows, mentor: Rows) -> NDArray[np.float64]:
        """Values for the pairs ``(mentee[p], mentor[p])``, vectorized."""
        values = np.einsum("pd,pd->p", self.mentee[mentee], self.mentor[mentor], dtype=np.float64)
        for term in self.sparse_terms:
            values += term.pairs(mentee, mentor)
        return values

    def describe(self, mentee: int, mentor: int) -> Mapping[str, Any]:
        return {} if self.details is None else self.details(mentee, mentor)


def rows_of(matrix: sparse.csr_array) -> NDArray[np.int64]:
    """Row index of every stored entry of a CSR matrix."""
    counts = np.diff(matrix.indptr)
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int64), counts)


def split_bilinear(
    a: sparse.csr_array,
    b: sparse.csr_array,
    *,
    dense_share: float = 4e-4,
) -> tuple[NDArray[np.float32], NDArray[np.float32], SparseProduct | None]:
    """Split ``a @ b.T`` into a dense bilinear part and a sparse product, exactly.

    A column (a competency, a lemma) shared by many people on both sides would make the sparse
    product nearly dense and slow, while a rare one would waste a dense column that costs the
    same on every pair. A column goes dense when the share of pairs it touches,
    ``df_a * df_b / (n_a * n_b)``, exceeds ``dense_share``: the point where a BLAS
    multiply-add over all pairs becomes cheaper than sparse products and scatters over the
    pairs it touches. Measured on the benchmark machine: a dense column costs ~0.023 ns per
    pair, a sparse product plus scatter ~60 ns per touched pair, hence 4e-4. Columns touching
    no pair are dropped.
    Returns ``(mentee_design, mentor_design, sparse_rest_or_None)``.
    """
    a = sparse.csr_array(a, dtype=np.float32)
    b = sparse.csr_array(b, dtype=np.float32)
    n_cols = max(a.shape[1], b.shape[1])
    a.resize((a.shape[0], n_cols))
    b.resize((b.shape[0], n_cols))
    df_a = np.bincount(a.indices, minlength=n_cols).astype(np.float64)
    df_b = np.bincount(b.indices, minlength=n_cols).astype(np.float64)
    touched = df_a * df_b
    pairs = max(a.shape[0] * b.shape[0], 1)
    dense_cols = np.flatnonzero(touched / pairs > dense_share)
    sparse_cols = np.flatnonzero((touched > 0) & (touched / pairs <= dense_share))
    a_csc = sparse.csc_array(a)
    b_csc = sparse.csc_array(b)
    mentee = np.ascontiguousarray(a_csc[:, dense_cols].toarray(), dtype=np.float32)
    mentor = np.ascontiguousarray(b_csc[:, dense_cols].toarray(), dtype=np.float32)
    rest = None
    if sparse_cols.size:
        rest = SparseProduct(
            sparse.csr_array(a_csc[:, sparse_cols]), sparse.csr_array(b_csc[:, sparse_cols])
        )
    return mentee, mentor, rest
