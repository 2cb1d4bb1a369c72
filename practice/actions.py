"""Every write about practice posts and their peer signals. Views, commands and (later) the
conversation consumers call these; each checks permission, writes atomically, and publishes
what others are looking at through realtime.publish after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from groups.models import Community
from groups.selectors import communities_readable
from hub.errors import ActionError, Conflict, NotAllowed, NotFound
from hub.markdown import link_mentions, mentioned_names
from profiles.actions import topics_from_names
from profiles.models import Organisation, Person
from realtime.events import (
    PracticeCommentEvent,
    PracticeEndorsementEvent,
    PracticePromotionEvent,
    PracticeRepeatEvent,
    envelope,
    post_group,
)
from realtime.publish import publish_on_commit

from . import rules, selectors
from .models import (
    Comment,
    Endorsement,
    OutcomeMeasure,
    PracticePost,
    RepeatRecord,
    Revision,
    ServiceArea,
)

CONTENT_FIELDS = ("title", "summary", "challenge", "approach", "outcomes", "cost", "lessons")
LIMITS = {"title": 200, "summary": 1000, "cost": 10000}
BODY_LIMIT = 20000
MAX_EVIDENCE_LINKS = 20
MAX_MEASURES = 12


class PracticeSource(Protocol):
    """Anything a draft practice post can be made from: a conversation thread, a selection of
    messages, a document. It needs a title, a body (Markdown) and authors, and links back."""

    def practice_source_title(self) -> str: ...

    def practice_source_body(self) -> str: ...

    def practice_source_authors(self) -> Sequence[Person]: ...

    def get_absolute_url(self) -> str: ...


# ---- checks -------------------------------------------------------------------------------


def _check_text(fields: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for name, value in fields.items():
        value = (value or "").strip()
        limit = LIMITS.get(name, BODY_LIMIT)
        if len(value) > limit:
            label = getattr(PracticePost._meta.get_field(name), "verbose_name", name)
            raise ActionError(f"Keep “{label}” to {limit:,} characters.")
        cleaned[name] = value
    if not cleaned.get("title"):
        raise ActionError("A practice post needs a title.")
    if not cleaned.get("summary"):
        raise ActionError("Write a one-paragraph summary.")
    return cleaned


def _check_service_area(service_area: str) -> None:
    if service_area not in ServiceArea.values:
        raise ActionError(f"“{service_area}” is not a service area in the taxonomy.")


def check_evidence_links(links: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for link in links:
        url = (link.get("url") or "").strip()
        title = (link.get("title") or "").strip()[:200] or url
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > 2000:
            raise ActionError(f"“{url[:80]}” is not a web address starting with https://.")
        cleaned.append({"title": title, "url": url})
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        raise ActionError(f"Give at most {MAX_EVIDENCE_LINKS} evidence links.")
    return cleaned


def _check_community(author: Person, community: Community | None) -> None:
    if community is None:
        return
    if not communities_readable(user=author).filter(pk=community.pk).exists():
        raise NotFound("There is no such community.")
    if not community.memberships.filter(person=author).exists():
        raise NotAllowed("Join the community before posting practice in it.")


def _check_move(editor: Person, post: PracticePost, community: Community | None) -> None:
    """Moving a post between communities (or to or from network-wide) widens or narrows who can
    read it, so the editor must belong to both the community it leaves and the one it enters."""
    if post.community is not None and not post.community.memberships.filter(person=editor).exists():
        raise NotAllowed(f"Only members of {post.community.name} can move this post out of it.")
    _check_community(editor, community)


def _check_review_by(review_by: datetime.date | None, *, must_be_future: bool = False) -> None:
    if review_by is None:
        return
    if must_be_future and review_by <= timezone.localdate():
        raise ActionError("Choose a review-by date in the future.")
    if review_by.year > timezone.localdate().year + 20:
        raise ActionError("Choose a review-by date within twenty years.")


def check_author(*, actor: Person, post: PracticePost) -> None:
    if not selectors.is_author(user=actor, post=post):
        raise NotAllowed("Only the post's authors can do that.")


def check_readable(*, person: Person, post: PracticePost) -> None:
    if not selectors.posts_readable(user=person).filter(pk=post.pk).exists():
        raise NotFound("There is no such practice post.")


def _check_published(post: PracticePost) -> None:
    if post.status != PracticePost.Status.PUBLISHED:
        raise ActionError("Only published practice can be endorsed, repeated or discussed.")


# ---- posts --------------------------------------------------------------------------------


def _set_measures(post: PracticePost, measures: Iterable[dict[str, Any]]) -> None:
    rows = []
    for position, measure in enumerate(measures):
        label = (measure.get("label") or "").strip()
        if not label:
            continue
        rows.append(
            OutcomeMeasure(
                post=post,
                label=label[:200],
                before=_decimal(measure.get("before")),
                after=_decimal(measure.get("after")),
                unit=(measure.get("unit") or "").strip()[:40],
                position=position,
            )
        )
    if len(rows) > MAX_MEASURES:
        raise ActionError(f"Give at most {MAX_MEASURES} measured figures.")
    post.measures.all().delete()
    OutcomeMeasure.objects.bulk_create(rows)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ActionError(f"“{value}” is not a number.") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ActionError(f"“{value}” is not a number we can store.")
    return number.quantize(Decimal("0.01"))


def snapshot(post: PracticePost) -> dict[str, Any]:
    """The content of a post as readers see it, for revisions and their differences."""
    return {
        **{name: getattr(post, name) for name in CONTENT_FIELDS},
        "service_area": post.get_service_area_display(),
        "review_by": post.review_by.isoformat() if post.review_by else "",
        "evidence_links": [f"{link['title']} <{link['url']}>" for link in post.evidence_links],
        "measures": [str(m) for m in post.measures.all()],
        "topics": sorted(t.name for t in post.topics.all()),
        "organisations": sorted(o.name for o in post.organisations.all()),
        "contact": post.contact.display_name if post.contact else "",
    }


def _record_revision(post: PracticePost, editor: Person) -> Revision:
    last = post.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        post=post, number=last + 1, editor=editor, content=snapshot(post)
    )


@transaction.atomic
def post_create(
    *,
    author: Person,
    title: str,
    summary: str,
    service_area: str,
    challenge: str = "",
    approach: str = "",
    outcomes: str = "",
    cost: str = "",
    lessons: str = "",
    evidence_links: Iterable[dict[str, str]] = (),
    measures: Iterable[dict[str, Any]] = (),
    topics: Iterable[str] = (),
    organisations: Iterable[Organisation] | None = None,
    contact: Person | None = None,
    co_authors: Iterable[Person] = (),
    community: Community | None = None,
    review_by: datetime.date | None = None,
    publish: bool = False,
) -> PracticePost:
    """Create a practice post as a draft (only its authors see it), or publish it at once."""
    text = _check_text(
        {
            "title": title,
            "summary": summary,
            "challenge": challenge,
            "approach": approach,
            "outcomes": outcomes,
            "cost": cost,
            "lessons": lessons,
        }
    )
    _check_service_area(service_area)
    _check_community(author, community)
    _check_review_by(review_by)
    post = PracticePost.objects.create(
        **text,
        service_area=service_area,
        evidence_links=check_evidence_links(evidence_links),
        contact=contact or author,
        community=community,
        review_by=review_by,
        created_by=author,
    )
    post.authors.set([author, *[p for p in co_authors if p.pk != author.pk]])
    post.topics.set(topics_from_names(topics))
    if organisations is None:
        organisations = [author.organisation] if author.organisation else []
    post.organisations.set(list(organisations))
    _set_measures(post, measures)
    if publish:
        post_publish(actor=author, post=post)
    return post


@transaction.atomic
def post_update(
    *,
    editor: Person,
    post: PracticePost,
    title: str,
    summary: str,
    service_area: str,
    challenge: str = "",
    approach: str = "",
    outcomes: str = "",
    cost: str = "",
    lessons: str = "",
    evidence_links: Iterable[dict[str, str]] = (),
    measures: Iterable[dict[str, Any]] = (),
    topics: Iterable[str] = (),
    organisations: Iterable[Organisation] | None = None,
    contact: Person | None = None,
    co_authors: Iterable[Person] | None = None,
    community: Community | None = None,
    review_by: datetime.date | None = None,
    publish: bool = False,
) -> PracticePost:
    """Edit a post, and publish it too when ``publish`` is set (in the same transaction).
    Editing a published post keeps a revision with the editor and time; moving it between
    communities requires membership of both."""
    check_author(actor=editor, post=post)
    text = _check_text(
        {
            "title": title,
            "summary": summary,
            "challenge": challenge,
            "approach": approach,
            "outcomes": outcomes,
            "cost": cost,
            "lessons": lessons,
        }
    )
    _check_service_area(service_area)
    if community != post.community:
        _check_move(editor, post, community)
    _check_review_by(review_by)
    post = PracticePost.objects.select_for_update().get(pk=post.pk)
    for name, value in text.items():
        setattr(post, name, value)
    post.service_area = service_area
    post.evidence_links = check_evidence_links(evidence_links)
    post.contact = contact or post.contact or editor
    post.community = community
    post.review_by = review_by
    post.updated_at = timezone.now()
    post.save()
    post.topics.set(topics_from_names(topics))
    if organisations is not None:
        post.organisations.set(list(organisations))
    if co_authors is not None:
        post.authors.set([editor, *[p for p in co_authors if p.pk != editor.pk]])
    _set_measures(post, measures)
    if post.status == PracticePost.Status.PUBLISHED:
        _record_revision(post, editor)
    elif publish:
        post_publish(actor=editor, post=post)
    return post


@transaction.atomic
def post_publish(*, actor: Person, post: PracticePost) -> PracticePost:
    check_author(actor=actor, post=post)
    if post.status == PracticePost.Status.PUBLISHED:
        raise Conflict("This practice is already published.")
    if post.community_id is not None:
        _check_community(actor, post.community)
    now = timezone.now()
    post.status = PracticePost.Status.PUBLISHED
    post.published_at = post.published_at or now
    post.updated_at = now
    post.save(update_fields=["status", "published_at", "updated_at"])
    if not post.revisions.exists():
        _record_revision(post, actor)
    evaluate_promotion(post)
    return post


@transaction.atomic
def post_archive(*, actor: Person, post: PracticePost) -> PracticePost:
    if not (
        selectors.is_author(user=actor, post=post) or selectors.can_moderate(user=actor, post=post)
    ):
        raise NotAllowed("Only the post's authors or its community's facilitators can archive it.")
    if post.status != PracticePost.Status.PUBLISHED:
        raise Conflict("Only published practice can be archived; a draft can simply be edited.")
    post.status = PracticePost.Status.ARCHIVED
    post.updated_at = timezone.now()
    post.save(update_fields=["status", "updated_at"])
    return post


@transaction.atomic
def post_confirm_review(
    *, actor: Person, post: PracticePost, review_by: datetime.date
) -> PracticePost:
    """An author confirms the practice still holds, and sets the next review-by date."""
    check_author(actor=actor, post=post)
    _check_review_by(review_by, must_be_future=True)
    post.review_by = review_by
    post.updated_at = timezone.now()
    post.save(update_fields=["review_by", "updated_at"])
    if post.status == PracticePost.Status.PUBLISHED:
        _record_revision(post, actor)
    return post


@transaction.atomic
def draft_practice_from(
    source: PracticeSource,
    *,
    actor: Person,
    service_area: str = ServiceArea.CUSTOMER_SERVICES,
    community: Community | None = None,
) -> PracticePost:
    """A draft practice post prefilled from ``source`` and linking back to it. The actor and
    the source's authors are its authors; nobody else sees it until it is published."""
    body = source.practice_source_body().strip()
    first_paragraph = body.split("\n\n", 1)[0].strip()
    title = source.practice_source_title().strip()[:200] or "Untitled practice"
    post = post_create(
        author=actor,
        title=title,
        summary=first_paragraph[:1000] or title,
        approach=body[:BODY_LIMIT],
        service_area=service_area,
        community=community,
        co_authors=[p for p in source.practice_source_authors() if p.is_active],
    )
    if isinstance(source, models.Model):
        post.source_type = ContentType.objects.get_for_model(source)
        post.source_id = source.pk
    post.source_title = title
    post.source_url = source.get_absolute_url()[:500]
    post.save(update_fields=["source_type", "source_id", "source_title", "source_url"])
    return post


