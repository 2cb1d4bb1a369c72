"""What of communities is searchable: communities themselves and conversation messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from groups.models import Community, Conversation, Message, Visibility
from groups.selectors import communities_listed, conversations_readable
from search.index import Facet, SearchableType, SearchDocument, register


def community_document(community: Community) -> SearchDocument:
    topics = " ".join(t.name for t in community.topics.all())
    # A private community shows only its name to non-members, so only its name is searchable.
    # A hidden one is findable by its members alone: it is filtered like its own content.
    body = (
        "" if community.visibility == Visibility.PRIVATE else f"{community.description}\n{topics}"
    )
    hidden = community.visibility == Visibility.HIDDEN
    return SearchDocument(
        kind="community",
        object_id=community.pk,
        title=community.name,
        body=body,
        url=community.get_absolute_url(),
        date=community.created_at,
        network_wide=not hidden,
        community_id=community.pk if hidden else None,
        facets=(Facet("year", str(community.created_at.year), str(community.created_at.year)),),
    )


def message_document(message: Message) -> SearchDocument | None:
    if message.deleted_at is not None:
        return None
    conversation = message.conversation
    community = conversation.community
    facets = [Facet("community", str(community.pk), community.name)]
    author = message.author
    if author is not None and author.organisation is not None:
        organisation = author.organisation
        facets.append(Facet("organisation", str(organisation.pk), organisation.name))
        if organisation.region:
            facets.append(Facet("region", organisation.region, organisation.get_region_display()))
    facets.append(Facet("year", str(message.created_at.year), str(message.created_at.year)))
    return SearchDocument(
        kind="message",
        object_id=message.pk,
        title=conversation.title,
        body=message.body,
        url=message.get_absolute_url(),
        date=message.created_at,
        community_id=community.pk,
        author_ids=(message.author_id,) if message.author_id else (),
        facets=tuple(facets),
    )


def _communities() -> QuerySet[Community]:
    return Community.objects.prefetch_related("topics").order_by("pk")


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related(
        "conversation__community", "author__organisation"
    ).order_by("pk")


def _communities_readable(user: Any) -> QuerySet[Community]:
    return communities_listed(user=user)


def _messages_readable(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(
        conversation__in=conversations_readable(user=user), deleted_at__isnull=True
    ).select_related("conversation__community", "author")


register(
    SearchableType(
        kind="community",
        label="Communities",
        model=Community,
        document=community_document,
        objects=_communities,
        readable=_communities_readable,
        m2m=[Community.topics.through],
        weights=(2.0, 1.0),
        order=3,
    )
)
register(
    SearchableType(
        kind="message",
        label="Messages",
        model=Message,
        document=message_document,
        objects=_messages,
        readable=_messages_readable,
        # A renamed community is its messages' facet label; a renamed thread their title.
        watch=[
            (
                Community,
                lambda community: Message.objects.filter(
                    conversation__community=community
                ).values_list("pk", flat=True),
                ["name"],
            ),
            (
                Conversation,
                lambda conversation: conversation.messages.values_list("pk", flat=True),
                ["title"],
            ),
        ],
        order=2,
    )
)
