"""When a practice post becomes *practice worth repeating*. The rules live here and nowhere else.

A published post is promoted by its peers when people from at least three different
organisations, none of them an organisation of one of its authors, have endorsed it or recorded
repeating it. Only active people in active organisations count: a withdrawn endorsement, a
deactivated or deleted account, or a disabled organisation stops counting at the next
evaluation, and a post promoted by peers loses that promotion if it falls below the threshold.
A facilitator's promotion by hand does not depend on these counts."""

from __future__ import annotations

from .models import Endorsement, PracticePost, RepeatRecord

PEER_ORGANISATIONS_NEEDED = 3


def author_organisations(post: PracticePost) -> set[int]:
    return set(
        post.authors.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )


def vouching_organisations(post: PracticePost) -> set[int]:
    """Organisations, other than the authors', whose active people vouch for the post."""
    endorsing = Endorsement.objects.filter(
        post=post,
        person__is_active=True,
        person__organisation__isnull=False,
        person__organisation__is_active=True,
    ).values_list("person__organisation_id", flat=True)
    repeating = RepeatRecord.objects.filter(
        post=post,
        person__is_active=True,
        organisation__is_active=True,
    ).values_list("organisation_id", flat=True)
    return (set(endorsing) | set(repeating)) - author_organisations(post)


def earns_peer_promotion(post: PracticePost) -> bool:
    return (
        post.status == PracticePost.Status.PUBLISHED
        and len(vouching_organisations(post)) >= PEER_ORGANISATIONS_NEEDED
    )