# ---- promotion ----------------------------------------------------------------------------


def _publish_promotion(post: PracticePost, op: Literal["promoted", "unpromoted"]) -> None:
    event: PracticePromotionEvent = {
        "kind": "practice.promotion",
        "op": op,
        "post": post.pk,
        "promotion": post.promotion,
    }
    publish_on_commit(post_group(post.pk), envelope(event))


def evaluate_promotion(post: PracticePost) -> PracticePost:
    """Apply the peer rule (practice.rules) after any signal changes. A facilitator's
    promotion stands; a peer promotion lapses when the post no longer earns it."""
    earns = rules.earns_peer_promotion(post)
    if earns and not post.promotion:
        post.promotion = PracticePost.Promotion.PEERS
        post.promoted_at = timezone.now()
        post.promoted_by = None
        post.promotion_reason = ""
        post.save(update_fields=["promotion", "promoted_at", "promoted_by", "promotion_reason"])
        _publish_promotion(post, "promoted")
    elif not earns and post.promotion == PracticePost.Promotion.PEERS:
        post.promotion = PracticePost.Promotion.NONE
        post.promoted_at = None
        post.save(update_fields=["promotion", "promoted_at"])
        _publish_promotion(post, "unpromoted")
    return post


@transaction.atomic
def promote_by_hand(*, actor: Person, post: PracticePost, reason: str) -> PracticePost:
    if not selectors.can_moderate(user=actor, post=post):
        raise NotAllowed("Only a facilitator of the post's community can promote it by hand.")
    _check_published(post)
    reason = reason.strip()
    if not reason:
        raise ActionError("Say why this is practice worth repeating.")
    if len(reason) > 1000:
        raise ActionError("Keep the reason to 1,000 characters.")
    post.promotion = PracticePost.Promotion.FACILITATOR
    post.promoted_at = timezone.now()
    post.promoted_by = actor
    post.promotion_reason = reason
    post.save(update_fields=["promotion", "promoted_at", "promoted_by", "promotion_reason"])
    _publish_promotion(post, "promoted")
    return post


