"""Tokens and clients for the API tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.accounts.tokens import api_token_create


def token_client(
    user: User,
    *,
    organization: Any = None,
    territory: Any = None,
    can_write: bool = True,
    days: int = 30,
) -> Client:
    """A client sending a personal token of ``user`` (scoped like the UI scopes them)."""
    _token, key = api_token_create(
        user=user,
        name="Интеграция",
        organization=organization,
        territory=territory,
        can_write=can_write,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    """A JSON ``POST`` (``headers``: e.g. ``{"Idempotency-Key": ...}``)."""
    return client.post(url, body, content_type="application/json", headers=headers)


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    """A JSON ``PATCH``."""
    return client.patch(url, body, content_type="application/json")
