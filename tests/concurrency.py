"""Two (or more) things at the same moment on real database connections (PostgreSQL): each call
runs in its own thread, all released together by a barrier; each thread closes its connection.
``meet_after`` makes the calls meet once more inside a service, right after its check: without
the row lock all of them would pass the check side by side."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

ON_POSTGRES = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs two real concurrent connections: PostgreSQL only",
)


def at_once(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the calls at once, one thread each; their answers in the calls' order (None for a
    call that raised or did not finish in ``timeout`` seconds)."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            answers[index] = calls[index]()
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return answers


def meet_after(
    monkeypatch: Any, owner: Any, name: str, *, parties: int = 2, timeout: float = 2
) -> threading.Barrier:
    """Replace ``owner.name`` (a check a service runs under its lock) by one that, once it has
    answered, waits up to ``timeout`` seconds for the other ``parties - 1`` callers. Under the
    lock the others are still waiting for it, so the barrier times out and comes back broken
    (returned, for a test to assert on); without the lock all of them meet here after passing
    the same check."""
    barrier = threading.Barrier(parties)
    original = getattr(owner, name)

    @functools.wraps(original)
    def check_then_meet(*args: Any, **kwargs: Any) -> Any:
        answer = original(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout)
        return answer

    monkeypatch.setattr(owner, name, check_then_meet)
    return barrier