@transaction.atomic
def reevaluate_promotions_for(person: Person) -> None:
    """Re-apply the peer rule to every post ``person`` vouched for, after their account was
    deactivated or their organisation disabled."""
    posts = PracticePost.objects.filter(
        models.Q(endorsements__person=person) | models.Q(repeats__person=person),
        promotion=PracticePost.Promotion.PEERS,
    ).distinct()
    for post in posts:
        evaluate_promotion(post)


# ---- endorsements and repeat records ------------------------------------------------------


def _lock(post: PracticePost) -> PracticePost:
    """Lock the post row: signals on one post are applied one at a time, so duplicates are
    caught and every promotion evaluation sees the signals before it."""
    return PracticePost.objects.select_for_update().get(pk=post.pk)


def _publish_endorsement(
    post: PracticePost, person: Person, op: Literal["added", "withdrawn"]
) -> None:
    event: PracticeEndorsementEvent = {
        "kind": "practice.endorsement",
        "op": op,
        "post": post.pk,
        "person": person.pk,
        "endorsements": post.endorsements.count(),
    }
    publish_on_commit(post_group(post.pk), envelope(event))


@transaction.atomic
def endorse(*, person: Person, post: PracticePost, note: str = "") -> Endorsement:
    check_readable(person=person, post=post)
    _check_published(post)
    if selectors.is_author(user=person, post=post):
        raise NotAllowed("You cannot endorse your own practice.")
    if len(note) > 1000:
        raise ActionError("Keep the note to 1,000 characters.")
    post = _lock(post)
    if Endorsement.objects.filter(post=post, person=person).exists():
        raise Conflict("You have already endorsed this practice.")
    endorsement = Endorsement.objects.create(post=post, person=person, note=note.strip())
    _publish_endorsement(post, person, "added")
    evaluate_promotion(post)
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, person: Person, post: PracticePost) -> None:
    post = _lock(post)
    deleted, _ = Endorsement.objects.filter(post=post, person=person).delete()
    if not deleted:
        raise NotFound("You have not endorsed this practice.")
    _publish_endorsement(post, person, "withdrawn")
    evaluate_promotion(post)


