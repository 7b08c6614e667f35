"""How many places each mentor already uses: a question the programs app asks and the
mentorships app answers (mentorships depend on programs, never the reverse).

The mentorships app registers its answer from its ``ready()``::

    register_mentor_load(mentor_load)

Without a registered answer (the mentorships app not installed) no place is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MentorLoad = Callable[[Iterable[int]], dict[int, int]]

_ANSWER: list[MentorLoad] = []


def register_mentor_load(answer: MentorLoad) -> None:
    """``answer(enrolment_ids)`` → places each mentor enrolment uses in open pairs and groups."""
    _ANSWER[:] = [answer]


def mentor_load(enrolment_ids: Iterable[int]) -> dict[int, int]:
    ids = list(enrolment_ids)
    if not _ANSWER:
        return dict.fromkeys(ids, 0)
    return _ANSWER[0](ids)
