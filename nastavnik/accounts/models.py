"""Logins and roles. A role is a membership of a user in an organization or a territory."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """The timestamps of ``core.models.TimeStampedModel``, repeated here: accounts is the lowest
    layer and imports nothing of the project (see «Layers» in docs/architecture.md)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A login. Personal data (ФИО, birth date, ...) lives in ``people.Person``."""

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.middle_name]
        return " ".join(p for p in parts if p) or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class Role(models.TextChoices):
    CURATOR = "curator", _("curator")
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")
    HEAD = "head", _("head")
    MUNICIPAL_COORDINATOR = "municipal_coordinator", _("municipal coordinator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("regional coordinator")
    ADMIN = "admin", _("system administrator")


ORGANIZATION_ROLES = frozenset({Role.CURATOR, Role.MENTOR, Role.MENTEE, Role.HEAD})
TERRITORY_ROLES = frozenset({Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_COORDINATOR})
# Roles that see every personal record of their organization.
STAFF_ROLES = frozenset({Role.CURATOR, Role.HEAD})


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    territory = models.ForeignKey(
        "organizations.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=models.Q(organization__isnull=False),
                name="membership_unique_org_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "territory"],
                condition=models.Q(territory__isnull=False),
                name="membership_unique_territory_role",
            ),
            models.CheckConstraint(
                condition=~(
                    models.Q(organization__isnull=False) & models.Q(territory__isnull=False)
                ),
                name="membership_one_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organization or self.territory or ""
        return f"{self.user}: {self.get_role_display()} {scope}".strip()

    def clean(self) -> None:
        if self.role in ORGANIZATION_ROLES and self.organization_id is None:
            raise ValidationError({"organization": _("This role needs an organization.")})
        if self.role in TERRITORY_ROLES and self.territory_id is None:
            raise ValidationError({"territory": _("This role needs a territory.")})
        if self.role == Role.ADMIN and (self.organization_id or self.territory_id):
            raise ValidationError(_("A system administrator is not bound to an organization."))

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class ApiToken(TimeStampedModel):
    """A personal token for integrations: it acts with its user's rights, narrowed to one
    organization (or one territory: aggregates only), read-only unless ``can_write``, until
    ``expires_at``. Only a SHA-256 hash of the key is stored (``accounts.tokens``).

    A token with neither an organization nor a territory (made in code by an administrator)
    acts with the whole of its user's rights."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=255)
    key_hash = models.CharField(_("key hash"), max_length=128, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    territory = models.ForeignKey(
        "organizations.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    can_write = models.BooleanField(_("may write"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(organization__isnull=False) & models.Q(territory__isnull=False)
                ),
                name="api_token_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyKey(models.Model):
    """The first answer to a creating API request sent with an ``Idempotency-Key`` header: the
    same key and the same body from the same caller get it again; another body gets 409.
    ``owner`` is ``token:<id>`` or ``user:<id>``; the unique pair is the lock two concurrent
    requests meet on (``core.api.idempotent``)."""

    owner = models.CharField(_("owner"), max_length=64)
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"))
    response_body = models.JSONField(_("response"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.key}"