@transaction.atomic
def repeat_record(
    *,
    person: Person,
    post: PracticePost,
    status: str,
    outcome: str = "",
    started_on: datetime.date | None = None,
) -> RepeatRecord:
    """Record, or update, that the person's organisation repeated this practice."""
    check_readable(person=person, post=post)
    _check_published(post)
    if person.organisation_id is None:
        raise NotAllowed("Only staff of a member organisation can record repeating practice.")
    if selectors.is_author(user=person, post=post):
        raise NotAllowed("Authors cannot record repeating their own practice.")
    if status not in RepeatRecord.Status.values:
        raise ActionError("Choose planning, trying, adopted or stopped.")
    if len(outcome) > 5000:
        raise ActionError("Keep the outcome note to 5,000 characters.")
    if started_on and started_on > timezone.localdate() + datetime.timedelta(days=366):
        raise ActionError("Choose a start date within the next year.")
    post = _lock(post)
    record, created = RepeatRecord.objects.select_for_update().get_or_create(
        post=post,
        organisation_id=person.organisation_id,
        defaults={"person": person, "status": status, "outcome": outcome.strip()},
    )
    if not created:
        record.person = person
        record.status = status
        record.outcome = outcome.strip()
        record.updated_at = timezone.now()
    if started_on:
        record.started_on = started_on
    record.save()
    event: PracticeRepeatEvent = {
        "kind": "practice.repeat",
        "op": "recorded" if created else "updated",
        "post": post.pk,
        "organisation": record.organisation_id,
        "status": status,
    }
    publish_on_commit(post_group(post.pk), envelope(event))
    evaluate_promotion(post)
    return record


