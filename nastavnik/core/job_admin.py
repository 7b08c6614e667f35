"""The administrator's read-only view of background jobs (``core.jobs``): what ran, for which
organization, how it ended. Nothing is added, changed or deleted here (``manage.py jobs_clean``
deletes old jobs). What the curator asked for in detail (the pairs of an order, the pupils who
stay, the start's result with names) and the result file are not shown: the job pages are for
that, scoped to the organization's curators."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nastavnik.core.jobs import BackgroundJob

J = TypeVar("J", bound=BackgroundJob)

JOB_FIELDS = (
    "organization",
    "status",
    "progress",
    "step",
    "error",
    "created_by",
    "created_at",
    "started_at",
    "finished_at",
    "lease_until",
    "result_name",
)


class BackgroundJobAdmin(admin.ModelAdmin[J]):
    """Subclasses name the job's kind (``job_kind``), its filters and the related rows to join,
    and may add their own harmless fields."""

    list_display: tuple[str, ...] = (
        "organization",
        "job_kind",
        "status",
        "progress",
        "created_at",
        "finished_at",
    )
    date_hierarchy = "created_at"
    extra_fields: tuple[str, ...] = ()

    def get_fields(self, request: HttpRequest, obj: J | None = None) -> tuple[str, ...]:
        return (*JOB_FIELDS[:1], *self.extra_fields, *JOB_FIELDS[1:])

    def get_readonly_fields(self, request: HttpRequest, obj: J | None = None) -> tuple[str, ...]:
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: J | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: J | None = None) -> bool:
        return False

    @admin.display(description=_("kind"))
    def job_kind(self, job: J) -> str:
        return str(job._meta.verbose_name)
