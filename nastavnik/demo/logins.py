"""The demo's named logins as lines to print (by ``seed_demo`` and ``serve``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from nastavnik.accounts.models import Role, User
from nastavnik.demo.data import COORDINATED_MUNICIPALITY, MUNICIPALITIES, NAMED_LOGINS, REGION
from nastavnik.demo.services import DEFAULT_PASSWORD
from nastavnik.organizations.models import Organization, Territory


def demo_login_lines() -> list[str]:
    """One line per named demo login present in the database: login, role, where, who."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[login.username for login in NAMED_LOGINS])
    }
    organizations = dict(
        Organization.objects.filter(
            code__in=[login.organization for login in NAMED_LOGINS if login.organization]
        ).values_list("code", "short_name")
    )
    territories = dict(
        Territory.objects.filter(code__in=[REGION[0], *MUNICIPALITIES]).values_list("code", "name")
    )
    lines = []
    for login in NAMED_LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        if login.organization:
            scope = organizations.get(login.organization, "")
        elif login.role == Role.REGIONAL_COORDINATOR:
            scope = territories.get(REGION[0], "")
        elif login.role == Role.MUNICIPAL_COORDINATOR:
            scope = territories.get(COORDINATED_MUNICIPALITY, "")
        else:
            scope = ""
        parts = [f"  {login.username:<22} {Role(login.role).label}"]
        if scope:
            parts.append(scope)
        if login.last_name:
            parts.append(user.get_full_name())
        lines.append(" · ".join(parts))
    return lines


def serve_login_lines() -> list[str]:
    """What ``manage.py serve`` prints of the demo: the logins and their password."""
    lines = demo_login_lines()
    if not lines:
        return []
    heading = _("Demo logins (password «%(password)s» unless seed_demo was given another):") % {
        "password": DEFAULT_PASSWORD
    }
    return [heading, *lines, ""]
