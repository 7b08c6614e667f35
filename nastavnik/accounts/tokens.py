"""Personal API tokens: shown once, stored as a SHA-256 hash, scoped and expiring.

A token acts with its user's rights narrowed to its scope (``scoped_access``): an organization
token sees only that organization even if its user holds roles in others; a territory token
sees the territory's aggregates only (as a coordinator); a read-only token is refused every
write (``TokenAuth`` in ``nastavnik.api``). Curators manage the tokens of the organizations
they curate; an administrator manages every token and may also scope one to a territory.

The accounts app is the lowest layer: the organization and territory models are reached
through the foreign keys, never imported; issuing and revoking send ``token_changed``, which
``core.signals`` writes to the audit log (``core`` sits above ``accounts`` and may not be
imported here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import _CACHE_ATTR, Access, Actor, access_for
from nastavnik.accounts.models import ApiToken, Role, User

PREFIX_LENGTH = 8
MAX_DAYS = 366
# How often «last used» is written (a busy integration would otherwise write on every call).
LAST_USED_STEP = dt.timedelta(minutes=1)

# Sent inside the transaction that issues or revokes a token, with ``actor``, ``token`` and
# ``action`` («api_token.issue» / «api_token.revoke») and, for a revocation, ``reason`` (empty when
# revoked on the tokens page); ``core.signals`` audits it. Never carries the key.
token_changed = Signal()


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def organization_model() -> Any:
    return ApiToken._meta.get_field("organization").related_model


def territory_model() -> Any:
    return ApiToken._meta.get_field("territory").related_model


def api_token_create(
    *,
    user: User,
    name: str,
    organization: Any = None,
    territory: Any = None,
    can_write: bool = False,
    expires_at: dt.datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plain key, which is never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        key_hash=_hash(key),
        prefix=key[:PREFIX_LENGTH],
        organization=organization,
        territory=territory,
        can_write=can_write,
        expires_at=expires_at,
        created_by=created_by,
    )
    token.full_clean()
    token.save()
    return token, key


def _may_manage(access: Access, token: ApiToken) -> bool:
    if access.is_admin:
        return True
    return token.organization_id is not None and access.is_curator_of(token.organization_id)


def token_manager_may_create(actor: Actor) -> bool:
    access = access_for(actor)
    return access.is_admin or any(access.is_curator_of(org) for org in access.member_org_ids)


def token_issue(
    *,
    actor: Actor,
    name: str,
    can_write: bool,
    days: int,
    organization_id: int | None = None,
    territory_id: int | None = None,
) -> tuple[ApiToken, str]:
    """A curator issues a token for an organization they curate; an administrator for any
    organization or a territory. The token is the actor's own (it acts with their rights)."""
    access = access_for(actor)
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to manage API tokens."))
    if (organization_id is None) == (territory_id is None):
        raise ValidationError(_("Choose an organization or a territory."))
    if territory_id is not None and not access.is_admin:
        raise PermissionDenied(_("Only an administrator issues territory tokens."))
    if organization_id is not None and not access.is_curator_of(organization_id):
        raise PermissionDenied(_("Only a curator of the organization may issue its tokens."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("A token lives from 1 to %(days)s days.") % {"days": MAX_DAYS})
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the token (what it is for)."))
    organization = (
        organization_model().objects.filter(pk=organization_id).first()
        if organization_id is not None
        else None
    )
    territory = (
        territory_model().objects.filter(pk=territory_id).first()
        if territory_id is not None
        else None
    )
    if organization is None and territory is None:
        raise ValidationError(_("Choose an organization or a territory."))
    with transaction.atomic():
        token, key = api_token_create(
            user=actor,
            name=name,
            organization=organization,
            territory=territory,
            can_write=can_write,
            expires_at=timezone.now() + dt.timedelta(days=days),
            created_by=actor,
        )
        token_changed.send(sender=ApiToken, actor=actor, token=token, action="api_token.issue")
    return token, key


def _revoke(*, actor: Actor, token_id: int, reason: str = "") -> ApiToken:
    """Revoke one token under its row lock, in the caller's transaction; ``token_changed``
    writes its audit row. A token already revoked is left as it is (no second row)."""
    locked = ApiToken.objects.select_for_update().get(pk=token_id)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor if isinstance(actor, User) else None
        locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        token_changed.send(
            sender=ApiToken, actor=actor, token=locked, action="api_token.revoke", reason=reason
        )
    return locked


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if not _may_manage(access_for(actor), token):
        raise PermissionDenied(_("You may not revoke this token."))
    with transaction.atomic():
        return _revoke(actor=actor, token_id=token.pk)


def user_tokens_revoke(*, actor: Actor, user: User, reason: str) -> list[ApiToken]:
    """Revoke every live token of ``user`` one by one, so that each gets its own audit row (who,
    which token, when, ``reason``), as if revoked on the tokens page.

    For a service that has already checked its own permission and runs its own transaction:
    the anonymization of a person whose consent was withdrawn (the token may be scoped to an
    organization or territory the acting curator does not manage, and must still go).
    """
    with transaction.atomic():
        ids = list(
            ApiToken.objects.select_for_update()
            .filter(user=user, revoked_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return [_revoke(actor=actor, token_id=pk, reason=reason) for pk in ids]


def token_list(*, user: Actor) -> QuerySet[ApiToken]:
    """Tokens the user manages: an administrator all; a curator those of their organizations."""
    access = access_for(user)
    tokens = ApiToken.objects.select_related(
        "user", "organization", "territory", "created_by", "revoked_by"
    ).order_by("-created_at")
    if access.is_admin:
        return tokens
    curated = [org for org in access.member_org_ids if access.is_curator_of(org)]
    return tokens.filter(organization_id__in=curated)


def token_get(*, user: Actor, token_id: int) -> ApiToken:
    """One managed token; 404 for anything else (missing and forbidden alike)."""
    token = token_list(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def organization_choices(actor: Actor) -> list[tuple[int, str]]:
    access = access_for(actor)
    organizations = organization_model().objects.order_by("pk")
    if not access.is_admin:
        curated = [org for org in access.member_org_ids if access.is_curator_of(org)]
        organizations = organizations.filter(pk__in=curated)
    return [(o.pk, str(o)) for o in organizations]


def territory_choices(actor: Actor) -> list[tuple[int, str]]:
    if not access_for(actor).is_admin:
        return []
    return [(t.pk, str(t)) for t in territory_model().objects.order_by("pk")]


def scoped_access(token: ApiToken, full: Access) -> Access:
    """What the token may see: its user's rights narrowed to the token's scope."""
    if token.organization_id is not None:
        roles = full.org_roles.get(token.organization_id, frozenset())
        if full.is_admin:
            roles = roles | {Role.CURATOR}
        return Access(
            user_id=full.user_id,
            org_roles={token.organization_id: roles} if roles else {},
        )
    if token.territory_id is not None:
        roles = full.territory_roles.get(token.territory_id, frozenset())
        if full.is_admin and not roles:
            parent = getattr(token.territory, "parent_id", None)
            roles = frozenset(
                {Role.REGIONAL_COORDINATOR if parent is None else Role.MUNICIPAL_COORDINATOR}
            )
        return Access(
            user_id=full.user_id,
            territory_roles={token.territory_id: roles} if roles else {},
        )
    return full


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token behind a key (not revoked, not expired, its user active), with its user
    carrying the token's narrowed rights; None otherwise."""
    if not key:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "territory")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    user = token.user
    full = access_for(user)
    setattr(user, _CACHE_ATTR, scoped_access(token, full))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def ensure_may_use(token: ApiToken, method: str) -> None:
    """A read-only token is refused every write (403)."""
    if method not in SAFE_METHODS and not token.can_write:
        raise PermissionDenied(_("This API token is read-only: it may not change data."))


def api_token_user(key: str) -> Any:
    """The active user behind a live key (with the token's narrowed rights), or None."""
    token = api_token_authenticate(key)
    return token.user if token is not None else None
