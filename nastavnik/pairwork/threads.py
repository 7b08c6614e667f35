"""The thread of a pair or group (virtual mentoring): who reads it, attachments' limits.

Reads and writes of messages live here so that the privacy rule is in one place:

- the members of the mentorship read and write its thread;
- a curator of the organization reads it only while a participant's problem report is open, and
  every such reading is audited (``thread_read_as_curator``); a head never reads it;
- anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import access_for
from nastavnik.core.audit import audit
from nastavnik.mentorships.models import Mentorship
from nastavnik.pairwork.models import Message, ProblemReport, ThreadRead
from nastavnik.pairwork.selectors import WORKING_STATUSES, my_member_rows

# Extension -> (content type, the file's first bytes, any of); text must be UTF-8.
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".txt": ("text/plain; charset=utf-8", ()),
}


def max_attachment_bytes() -> int:
    return int(getattr(settings, "NASTAVNIK_PAIRWORK_ATTACHMENT_MB", 5)) * 1024 * 1024


def _member_person_id(user: Any, mentorship: Mentorship) -> int | None:
    rows = my_member_rows(user=user, mentorship=mentorship)
    return rows[0][1] if rows else None


def open_report(mentorship: Mentorship) -> ProblemReport | None:
    return ProblemReport.objects.filter(mentorship=mentorship, closed_at__isnull=True).first()


def thread_access(*, user: Any, mentorship: Mentorship) -> str:
    """``"member"``, ``"curator"`` (an open report) or ``""`` (no access)."""
    if _member_person_id(user, mentorship) is not None:
        return "member"
    if access_for(user).is_curator_of(mentorship.organization_id) and open_report(mentorship):
        return "curator"
    return ""


def thread_messages(*, user: Any, mentorship: Mentorship) -> list[Message]:
    """The thread for a member, or for a curator with an open report (audited)."""
    kind = thread_access(user=user, mentorship=mentorship)
    if not kind:
        raise PermissionDenied(_("The messages of a pair are read by its members only."))
    messages = list(
        Message.objects.filter(mentorship=mentorship).select_related("author").order_by("id")
    )
    if kind == "curator":
        audit(
            actor=user,
            action="pairwork.thread_read_by_curator",
            obj=mentorship,
            message=_("The curator read the messages of the pair after a problem report."),
            data={"messages": len(messages)},
        )
    elif messages:
        thread_mark_read(user=user, mentorship=mentorship, last_message_id=messages[-1].pk)
    return messages


def thread_mark_read(*, user: Any, mentorship: Mentorship, last_message_id: int) -> None:
    ThreadRead.objects.update_or_create(
        mentorship=mentorship,
        user=user,
        defaults={
            "organization_id": mentorship.organization_id,
            "last_message_id": last_message_id,
        },
    )


def unread_counts(*, user: Any, mentorship_ids: Iterable[int]) -> dict[int, int]:
    """Messages of others the user has not read yet, per mentorship."""
    ids = list(mentorship_ids)
    access = access_for(user)
    if not ids or access.user_id is None:
        return {}
    read = dict(
        ThreadRead.objects.filter(user_id=access.user_id, mentorship_id__in=ids).values_list(
            "mentorship_id", "last_message_id"
        )
    )
    counts: dict[int, int] = {}
    for mentorship_id, message_id in (
        Message.objects.filter(mentorship_id__in=ids)
        .exclude(author__user_id=access.user_id)
        .order_by()
        .values_list("mentorship_id", "id")
    ):
        if message_id > read.get(mentorship_id, 0):
            counts[mentorship_id] = counts.get(mentorship_id, 0) + 1
    return counts


def check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """The file's name and content type if it may be attached (type by name and content, size);
    else ValidationError on ``attachment``. Other apps' uploads (events' materials) use it too."""
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "attachment": _("Files of this type cannot be attached. Allowed: %(types)s.")
                % {"types": ", ".join(sorted(ALLOWED_TYPES))}
            }
        )
    limit = max_attachment_bytes()
    if (upload.size or 0) > limit:
        raise ValidationError(
            {"attachment": _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}}
        )
    content_type, signatures = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {"attachment": _("The file's content does not match its type %(ext)s.") % {"ext": ext}}
        )
    if not signatures:
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError({"attachment": _("A text file must be in UTF-8.")}) from exc
        finally:
            upload.seek(0)
    return name, content_type


def message_post(
    *, actor: Any, mentorship: Mentorship, text: str, upload: UploadedFile | None = None
) -> Message:
    """A member of the pair writes to its thread; a file is checked before anything is saved."""
    author = _member_person_id(actor, mentorship)
    if author is None:
        raise PermissionDenied(_("Only the members of the pair write to its thread."))
    if mentorship.status not in WORKING_STATUSES:
        raise ValidationError(_("The pair or group is not at work: nothing can be added."))
    text = text.strip()
    if not text and upload is None:
        raise ValidationError({"text": _("Write a message or attach a file.")})
    message = Message(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        author_id=author,
        text=text,
    )
    if upload is not None:
        message.attachment_name, message.attachment_type = check_attachment(upload)
    message.full_clean(exclude=["attachment"])
    with transaction.atomic():
        if upload is not None:
            message.attachment.save(message.attachment_name, upload, save=False)
        message.save()
        thread_mark_read(user=actor, mentorship=mentorship, last_message_id=message.pk)
        audit(
            actor=actor,
            action="pairwork.message_post",
            obj=message,
            data={"attachment": bool(upload)},
        )
    return message


def problem_report(*, actor: Any, mentorship: Mentorship, text: str) -> ProblemReport:
    """A participant asks the curator to step in; the curator may then read the thread."""
    author = _member_person_id(actor, mentorship)
    if author is None:
        raise PermissionDenied(_("Only the members of the pair report a problem."))
    report = ProblemReport(
        organization_id=mentorship.organization_id,
        mentorship=mentorship,
        reported_by_id=author,
        text=text.strip(),
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
        audit(actor=actor, action="pairwork.problem_report", obj=report)
    return report


def problem_close(*, actor: Any, mentorship: Mentorship) -> int:
    """The curator closes the open reports: the thread is private again."""
    if not access_for(actor).is_curator_of(mentorship.organization_id):
        raise PermissionDenied(_("Only a curator of the organization may do this."))
    with transaction.atomic():
        closed = ProblemReport.objects.filter(mentorship=mentorship, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        audit(actor=actor, action="pairwork.problem_close", obj=mentorship)
    return closed


def last_messages(mentorship_ids: Iterable[int]) -> dict[int, int]:
    """The last message id of each thread (for the batched e-mail of new messages)."""
    return dict(
        Message.objects.filter(mentorship_id__in=list(mentorship_ids))
        .values("mentorship_id")
        .annotate(last=Max("id"))
        .values_list("mentorship_id", "last")
    )
