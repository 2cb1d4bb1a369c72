"""Reads of practice posts and their signals, each filtered in the query by what the requesting
person may read: published and archived posts that are network-wide or in a community they can
read, and drafts they are an author of."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from groups.models import MANAGING_ROLES, Membership
from groups.selectors import communities_readable
from profiles.models import Person

from .models import Comment, Endorsement, PracticePost, RepeatRecord, Revision

AnyUser = Person | AnonymousUser

SORTS = {
    "newest": ("-published_at", "-pk"),
    "most-repeated": ("-repeat_count", "-published_at", "-pk"),
    "most-endorsed": ("-endorsement_count", "-published_at", "-pk"),
}


def _uid(user: AnyUser) -> int:
    return int(user.pk) if user.is_authenticated else 0


def _is_author(user: AnyUser) -> Exists:
    return Exists(
        PracticePost.authors.through.objects.filter(
            practicepost_id=OuterRef("pk"), person_id=_uid(user)
        )
    )


def posts_readable(*, user: AnyUser) -> QuerySet[PracticePost]:
    if not user.is_authenticated:
        return PracticePost.objects.none()
    shared = Q(status__in=[PracticePost.Status.PUBLISHED, PracticePost.Status.ARCHIVED]) & (
        Q(community__isnull=True) | Q(community__in=communities_readable(user=user).values("pk"))
    )
    own_draft = Q(status=PracticePost.Status.DRAFT) & _is_author(user)
    return PracticePost.objects.filter(shared | own_draft)


def _count(model: type[Model], **filters: object) -> Coalesce:
    # A correlated count per post, so two counts never multiply each other through joins.
    rows = (
        model._default_manager.filter(post=OuterRef("pk"), **filters)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_signal_counts(posts: QuerySet[PracticePost]) -> QuerySet[PracticePost]:
    return posts.annotate(endorsement_count=_count(Endorsement), repeat_count=_count(RepeatRecord))


def practice_library(
    *,
    user: AnyUser,
    service_area: str = "",
    organisation: str = "",
    region: str = "",
    community: str = "",
    status: str = "published",
    promoted_only: bool = False,
    topic: str = "",
    sort: str = "newest",
) -> QuerySet[PracticePost]:
    posts = posts_readable(user=user)
    if status == "archived":
        posts = posts.filter(status=PracticePost.Status.ARCHIVED)
    elif status == "drafts":
        posts = posts.filter(status=PracticePost.Status.DRAFT)
    else:
        posts = posts.filter(status=PracticePost.Status.PUBLISHED)
    if service_area:
        posts = posts.filter(service_area=service_area)
    if organisation:
        posts = posts.filter(organisations__slug=organisation)
    if region:
        posts = posts.filter(organisations__region=region)
    if community:
        posts = posts.filter(community__slug=community)
    if topic:
        posts = posts.filter(topics__slug=topic)
    if promoted_only:
        posts = posts.exclude(promotion="")
    if organisation or region or topic:
        posts = posts.distinct()
    return (
        with_signal_counts(posts)
        .select_related("community")
        .prefetch_related("organisations", "topics")
        .order_by(*SORTS.get(sort, SORTS["newest"]))
    )


def post_get(*, user: AnyUser, pk: int) -> PracticePost:
    """The post if ``user`` may read it; PracticePost.DoesNotExist otherwise (so a view answers
    404, not 403: existence itself may be private)."""
    return (
        with_signal_counts(posts_readable(user=user))
        .select_related("community", "contact__organisation", "created_by", "promoted_by")
        .prefetch_related(
            "organisations",
            "topics",
            "measures",
            Prefetch("authors", Person.objects.select_related("organisation")),
        )
        .get(pk=pk)
    )


def post_comments(*, user: AnyUser, post: PracticePost) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(post__in=posts_readable(user=user), post=post)
        .select_related("author__organisation")
        .order_by("created_at", "pk")
    )


def post_endorsements(*, user: AnyUser, post: PracticePost) -> QuerySet[Endorsement]:
    return (
        Endorsement.objects.filter(post__in=posts_readable(user=user), post=post)
        .select_related("person__organisation")
        .order_by("created_at")
    )


def post_repeats(*, user: AnyUser, post: PracticePost) -> QuerySet[RepeatRecord]:
    return (
        RepeatRecord.objects.filter(post__in=posts_readable(user=user), post=post)
        .select_related("organisation", "person")
        .order_by("-updated_at")
    )


def post_revisions(*, user: AnyUser, post: PracticePost) -> QuerySet[Revision]:
    return (
        Revision.objects.filter(post__in=posts_readable(user=user), post=post)
        .select_related("editor")
        .order_by("-number")
    )


def is_author(*, user: AnyUser, post: PracticePost) -> bool:
    return post.authors.filter(pk=_uid(user)).exists()


def can_moderate(*, user: AnyUser, post: PracticePost) -> bool:
    """Owners and facilitators of the post's community; staff for network-wide posts."""
    if not user.is_authenticated:
        return False
    if post.community_id is None:
        return bool(user.is_staff)
    return Membership.objects.filter(
        community_id=post.community_id, person_id=_uid(user), role__in=MANAGING_ROLES
    ).exists()


def home_feed(*, user: AnyUser, limit: int = 10) -> QuerySet[PracticePost]:
    """New and newly promoted practice from my communities and my areas of expertise."""
    if not user.is_authenticated:
        return PracticePost.objects.none()
    mine = Membership.objects.filter(person_id=_uid(user)).values("community_id")
    expertise = Person.expertise.through.objects.filter(person_id=_uid(user)).values("topic_id")
    in_my_topics = Exists(
        PracticePost.topics.through.objects.filter(
            practicepost_id=OuterRef("pk"), topic_id__in=expertise
        )
    )
    return (
        posts_readable(user=user)
        .filter(status=PracticePost.Status.PUBLISHED)
        .filter(Q(community__in=mine) | in_my_topics)
        .annotate(activity_at=Greatest("published_at", Coalesce("promoted_at", "published_at")))
        .annotate(newly_promoted=Q(promoted_at__isnull=False) & Q(promoted_at=F("activity_at")))
        .select_related("community")
        .prefetch_related("organisations")
        .order_by("-activity_at", "-pk")[:limit]
    )
