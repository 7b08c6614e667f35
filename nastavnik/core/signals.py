"""Logins, logouts and failed logins go to the audit log, with the address they came from; so do
issuing and revoking a personal API token."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from nastavnik.accounts.models import ApiToken
from nastavnik.accounts.tokens import token_changed
from nastavnik.core.audit import audit, client_ip
from nastavnik.core.middleware import SESSION_SEEN, SESSION_STARTED


@receiver(user_logged_in, dispatch_uid="nastavnik.core.audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = time.time()
    audit(actor=user, action="auth.login", data={"ip": client_ip(request)})


@receiver(user_logged_out, dispatch_uid="nastavnik.core.audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit(actor=user, action="auth.logout", data={"ip": client_ip(request)})


@receiver(user_login_failed, dispatch_uid="nastavnik.core.audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit(
        actor=None,
        action="auth.login_failed",
        message=username,
        data={"ip": client_ip(request), "username": username},
    )


@receiver(token_changed, dispatch_uid="nastavnik.core.audit_api_token")
def _api_token_changed(
    sender: Any, actor: Any, token: ApiToken, action: str, reason: str = "", **kwargs: Any
) -> None:
    """Issuing and revoking a personal API token (its prefix and scope, never the key); a
    revocation by another service (the anonymization) names it in ``reason``."""
    data: dict[str, Any] = {
        "prefix": token.prefix,
        "user": token.user_id,
        "territory": token.territory_id,
        "can_write": token.can_write,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }
    if reason:
        data["reason"] = reason
    audit(
        actor=actor,
        action=action,
        obj=token,
        organization_id=token.organization_id,
        message=token.name,
        data=data,
    )
