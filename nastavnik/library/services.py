"""Writes of the library: a curator adds, changes and removes the organization's own resources.
A file is checked before anything is saved, by the pairwork thread's upload check (type by
extension and content, size limit ``NASTAVNIK_PAIRWORK_ATTACHMENT_MB``, UTF-8 text)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, actor_user, require_curator
from nastavnik.core.audit import audit
from nastavnik.library.models import Resource, ResourceKind
from nastavnik.library.search import index_text
from nastavnik.pairwork.threads import check_attachment as check_upload
from nastavnik.pairwork.threads import max_attachment_bytes
from nastavnik.programs.models import MentoringForm, MentoringModel


def max_file_mb() -> int:
    return max_attachment_bytes() // (1024 * 1024)


def _index(resource: Resource) -> str:
    return index_text(
        resource.title,
        resource.summary,
        resource.body,
        resource.form.name if resource.form else "",
        resource.model.name if resource.model else "",
    )


def _fill(
    resource: Resource,
    *,
    title: str,
    kind: str,
    summary: str,
    body: str,
    url: str,
    form: MentoringForm | None,
    model: MentoringModel | None,
    upload: UploadedFile | None,
    remove_file: bool,
) -> None:
    resource.title = " ".join(title.split())
    resource.kind = kind
    resource.summary = " ".join(summary.split())
    resource.body = body.strip()
    resource.url = url.strip()
    resource.form = form
    resource.model = model
    if not resource.title:
        raise ValidationError({"title": _("Give the resource a title.")})
    if upload is not None:
        resource.attachment_name, resource.attachment_type = check_upload(upload)
    elif remove_file:
        resource.attachment_name = resource.attachment_type = ""
    has_file = upload is not None or (bool(resource.attachment) and not remove_file)
    if not (resource.body or resource.url or has_file):
        raise ValidationError(_("Write the text, give a link or attach a file."))
    resource.search_lemmas = _index(resource)
    resource.full_clean(exclude=["attachment"])


def resource_create(
    *,
    actor: Actor,
    organization_id: int,
    title: str,
    kind: str = ResourceKind.MATERIAL,
    summary: str = "",
    body: str = "",
    url: str = "",
    form: MentoringForm | None = None,
    model: MentoringModel | None = None,
    upload: UploadedFile | None = None,
) -> Resource:
    require_curator(actor, organization_id, _("Only a curator adds resources to the library."))
    resource = Resource(organization_id=organization_id, created_by=actor_user(actor))
    _fill(
        resource,
        title=title,
        kind=kind,
        summary=summary,
        body=body,
        url=url,
        form=form,
        model=model,
        upload=upload,
        remove_file=False,
    )
    with transaction.atomic():
        if upload is not None:
            resource.attachment.save(resource.attachment_name, upload, save=False)
        resource.save()
        audit(actor=actor, action="library.resource_create", obj=resource)
    return resource


def resource_update(
    *,
    actor: Actor,
    resource: Resource,
    title: str,
    kind: str,
    summary: str = "",
    body: str = "",
    url: str = "",
    form: MentoringForm | None = None,
    model: MentoringModel | None = None,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
) -> Resource:
    if resource.organization_id is None:
        raise ValidationError(_("The starter set is not changed here."))
    require_curator(actor, resource.organization_id)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        old_file = resource.attachment.name if resource.attachment else ""
        _fill(
            resource,
            title=title,
            kind=kind,
            summary=summary,
            body=body,
            url=url,
            form=form,
            model=model,
            upload=upload,
            remove_file=remove_file,
        )
        if upload is not None:
            resource.attachment.save(resource.attachment_name, upload, save=False)
        elif remove_file:
            resource.attachment = ""
        resource.save()
        audit(actor=actor, action="library.resource_update", obj=resource)
        if old_file and old_file != (resource.attachment.name or ""):
            storage: Any = resource.attachment.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return resource


def resource_delete(*, actor: Actor, resource: Resource) -> None:
    if resource.organization_id is None:
        raise ValidationError(_("The starter set is not changed here."))
    require_curator(actor, resource.organization_id)
    old_file = resource.attachment.name if resource.attachment else ""
    storage: Any = resource.attachment.storage
    with transaction.atomic():
        audit(
            actor=actor,
            action="library.resource_delete",
            obj=resource,
            data={"title": resource.title},
        )
        resource.delete()
        if old_file:
            transaction.on_commit(lambda: storage.delete(old_file))
