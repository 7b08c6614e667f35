"""The one scoping mechanism: what rows of a tenant-owned table the acting user may see.

Every table that holds personal data carries an ``organization`` foreign key (the tenant key),
even where it could be derived, so that scoping is one filter. Models inherit ``TenantModel``
(or, where the foreign key already exists with its own ``related_name``, ``TenantScoped``), and
every selector starts from one of two views:

- ``Model.objects.staff_view(user)``: rows of the organizations where the user is curator or head
  (the whole record); an administrator sees all;
- ``Model.objects.member_view(user)``: rows of every organization the user belongs to in any role
  (a mentor's or a mentee's view; narrow it further for personal rows);

anonymous users and territory coordinators see no rows at all (coordinators read aggregates
through their own selectors). Single objects come through ``core.selectors.get_visible``, which
answers 404 for missing and forbidden alike.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.access import Access, Actor, access_for

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    """A queryset of a tenant-owned model; ``tenant_field`` names the organization key."""

    tenant_field = "organization"

    def _within(self, org_ids: frozenset[int] | set[int]) -> Self:
        return self.filter(**{f"{self.tenant_field}_id__in": org_ids})

    def staff_view(self, user: Actor | Access) -> Self:
        """What the curators and heads of the user's organizations see (administrator: all)."""
        access = user if isinstance(user, Access) else access_for(user)
        if access.is_admin:
            return self.all()
        return self._within(access.staff_org_ids)

    def member_view(self, user: Actor | Access) -> Self:
        """Rows of every organization the user belongs to in any role (administrator: all)."""
        access = user if isinstance(user, Access) else access_for(user)
        if access.is_admin:
            return self.all()
        return self._within(access.member_org_ids)

    def curator_view(self, user: Actor | Access) -> Self:
        """Rows of the organizations where the user is curator (administrator: all)."""
        access = user if isinstance(user, Access) else access_for(user)
        if access.is_admin:
            return self.all()
        return self._within({org for org in access.member_org_ids if access.is_curator_of(org)})


class TenantScoped(models.Model):
    """Abstract: the scoped manager for a table whose ``organization`` key is declared by the
    table itself (with its own ``related_name``)."""

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class TenantModel(models.Model):
    """Abstract base of a tenant-owned table: the organization key and the scoped manager."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects: Any = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