# ---- comments -----------------------------------------------------------------------------


def _readers_named(post: PracticePost, names: list[str]) -> list[Person]:
    """People named in @**mentions** who can read the post; other names stay plain text."""
    if not names:
        return []
    named = models.Q()
    for name in names[:20]:
        named |= models.Q(display_name__iexact=name)
    candidates = Person.objects.filter(named, is_active=True)
    return [
        p for p in candidates[:50] if selectors.posts_readable(user=p).filter(pk=post.pk).exists()
    ]


def _check_comment_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ActionError("Write something before posting a comment.")
    if len(body) > 10000:
        raise ActionError("Keep comments to 10,000 characters.")
    return body


def _with_mentions(comment: Comment) -> None:
    people = _readers_named(comment.post, mentioned_names(comment.body))
    comment.mentions.set(people)
    comment.body = link_mentions(
        comment.body, {p.display_name.lower(): p.get_absolute_url() for p in people}
    )
    comment.save(update_fields=["body"])


def _publish_comment(comment: Comment, op: Literal["created", "edited", "deleted"]) -> None:
    event: PracticeCommentEvent = {
        "kind": "practice.comment",
        "op": op,
        "post": comment.post_id,
        "comment": comment.pk,
        "parent": comment.parent_id,
        "author": comment.author_id,
    }
    publish_on_commit(post_group(comment.post_id), envelope(event))


