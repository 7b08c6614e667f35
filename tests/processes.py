"""A real worker process killed with SIGKILL in the middle of its transaction (PostgreSQL): the
child runs until it reaches the point to die at (``hang_here`` writes a flag file and sleeps),
and the test kills it there."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from django.db import connections


def hang_here(flag: str, note: str = "written, not committed") -> NoReturn:
    """In the child: say it got here (the flag file) and wait to be killed."""
    Path(flag).write_text(note)
    time.sleep(600)
    raise AssertionError("killed before this")


def kill_when_hanging(
    target: Callable[..., Any],
    *args: Any,
    flag: Path,
    while_hanging: Callable[[], None] | None = None,
    timeout: float = 60,
) -> None:
    """Fork a worker running ``target(*args, str(flag))``, wait until it hangs (the flag file
    exists), run ``while_hanging`` (checks made while it is alive inside its transaction),
    then SIGKILL it and reap it."""
    connections.close_all()  # the child opens its own connection
    worker = multiprocessing.get_context("fork").Process(target=target, args=(*args, str(flag)))
    worker.start()
    try:
        deadline = time.monotonic() + timeout
        while not flag.exists():
            assert worker.is_alive(), "the worker died before it wrote anything"
            assert time.monotonic() < deadline, "the worker never got there"
            time.sleep(0.1)
        if while_hanging is not None:
            while_hanging()
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.join(10)
