"""Writes of the bank of ideas. Posting, voting and commenting are for colleagues of the idea's
organization (``selectors.colleague_org_ids``); adopting is for its curator. A vote is decided
under the idea's row lock: the second vote of one person is refused with a message, and the
unique constraint stands behind it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nastavnik.accounts.access import Actor, access_for, actor_user, require_curator
from nastavnik.core.audit import audit
from nastavnik.ideas.models import Comment, Idea, IdeaKind, IdeaStatus, IdeaTag, Vote
from nastavnik.ideas.selectors import colleague_org_ids
from nastavnik.programs.models import Program

MAX_TAGS = 10
MAX_TAG_LENGTH = 50


def require_colleague(actor: Actor, organization_id: int) -> None:
    if organization_id not in colleague_org_ids(actor):
        raise PermissionDenied(
            _("Only the organization's teachers and staff take part in its bank of ideas.")
        )


def parse_tags(text: str) -> list[str]:
    """Tags from «тег, другой тег» (commas or semicolons), lower-case, each once."""
    found: list[str] = []
    for raw in text.replace(";", ",").split(","):
        name = " ".join(raw.split()).lower().lstrip("#")
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {"tags": _("A tag is at most %(n)d characters long.") % {"n": MAX_TAG_LENGTH}}
            )
        if name not in found:
            found.append(name)
    if len(found) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": MAX_TAGS}})
    return found


def idea_create(
    *,
    actor: Actor,
    organization_id: int,
    title: str,
    text: str,
    kind: str = IdeaKind.IDEA,
    tags: list[str] | None = None,
) -> Idea:
    require_colleague(actor, organization_id)
    title, text = " ".join(title.split()), text.strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the idea a title.")
    if not text:
        errors["text"] = _("Describe the idea or the practice.")
    if errors:
        raise ValidationError(errors)
    idea = Idea(
        organization_id=organization_id,
        title=title,
        text=text,
        kind=kind,
        author=actor_user(actor),
    )
    idea.full_clean()
    names = parse_tags(", ".join(tags or []))
    with transaction.atomic():
        idea.save()
        IdeaTag.objects.bulk_create(
            IdeaTag(organization_id=organization_id, idea=idea, name=name) for name in names
        )
        audit(actor=actor, action="ideas.idea_create", obj=idea, data={"tags": names})
    return idea


def _has_voted(*, idea_id: int, user_id: int) -> bool:
    return Vote.objects.filter(idea_id=idea_id, user_id=user_id).exists()


def _already_voted() -> str:
    return _("You have already voted for this idea: each colleague votes once.")


def idea_vote(*, actor: Actor, idea: Idea) -> Vote:
    """One vote of the actor for the idea; a second one is refused."""
    require_colleague(actor, idea.organization_id)
    user_id = access_for(actor).user_id
    assert user_id is not None  # a colleague is signed in
    try:
        with transaction.atomic():
            locked = Idea.objects.select_for_update().get(pk=idea.pk)
            if _has_voted(idea_id=locked.pk, user_id=user_id):
                raise ValidationError(_already_voted())
            vote = Vote(organization_id=locked.organization_id, idea=locked, user_id=user_id)
            vote.full_clean(validate_constraints=False)
            vote.save()
            Idea.objects.filter(pk=locked.pk).update(votes_count=F("votes_count") + 1)
            audit(actor=actor, action="ideas.idea_vote", obj=locked)
    except IntegrityError as exc:
        # Only if the lock were bypassed: the constraint keeps one vote per person.
        raise ValidationError(_already_voted()) from exc
    idea.refresh_from_db(fields=["votes_count"])
    return vote


def idea_comment(*, actor: Actor, idea: Idea, text: str) -> Comment:
    require_colleague(actor, idea.organization_id)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    comment = Comment(
        organization_id=idea.organization_id, idea=idea, author=actor_user(actor), text=text
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        audit(actor=actor, action="ideas.idea_comment", obj=comment)
    return comment


def idea_adopt(*, actor: Actor, idea: Idea, program: Program) -> Idea:
    """The curator marks the idea adopted and links it to a program of its organization."""
    require_curator(actor, idea.organization_id, _("Only a curator adopts ideas."))
    if program.organization_id != idea.organization_id:
        raise ValidationError({"program": _("Choose a program of the idea's organization.")})
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        locked.status = IdeaStatus.ADOPTED
        locked.program = program
        locked.adopted_at = timezone.now()
        locked.adopted_by = actor_user(actor)
        locked.full_clean()
        locked.save(update_fields=["status", "program", "adopted_at", "adopted_by", "updated_at"])
        audit(
            actor=actor,
            action="ideas.idea_adopt",
            obj=locked,
            data={"program": program.pk},
        )
    return locked


def ideas_forget_person(person: Any) -> None:
    """The person's consent to processing is withdrawn (``consents`` anonymizes them and runs
    this hook inside its transaction). The bank of ideas is tied to logins, so the person's login
    is unlinked from everything it wrote, in every organization (the login itself is disabled):

    - ideas stay, with «Автор скрыт»: an idea or practice is the organization's methodological
      work, which others voted for, discussed or adopted into a program; what identifies the
      author under 152-ФЗ is the link to them, which goes (and «adopted by» when they adopted);
    - comments are deleted: a comment is a personal remark in a conversation, often about named
      colleagues or pupils, that no automatic check can clear of personal data, and nothing else
      depends on it;
    - votes stay counted, unlinked from the login (nobody's vote: the count of an idea does not
      change, and no one can tell what the person voted for).
    """
    user_id = person.user_id
    if user_id is None:
        return
    Idea.objects.filter(author_id=user_id).update(author=None)
    Idea.objects.filter(adopted_by_id=user_id).update(adopted_by=None)
    Comment.objects.filter(author_id=user_id).delete()
    Vote.objects.filter(user_id=user_id).update(user=None)
