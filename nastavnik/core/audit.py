"""Writing the audit log. Every service that changes personal data calls ``audit``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from nastavnik.accounts.access import Actor, actor_user
from nastavnik.core.models import AuditEntry


def audit(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    organization_id: int | None = None,
    person_id: int | None = None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    if organization_id is None and obj is not None:
        organization_id = getattr(obj, "organization_id", None)
    return AuditEntry.objects.create(
        actor=actor_user(actor),
        organization_id=organization_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person_id=person_id,
        message=message,
        data=data or {},
    )


def client_ip(request: HttpRequest | None) -> str:
    """The address a request came from: the proxy's ``X-Forwarded-For`` first hop when trusted."""
    if request is None:
        return ""
    meta = request.META
    if settings.NASTAVNIK_TRUST_X_FORWARDED_FOR:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return str(meta.get("REMOTE_ADDR", ""))[:64]
