"""Shared helpers for the engine tests (no Django, no database)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The engine suite must stay fast on two cores: keep example counts modest by default.
settings.register_profile(
    "engine",
    max_examples=int(os.environ.get("ENGINE_MAX_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("engine")
