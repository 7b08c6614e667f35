from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nastavnik.accounts.access import access_for
from nastavnik.core.navigation import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar needs: the acting user's roles and the menu entries."""
    access = access_for(getattr(request, "user", None))
    return {"access": access, "nav_items": nav_items(access) if access.is_authenticated else []}
