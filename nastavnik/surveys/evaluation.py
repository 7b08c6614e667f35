"""The two stages of the target model's evaluation, computed from the answers.

Stage 1 (quality of the program): the scale questions of the satisfaction questionnaires — means,
distributions and numbers of answers, the start against the end. Stage 2 (growth of the
participants): per person, the end's answer minus the start's answer to the same question, for the
named (not anonymous) questionnaires only — an anonymous one cannot be paired, by design.

Anonymous results are withheld wherever fewer than ``ANONYMITY_THRESHOLD`` answers stand behind a
figure, per breakdown cell too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from nastavnik.surveys.models import (
    ANONYMITY_THRESHOLD,
    Answer,
    Question,
    QuestionKind,
    Survey,
)


@dataclass
class Cell:
    """One figure of the results: what stands behind it and whether it may be shown."""

    count: int
    mean: float | None = None
    distribution: dict[str, int] = field(default_factory=dict)
    withheld: bool = False


@dataclass
class QuestionResult:
    question: Question
    total: Cell
    by_role: dict[str, Cell]
    texts: list[str] = field(default_factory=list)


def _cell(values: list[Any], kind: str, anonymous: bool) -> Cell:
    if anonymous and len(values) < ANONYMITY_THRESHOLD:
        return Cell(count=len(values), withheld=True)
    counter: Counter[str] = Counter()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            counter[_label(item)] += 1
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    average = round(mean(numbers), 2) if kind == QuestionKind.SCALE and numbers else None
    if kind == QuestionKind.SCALE:
        distribution = {str(n): counter.get(str(n), 0) for n in range(1, 11)}
    else:
        distribution = dict(counter.most_common())
    return Cell(count=len(values), mean=average, distribution=distribution)


def _label(value: Any) -> str:
    if value is True:
        return "да"
    if value is False:
        return "нет"
    return str(value)


def survey_results(survey: Survey) -> list[QuestionResult]:
    """Every question's figures (two queries, whatever the number of answers)."""
    questions = list(survey.questions.order_by("position", "id"))
    rows = Answer.objects.filter(response__survey=survey).values_list(
        "question_id", "value", "response__role"
    )
    by_question: dict[int, list[tuple[Any, str]]] = defaultdict(list)
    for question_id, value, role in rows:
        by_question[question_id].append((value, role))
    results = []
    for q in questions:
        given = by_question.get(q.pk, [])
        texts_allowed = q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
        roles: dict[str, list[Any]] = defaultdict(list)
        for value, role in given:
            roles[role or ""].append(value)
        total = _cell([v for v, _r in given], q.kind, survey.anonymous)
        texts: list[str] = []
        if texts_allowed and not total.withheld:
            # Free texts of an anonymous survey are shown sorted, never in the order they came.
            texts = (
                sorted(str(v) for v, _r in given)
                if survey.anonymous
                else [str(v) for v, _r in given]
            )
        results.append(
            QuestionResult(
                question=q,
                total=total,
                by_role={
                    role: _cell(values, q.kind, survey.anonymous)
                    for role, values in sorted(roles.items())
                    if role
                },
                texts=texts,
            )
        )
    return results


@dataclass
class Comparison:
    """Stage 1: one question asked at the start and at the end."""

    text: str
    start: Cell
    end: Cell

    @property
    def delta(self) -> float | None:
        if self.start.withheld or self.end.withheld:
            return None
        if self.start.mean is None or self.end.mean is None:
            return None
        return round(self.end.mean - self.start.mean, 2)


def compare_start_end(start: Survey, end: Survey) -> list[Comparison]:
    """Scale questions with the same text in both surveys: the start's figures against the end's."""
    start_results = {r.question.text: r for r in survey_results(start)}
    comparisons = []
    for result in survey_results(end):
        if result.question.kind != QuestionKind.SCALE:
            continue
        before = start_results.get(result.question.text)
        if before is not None:
            comparisons.append(Comparison(result.question.text, before.total, result.total))
    return comparisons


@dataclass
class Growth:
    """Stage 2: per person, how the answer to the same question changed."""

    text: str
    pairs: int
    mean_delta: float | None
    improved: int


def growth(start: Survey, end: Survey) -> list[Growth]:
    if start.anonymous or end.anonymous:
        return []

    def answers(survey: Survey) -> dict[tuple[str, int], int]:
        rows = Answer.objects.filter(
            response__survey=survey,
            question__kind=QuestionKind.SCALE,
            response__person__isnull=False,
        ).values_list("question__text", "response__person_id", "value")
        return {(text, person): int(value) for text, person, value in rows}

    before, after = answers(start), answers(end)
    deltas: dict[str, list[int]] = defaultdict(list)
    for (text, person), value in after.items():
        if (text, person) in before:
            deltas[text].append(value - before[(text, person)])
    return [
        Growth(
            text=text,
            pairs=len(values),
            mean_delta=round(mean(values), 2) if values else None,
            improved=sum(1 for v in values if v > 0),
        )
        for text, values in deltas.items()
    ]
