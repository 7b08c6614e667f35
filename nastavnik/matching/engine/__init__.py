"""Matching engine: profiles as arrays in, optimal pairs and groups with explanations out.

A plain Python package (numpy, scipy, OR-Tools, pymorphy3) that knows nothing of Django. The
Django side builds the feature containers from its models, calls :func:`match` or
:func:`form_groups`, and renders the structured explanations in Russian.

Layers, each usable alone:

* :mod:`.assignment` — :func:`assign`, the exact b-matching (min-cost flow) over candidate edges;
* :mod:`.text` — :class:`RussianTextVectorizer`, lemmatized TF-IDF of Russian free text;
* :mod:`.factors`, :mod:`.scoring` — the scoring factors and the score model;
* :mod:`.candidates` — :func:`candidates`, the top-k mentors of each mentee, block by block;
* :mod:`.pricing` — the proof that a match over candidates is optimal over every allowed pair
  (dual potentials, a scan of every pair for one that could improve it);
* :mod:`.match` — :func:`match`, end to end, with explanations and that proof;
* :mod:`.groups` — :func:`form_groups`, group mentoring;
* :mod:`.synthetic` — seeded synthetic bases for tests and benchmarks.
"""

from nastavnik.matching.engine.assignment import SCORE_SCALE, Assignment, Prefer, assign
from nastavnik.matching.engine.candidates import Candidates, candidates
from nastavnik.matching.engine.errors import InvalidInput, SolverFailure
from nastavnik.matching.engine.explain import (
    REASONS,
    FactorContribution,
    PairExplanation,
    UnmatchedExplanation,
)
from nastavnik.matching.engine.factors import FACTOR_CODES
from nastavnik.matching.engine.features import (
    FORMAT_ANY,
    FORMAT_IN_PERSON,
    FORMAT_ONLINE,
    FORMAT_UNKNOWN,
    LEVEL_MEDIUM,
    LEVEL_STRONG,
    LEVEL_UNKNOWN,
    LEVEL_WEAK,
    MenteeFeatures,
    MentorFeatures,
    Rules,
    Weights,
)
from nastavnik.matching.engine.groups import Group, Grouping, form_groups
from nastavnik.matching.engine.match import Certificate, MatchResult, match
from nastavnik.matching.engine.scoring import ScoreModel, build_model
from nastavnik.matching.engine.text import RussianTextVectorizer

__all__ = [
    "FACTOR_CODES",
    "FORMAT_ANY",
    "FORMAT_IN_PERSON",
    "FORMAT_ONLINE",
    "FORMAT_UNKNOWN",
    "LEVEL_MEDIUM",
    "LEVEL_STRONG",
    "LEVEL_UNKNOWN",
    "LEVEL_WEAK",
    "REASONS",
    "SCORE_SCALE",
    "Assignment",
    "Candidates",
    "Certificate",
    "FactorContribution",
    "Group",
    "Grouping",
    "InvalidInput",
    "MatchResult",
    "MenteeFeatures",
    "MentorFeatures",
    "PairExplanation",
    "Prefer",
    "Rules",
    "RussianTextVectorizer",
    "ScoreModel",
    "SolverFailure",
    "UnmatchedExplanation",
    "Weights",
    "assign",
    "build_model",
    "candidates",
    "form_groups",
    "match",
]
