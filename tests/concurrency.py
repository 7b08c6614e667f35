"""Two (or more) things at the same moment on real database connections (PostgreSQL): each call
runs in its own thread, all released together by a barrier; each thread closes its connection."""

from __future__ import annotations

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
