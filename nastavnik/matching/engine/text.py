"""Russian free text → lemmas → TF-IDF vectors, and cosine similarity between two sides.

Interests and requests are written freely («занимаюсь робототехникой», «хочу подтянуть
математику»). Words are folded (ё→е, lower case), lemmatized with pymorphy3 so that
«робототехникой» and «робототехника» meet, and function words (prepositions, conjunctions,
particles, interjections, pronouns) plus a short list of generic verbs are dropped. Each text
becomes a TF-IDF row (scipy.sparse CSR, L2-normalised), so the cosine similarity of two texts is
the dot product of their rows and a whole block of similarities is one sparse matrix product.

Lemmatization is the slow part (a dictionary lookup per word form), so lemmas are cached per
word form and the analyzer is created once per process.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pymorphy3
from numpy.typing import NDArray
from scipy import sparse

__all__ = ["STOP_WORDS", "RussianTextVectorizer", "fold", "shared_phrases", "tokenize"]

# Words with inner hyphens («научно-популярный», «3d-печать»); «c++» and «c#» stay whole.
_TOKEN = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*(?:\+\+|#)?")

# Parts of speech that carry no topic (pymorphy3 / OpenCorpora tags).
_STOP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED"})

STOP_WORDS: frozenset[str] = frozenset(
    """
    быть весь все всё это этот тот такой который свой мочь хотеть хотеться нравиться
    любить интересоваться интересный интерес заниматься увлекаться увлечение
    очень также еще ещё уже как так там тут где когда чтобы если или либо
    год раз другой разный иметь делать сделать стать
    """.replace("ё", "е").split()
)
"""Lemmas dropped besides function words: the scaffolding of «мне нравится…», «увлекаюсь…»."""


def fold(text: str) -> str:
    """Lower-case and fold ё→е, as the glossary asks for search and matching."""
    return text.lower().replace("ё", "е")


def tokenize(text: str) -> list[str]:
    """Folded word tokens (letters and digits, inner hyphens kept: «научно-популярный»)."""
    return _TOKEN.findall(fold(text))


def _words(text: str) -> list[str]:
    """Lower-case tokens with ё kept: what the person wrote, for display."""
    return _TOKEN.findall(text.lower())


@functools.cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    # Loading the dictionaries takes a while and a lot of memory: once per process.
    return pymorphy3.MorphAnalyzer()


class _LemmaCache:
    """Folded word form → (folded lemma or "" for a stop word, dictionary form with ё).

    Shared by every vectorizer in the process.
    """

    def __init__(self) -> None:
        self._lemmas: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def lemma(self, word: str) -> str:
        return self.entry(word)[0]

    def entry(self, word: str) -> tuple[str, str]:
        cached = self._lemmas.get(word)
        if cached is not None:
            return cached
        entry = self._lemmatize(word)
        with self._lock:
            self._lemmas[word] = entry
        return entry

    @staticmethod
    def _lemmatize(word: str) -> tuple[str, str]:
        if len(word) < 2:
            return "", ""
        parses = _analyzer().parse(word)
        best = parses[0]
        # A word that is itself a dictionary lemma usually means that lemma: the analyzer's
        # first guess for «математика» is the genitive of «математик».
        for parse in parses:
            if fold(parse.normal_form) == word and parse.tag.POS == best.tag.POS:
                best = parse
                break
        if best.tag.POS in _STOP_POS:
            return "", ""
        lemma = fold(best.normal_form)
        if lemma in STOP_WORDS:
            return "", ""
        return lemma, best.normal_form


_CACHE = _LemmaCache()


def lemmatize(text: str) -> list[str]:
    """Content lemmas of a text, in order, repeats kept."""
    return [lemma for lemma in map(_CACHE.lemma, tokenize(text)) if lemma]


@dataclass
class RussianTextVectorizer:
    """TF-IDF over lemmas, fitted on the texts of both sides of a matching.

    Attributes (after :meth:`fit`):
        vocabulary: lemma → column.
        lemmas: column → lemma.
        surface: column → the first word form seen for that lemma, lower case with ё as written
            («робототехникой»): shows what a person actually wrote.
        display: column → the dictionary form with ё («робототехника», «ёлка»): what the UI
            lists as «общие интересы: робототехника, шахматы».
        idf: ``(n_lemmas,)`` float64, smoothed: ``log((1 + N) / (1 + df)) + 1``.
    """

    sublinear_tf: bool = True
    vocabulary: dict[str, int] = field(default_factory=dict)
    lemmas: list[str] = field(default_factory=list)
    surface: list[str] = field(default_factory=list)
    display: list[str] = field(default_factory=list)
    idf: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def fit(self, *corpora: Iterable[str]) -> RussianTextVectorizer:
        """Learn the vocabulary and document frequencies from one or more corpora."""
        memo: dict[str, _Doc] = {}
        self._fit_docs([_analyse(text, memo) for corpus in corpora for text in corpus])
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_array:
        """``(len(texts), n_lemmas)`` float32 CSR, rows L2-normalised (empty text → zero row)."""
        memo: dict[str, _Doc] = {}
        return self._transform_docs([_analyse(text, memo) for text in texts])

    def fit_transform(
        self, mentees: Sequence[str], mentors: Sequence[str]
    ) -> tuple[sparse.csr_array, sparse.csr_array]:
        """Fit on both sides at once and return both matrices (each text analysed once)."""
        memo: dict[str, _Doc] = {}
        docs_e = [_analyse(text, memo) for text in mentees]
        docs_o = [_analyse(text, memo) for text in mentors]
        self._fit_docs(docs_e + docs_o)
        return self._transform_docs(docs_e), self._transform_docs(docs_o)

    def _fit_docs(self, docs: Sequence[_Doc]) -> None:
        df: list[int] = [0] * len(self.lemmas)
        for doc in docs:
            for lemma, word, display in doc:
                if lemma not in self.vocabulary:
                    self.vocabulary[lemma] = len(self.lemmas)
                    self.lemmas.append(lemma)
                    self.surface.append(word)
                    self.display.append(display)
                    df.append(0)
            for col in {self.vocabulary[lemma] for lemma, _, _ in doc}:
                df[col] += 1
        counts = np.asarray(df, dtype=np.float64)
        self.idf = np.log((1.0 + len(docs)) / (1.0 + counts)) + 1.0

    def _transform_docs(self, docs: Sequence[_Doc]) -> sparse.csr_array:
        vocabulary = self.vocabulary
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        indices: list[int] = []
        for k, doc in enumerate(docs):
            indices.extend(vocabulary[lemma] for lemma, _, _ in doc if lemma in vocabulary)
            indptr[k + 1] = len(indices)
        n_cols = len(self.lemmas)
        data = np.ones(len(indices), dtype=np.float64)
        matrix = sparse.csr_array(
            (data, np.asarray(indices, dtype=np.int32), indptr), shape=(len(docs), n_cols)
        )
        matrix.sum_duplicates()  # repeated lemmas → term counts
        if self.sublinear_tf:
            matrix.data = 1.0 + np.log(matrix.data)
        matrix = sparse.csr_array(matrix @ sparse.diags_array(self.idf))
        return _l2_normalise(matrix).astype(np.float32)


_Doc = tuple[tuple[str, str, str], ...]
"""(folded lemma, word as written, dictionary form) of each content word of a text."""


def _analyse(text: str, memo: dict[str, _Doc]) -> _Doc:
    # Identical texts are common («футбол», empty ones): analyse each once per call.
    doc = memo.get(text)
    if doc is None:
        entries = []
        for word in _words(text):
            lemma, display = _CACHE.entry(word.replace("ё", "е"))
            if lemma:
                entries.append((lemma, word, display))
        doc = memo[text] = tuple(entries)
    return doc


_BREAKS = frozenset({"и", "или", "а", "но", "да", "либо", "также", "тоже"})
"""Conjunctions end a phrase: «шахматы и футбол» are two interests, «игра на гитаре» is one."""


def shared_phrases(text: str, lemmas: Sequence[str]) -> list[tuple[str, int]]:
    """The words of ``text`` whose lemmas are in ``lemmas``, as the person wrote them (lower
    case, ё kept): neighbouring ones make one phrase («родной край», «игра на гитаре»), never
    across punctuation. Each phrase comes with how many of its words are in their dictionary
    form (a caller prefers the side that wrote «робототехника» to «робототехникой»), in the
    order of ``lemmas`` (the phrase's first lemma), each phrase once."""
    rank = {lemma: k for k, lemma in enumerate(lemmas)}
    lower = text.lower()
    runs: list[list[tuple[str, str]]] = []  # (word, folded lemma or "") per word of a run
    current: list[tuple[str, str]] = []
    end = 0
    for match in _TOKEN.finditer(lower):
        word = match.group()
        lemma = _CACHE.lemma(word.replace("ё", "е"))
        joined = bool(current) and not lower[end : match.start()].strip() and word not in _BREAKS
        if not joined:
            if current:
                runs.append(current)
            current = []
        if lemma in rank or (current and not lemma):
            current.append((word, lemma))
        elif current:
            runs.append(current)
            current = []
        end = match.end()
    if current:
        runs.append(current)
    found: dict[str, tuple[int, int]] = {}
    for run in runs:
        while run and run[-1][1] not in rank:  # no function word at the end
            run = run[:-1]
        if not run:
            continue
        phrase = " ".join(word for word, _ in run)
        first = min(rank[lemma] for _, lemma in run if lemma in rank)
        exact = sum(1 for word, lemma in run if lemma and word.replace("ё", "е") == lemma)
        if phrase not in found:
            found[phrase] = (first, exact)
    ordered = sorted(found.items(), key=lambda item: item[1][0])
    return [(phrase, exact) for phrase, (_first, exact) in ordered]


def _l2_normalise(matrix: sparse.csr_array) -> sparse.csr_array:
    norms = np.sqrt(np.asarray((matrix.multiply(matrix)).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_array(sparse.diags_array(scale) @ matrix)


def cosine_block(a: sparse.csr_array, b: sparse.csr_array) -> sparse.csr_array:
    """Cosine similarities of the rows of ``a`` against the rows of ``b`` (both normalised)."""
    return sparse.csr_array(a @ b.T)
