"""Matching's tests run inside the test's transaction, which never commits: callbacks a service
registers with ``transaction.on_commit`` (the run's task) run at once here, as they would after
the commit. A test of the deferral itself asks for ``deferred_on_commit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

_on_commit = transaction.on_commit


def _immediately(func: Callable[[], Any], using: str | None = None, robust: bool = False) -> None:
    func()


@pytest.fixture(autouse=True)
def immediate_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transaction, "on_commit", _immediately)


@pytest.fixture
def deferred_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transaction, "on_commit", _on_commit)
