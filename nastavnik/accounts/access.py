"""What the acting user may see. One place answers it for every selector.

The answer is computed once per request and cached on the user object. Selectors combine it
into querysets; views never decide visibility themselves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from nastavnik.accounts.models import STAFF_ROLES, Membership, Role, User

# The acting user every selector and service takes: a login or the anonymous visitor.
Actor = User | AnonymousUser

_CACHE_ATTR = "_nastavnik_access"


def actor_user(actor: Actor | None) -> User | None:
    """The login behind the actor for ``created_by`` and the like (None: anonymous, the command
    line)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


@dataclass(frozen=True)
class Access:
    user_id: int | None
    is_admin: bool = False
    # organization id -> roles the user holds there
    org_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # territory id -> roles the user holds there (coordinators: aggregates only)
    territory_roles: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def staff_org_ids(self) -> frozenset[int]:
        """Organizations whose every personal record the user may see (curator, head)."""
        return frozenset(org for org, roles in self.org_roles.items() if roles & STAFF_ROLES)

    @property
    def member_org_ids(self) -> frozenset[int]:
        return frozenset(self.org_roles)

    def has_role(self, organization_id: int, *roles: str) -> bool:
        return bool(self.org_roles.get(organization_id, frozenset()) & set(roles))

    def is_curator_of(self, organization_id: int) -> bool:
        return self.is_admin or self.has_role(organization_id, Role.CURATOR)

    def is_staff_of(self, organization_id: int) -> bool:
        return self.is_admin or organization_id in self.staff_org_ids

    @property
    def is_coordinator(self) -> bool:
        return bool(self.territory_roles)

    @property
    def roles(self) -> frozenset[str]:
        found: set[str] = set()
        for roles in (*self.org_roles.values(), *self.territory_roles.values()):
            found |= roles
        if self.is_admin:
            found.add(Role.ADMIN)
        return frozenset(found)


ANONYMOUS = Access(user_id=None)


def access_for(user: Actor | None) -> Access:
    if user is None or not user.is_authenticated or user.pk is None:
        return ANONYMOUS
    cached: Access | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    org_roles: dict[int, set[str]] = defaultdict(set)
    territory_roles: dict[int, set[str]] = defaultdict(set)
    is_admin = bool(user.is_superuser)
    for role, org_id, territory_id in Membership.objects.filter(user_id=user.pk).values_list(
        "role", "organization_id", "territory_id"
    ):
        if role == Role.ADMIN:
            is_admin = True
        elif org_id is not None:
            org_roles[org_id].add(role)
        elif territory_id is not None:
            territory_roles[territory_id].add(role)
    access = Access(
        user_id=user.pk,
        is_admin=is_admin,
        org_roles={k: frozenset(v) for k, v in org_roles.items()},
        territory_roles={k: frozenset(v) for k, v in territory_roles.items()},
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: Actor) -> None:
    """Drop the cached answer after the user's memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def require_curator(user: Actor, organization_id: int, message: str | None = None) -> None:
    """Refuse unless the user is a curator of the organization (or an administrator); ``message``
    says what was refused, when a page shows it."""
    if not access_for(user).is_curator_of(organization_id):
        raise PermissionDenied(message or _("Only a curator of the organization may do this."))


def require_staff(user: Actor, organization_id: int, message: str | None = None) -> None:
    """Refuse unless the user is a curator or head of the organization (or an administrator)."""
    if not access_for(user).is_staff_of(organization_id):
        raise PermissionDenied(message or _("Only the staff of the organization may do this."))
