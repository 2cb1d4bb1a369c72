"""What of practice is searchable: practice posts, with who may find them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from groups.models import Community
from practice.models import Endorsement, PracticePost
from practice.selectors import posts_readable
from profiles.models import Organisation
from search.index import Facet, SearchableType, SearchDocument, register


def _objects() -> QuerySet[PracticePost]:
    return (
        PracticePost.objects.select_related("community")
        .prefetch_related("authors", "organisations", "topics")
        .annotate(search_endorsements=Count("endorsements", distinct=True))
        .order_by("pk")
    )


def practice_document(post: PracticePost) -> SearchDocument:
    date = post.published_at or post.created_at
    facets = [Facet("service_area", post.service_area, post.get_service_area_display())]
    for organisation in post.organisations.all():
        facets.append(Facet("organisation", str(organisation.pk), organisation.name))
        if organisation.region:
            facets.append(Facet("region", organisation.region, organisation.get_region_display()))
    if post.community is not None:
        facets.append(Facet("community", str(post.community_id), post.community.name))
    facets.append(Facet("year", str(date.year), str(date.year)))
    authors = tuple(sorted(a.pk for a in post.authors.all()))
    draft = post.status == PracticePost.Status.DRAFT
    body = "\n".join(
        part
        for part in [
            post.summary,
            post.challenge,
            post.approach,
            post.outcomes,
            post.lessons,
            post.cost,
            " ".join(t.name for t in post.topics.all()),
        ]
        if part
    )
    return SearchDocument(
        kind="practice",
        object_id=post.pk,
        title=post.title,
        body=body,
        url=post.get_absolute_url(),
        date=date,
        network_wide=not draft and post.community_id is None,
        community_id=None if draft else post.community_id,
        readers=authors if draft else (),
        author_ids=authors,
        endorsement_count=int(getattr(post, "search_endorsements", 0)),
        facets=tuple(dict.fromkeys(facets)),
    )


def _readable(user: Any) -> QuerySet[PracticePost]:
    return posts_readable(user=user)


register(
    SearchableType(
        kind="practice",
        label="Practice",
        model=PracticePost,
        document=practice_document,
        objects=_objects,
        readable=_readable,
        watch=[
            (Endorsement, lambda endorsement: [endorsement.post_id]),
            # Facet labels: a renamed community or organisation re-labels its posts.
            (
                Community,
                lambda community: community.practice_posts.values_list("pk", flat=True),
                ["name"],
            ),
            (
                Organisation,
                lambda organisation: organisation.practice_posts.values_list("pk", flat=True),
                ["name", "region"],
            ),
        ],
        m2m=[
            PracticePost.authors.through,
            PracticePost.organisations.through,
            PracticePost.topics.through,
        ],
        order=1,
    )
)
