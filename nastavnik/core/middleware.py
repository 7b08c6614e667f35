"""Request-level safety: session timeouts, no caching of personal pages, denied access audited."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from nastavnik.core.audit import audit, client_ip

SESSION_STARTED = "nastavnik_started_at"
SESSION_SEEN = "nastavnik_seen_at"


class SessionTimeoutMiddleware:
    """Ends a session idle for ``SESSION_IDLE_TIMEOUT`` or older than ``SESSION_ABSOLUTE_TIMEOUT``.

    Both in seconds. The next request of that browser is anonymous: a page asks for the login again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            idle = settings.SESSION_IDLE_TIMEOUT
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT
            if started is None:
                request.session[SESSION_STARTED] = now
            if (seen is not None and now - seen > idle) or (
                started is not None and now - started > absolute
            ):
                audit(
                    actor=user,
                    action="session.expired",
                    message="idle" if seen is not None and now - seen > idle else "absolute",
                    data={"ip": client_ip(request)},
                )
                logout(request)
            # Saving the session on every request is wasteful: once a minute will do.
            elif seen is None or now - seen > 60:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page answered to a signed-in user (personal data)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class DeniedAccessAuditMiddleware:
    """Every 403 is written to the audit log: who, what, from where."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            audit(
                actor=user,
                action="access.denied",
                message=f"{request.method} {request.path}"[:500],
                data={"ip": client_ip(request)},
            )
        return response
