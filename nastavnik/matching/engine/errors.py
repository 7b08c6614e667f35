"""Errors raised by the matching engine."""

from __future__ import annotations


class InvalidInput(ValueError):
    """The caller passed arrays or options the engine cannot work with.

    The message names the argument and what is wrong with it, so the Django side can log it
    as is; it is meant for developers, not for end users.
    """


class SolverFailure(RuntimeError):
    """The exact solver did not report an optimal solution (a bug or a numeric range problem)."""
