"""The REST API root (django-ninja) under /api/v1/. Every app adds its router here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from nastavnik.accounts.tokens import api_token_authenticate, ensure_may_use
from nastavnik.core.api import Api


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``: the request acts with the token owner's rights narrowed
    to the token's organization (or territory); a read-only token gets 403 on every write."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_authenticate(token)
        if found is None:
            return None
        ensure_may_use(found, request.method or "")
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


api = Api(
    title="Nastavnik API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
)

api.add_router("/organizations/", "nastavnik.organizations.api.router")
api.add_router("/territories/", "nastavnik.organizations.api.territory_router")
api.add_router("/people/", "nastavnik.people.api.router")
api.add_router("/programs/", "nastavnik.programs.api.router")
api.add_router("/matching/", "nastavnik.matching.api.router")
api.add_router("/mentorships/", "nastavnik.mentorships.api.router")
api.add_router("/pairwork/", "nastavnik.pairwork.api.router")
api.add_router("/imports/", "nastavnik.imports.api.router")
api.add_router("/consents/", "nastavnik.consents.api.router")
api.add_router("/reports/", "nastavnik.reports.api.router")
api.add_router("/surveys/", "nastavnik.surveys.api.router")
api.add_router("/events/", "nastavnik.events.api.router")
api.add_router("/quick/", "nastavnik.quickmentoring.api.router")
api.add_router("/library/", "nastavnik.library.api.router")
api.add_router("/ideas/", "nastavnik.ideas.api.router")