@transaction.atomic
def comment_create(
    *, author: Person, post: PracticePost, body: str, parent: Comment | None = None
) -> Comment:
    check_readable(person=author, post=post)
    _check_published(post)
    body = _check_comment_body(body)
    if parent is not None and (parent.post_id != post.pk or parent.is_deleted):
        raise ActionError("You can only reply to a comment on this post.")
    comment = Comment.objects.create(post=post, author=author, body=body, parent=parent)
    _with_mentions(comment)
    _publish_comment(comment, "created")
    return comment


def _check_comment_moderation(actor: Person, comment: Comment) -> None:
    if comment.is_deleted:
        raise NotFound("That comment has been deleted.")
    if comment.author_id != actor.pk and not selectors.can_moderate(user=actor, post=comment.post):
        raise NotAllowed("Only the comment's author or a facilitator can change it.")


@transaction.atomic
def comment_edit(*, actor: Person, comment: Comment, body: str) -> Comment:
    _check_comment_moderation(actor, comment)
    comment.body = _check_comment_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _with_mentions(comment)
    _publish_comment(comment, "edited")
    return comment


@transaction.atomic
def comment_delete(*, actor: Person, comment: Comment) -> Comment:
    """Leave a "deleted" marker so replies keep their place; the text itself is removed."""
    _check_comment_moderation(actor, comment)
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "deleted_at"])
    comment.mentions.clear()
    _publish_comment(comment, "deleted")
    return comment


# ---- bulk import ----------------------------------------------------------------------------


def _split_summary(text: str) -> tuple[str, str]:
    """A summary of at most the summary limit, cut at a space, and the rest of the text."""
    limit = LIMITS["summary"]
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > 0 else limit
    return text[:cut].strip(), text[cut:].strip()


@transaction.atomic
def posts_import(
    *,
    author: Person,
    service_area: str,
    posts: Iterable[dict[str, str]],
    batch_size: int = 1000,
) -> list[int]:
    """Publish many network-wide practice posts at once, for importing a collection: each item
    has a ``title`` and a ``body`` (the body's first paragraph-sized part becomes the summary,
    the rest "what we did"). Bulk writes send no model signals, so the new posts are queued
    for search indexing explicitly; they are indexed after commit like any other post."""
    from search.index import enqueue

    _check_service_area(service_area)
    now = timezone.now()
    ids: list[int] = []
    batch: list[PracticePost] = []

    def write() -> None:
        created = PracticePost.objects.bulk_create(batch)
        PracticePost.authors.through.objects.bulk_create(
            PracticePost.authors.through(practicepost_id=p.pk, person_id=author.pk) for p in created
        )
        ids.extend(p.pk for p in created)
        batch.clear()

    for item in posts:
        summary, rest = _split_summary((item.get("body") or "").strip())
        text = _check_text(
            {
                "title": (item.get("title") or "").strip()[: LIMITS["title"]]
                or summary[:80]
                or "Untitled",
                "summary": summary or "(no summary)",
                "approach": rest[:BODY_LIMIT],
            }
        )
        batch.append(
            PracticePost(
                **text,
                service_area=service_area,
                contact=author,
                created_by=author,
                status=PracticePost.Status.PUBLISHED,
                created_at=now,
                updated_at=now,
                published_at=now,
            )
        )
        if len(batch) >= batch_size:
            write()
    if batch:
        write()
    enqueue("practice", ids)
    return ids
