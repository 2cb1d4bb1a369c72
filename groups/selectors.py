"""Reads of communities, each filtered in the query by what the requesting person may see.

Two rights, never confused:
- *listed*: the community's existence and name may be shown (open, restricted, private, and
  hidden ones the person belongs to);
- *readable*: its members and content may be shown (open ones, and any the person belongs to).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from profiles.models import Person, Topic

from .models import (
    MANAGING_ROLES,
    Community,
    Conversation,
    ConversationEvent,
    Invitation,
    JoinRequest,
    Membership,
    Message,
    MessageEdit,
    Notification,
    ReadPosition,
    Role,
    Visibility,
)

AnyUser = Person | AnonymousUser


def _uid(user: AnyUser) -> int:
    """The person's id; 0, which no row has, for an anonymous visitor."""
    return int(user.pk) if user.is_authenticated else 0


def _member_of(user: AnyUser) -> Exists:
    return Exists(Membership.objects.filter(community=OuterRef("pk"), person_id=_uid(user)))


def communities_listed(*, user: AnyUser) -> QuerySet[Community]:
    """Communities whose existence ``user`` may know of."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(~Q(visibility=Visibility.HIDDEN) | _member_of(user))


def communities_readable(*, user: AnyUser) -> QuerySet[Community]:
    """Communities whose members and content ``user`` may read."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(Q(visibility=Visibility.OPEN) | _member_of(user))


def community_can_read(*, user: AnyUser, community: Community) -> bool:
    return communities_readable(user=user).filter(pk=community.pk).exists()


def person_communities(*, user: AnyUser, person: Person) -> QuerySet[Community]:
    """The communities ``person`` belongs to that ``user`` may see the members of: membership
    is part of a member list, so only readable communities show it."""
    return communities_readable(user=user).filter(memberships__person=person).order_by("name")


def my_invitation_to(*, user: AnyUser, community: Community) -> Invitation | None:
    return my_invitations(user=user).filter(community=community).first()


def membership_of(*, user: AnyUser, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(community=community, person=user).first()


def _with_my_role(communities: QuerySet[Community], user: AnyUser) -> QuerySet[Community]:
    my_role = Membership.objects.filter(community=OuterRef("pk"), person_id=_uid(user)).values(
        "role"
    )
    return communities.annotate(
        my_role=Subquery(my_role[:1]),
        member_count=Count("memberships", distinct=True),
    )


def community_directory(
    *, user: AnyUser, q: str = "", topic: str = "", visibility: str = "", mine: bool = False
) -> QuerySet[Community]:
    communities = communities_listed(user=user)
    if q:
        # Private communities list their name only, so only their name is searched.
        communities = communities.filter(
            Q(name__icontains=q)
            | (~Q(visibility=Visibility.PRIVATE) & Q(description__icontains=q))
            | (_member_of(user) & Q(description__icontains=q))
        )
    if topic:
        # Private communities show their name only, so their topics are not searchable either.
        communities = communities.filter(
            (~Q(visibility=Visibility.PRIVATE) | _member_of(user)) & Q(topics__slug=topic)
        )
    if visibility in Visibility.values:
        communities = communities.filter(visibility=visibility)
    if mine:
        communities = communities.filter(_member_of(user))
    return _with_my_role(communities, user).prefetch_related("topics").order_by("name")


def communities_for_posting(*, user: AnyUser) -> QuerySet[Community]:
    """Communities the person belongs to, where they may post practice and start threads."""
    return communities_readable(user=user).filter(_member_of(user)).order_by("name")


def community_topics(*, user: AnyUser) -> QuerySet[Topic]:
    """Topics of communities whose topics ``user`` may see (not private or hidden ones they
    do not belong to), for the community directory's menu."""
    visible = communities_listed(user=user).filter(
        ~Q(visibility=Visibility.PRIVATE) | _member_of(user)
    )
    return Topic.objects.filter(communities__in=visible.values("pk")).distinct().order_by("name")


def community_get(*, user: AnyUser, slug: str) -> Community:
    """The community, if ``user`` may know it exists; Community.DoesNotExist otherwise."""
    return (
        _with_my_role(communities_listed(user=user), user).prefetch_related("topics").get(slug=slug)
    )


def community_members(*, user: AnyUser, community: Community) -> QuerySet[Membership]:
    """The member list, or nothing if ``user`` may not read this community."""
    if not community_can_read(user=user, community=community):
        return Membership.objects.none()
    return (
        Membership.objects.filter(community=community)
        .select_related("person__organisation")
        .order_by("role", "person__display_name")
    )


def my_communities(*, user: AnyUser) -> QuerySet[Community]:
    if not user.is_authenticated:
        return Community.objects.none()
    return _with_my_role(Community.objects.filter(_member_of(user)), user).order_by("name")


def communities_managed(
    *, user: AnyUser, excluding_member: Person | None = None
) -> QuerySet[Community]:
    """Communities where ``user`` is an owner or facilitator, optionally leaving out those that
    ``excluding_member`` already belongs to (for "invite this person" menus)."""
    managed = Community.objects.filter(
        memberships__person_id=_uid(user), memberships__role__in=[Role.OWNER, Role.FACILITATOR]
    )
    if excluding_member is not None:
        managed = managed.exclude(memberships__person=excluding_member)
    return managed.order_by("name")


def suggested_communities(*, user: AnyUser, limit: int = 6) -> QuerySet[Community]:
    """Communities the person has not joined that share topics with their expertise (open and
    restricted ones, whose topics are shown) or already count colleagues from their organisation
    (open ones only, whose member lists are public). Private and hidden ones are never suggested:
    that would reveal what only their members may see."""
    if not user.is_authenticated:
        return Community.objects.none()
    expertise = Person.expertise.through.objects.filter(person_id=_uid(user)).values("topic_id")
    shared_topics = Count("topics", filter=Q(topics__in=expertise), distinct=True)
    colleagues = Count(
        "memberships",
        filter=Q(memberships__person__organisation_id=user.organisation_id)
        & Q(memberships__person__organisation__isnull=False)
        & Q(visibility=Visibility.OPEN),
        distinct=True,
    )
    pending = JoinRequest.objects.filter(
        community=OuterRef("pk"), person_id=_uid(user), status=JoinRequest.Status.PENDING
    )
    return (
        Community.objects.filter(visibility__in=[Visibility.OPEN, Visibility.RESTRICTED])
        .exclude(_member_of(user))
        .exclude(Exists(pending))
        .annotate(shared_topics=shared_topics, colleagues=colleagues)
        .filter(Q(shared_topics__gt=0) | Q(colleagues__gt=0))
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-shared_topics", "-colleagues", "name")
        .prefetch_related("topics")[:limit]
    )


def pending_requests(*, user: AnyUser, community: Community) -> QuerySet[JoinRequest]:
    """Requests awaiting a decision, shown only to the community's owners and facilitators."""
    manages = Membership.objects.filter(
        community=community, person_id=_uid(user), role__in=[Role.OWNER, Role.FACILITATOR]
    )
    return (
        JoinRequest.objects.filter(community=community, status=JoinRequest.Status.PENDING)
        .filter(Exists(manages))
        .select_related("person__organisation")
    )


def my_pending_request(*, user: AnyUser, community: Community) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        community=community, person=user, status=JoinRequest.Status.PENDING
    ).first()


def _addressed_to(user: Person) -> Q:
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return Q(person=user) | Q(person__isnull=True, email__in=verified)


def my_invitations(*, user: AnyUser) -> QuerySet[Invitation]:
    """Pending invitations to this person, by account or by a verified email of theirs."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(_addressed_to(user), status=Invitation.Status.PENDING)
        .select_related("community", "invited_by")
        .prefetch_related(Prefetch("community__topics"))
    )


def invitation_for(*, user: AnyUser, token: str) -> Invitation:
    """The pending invitation with this token if it is addressed to ``user``."""
    if not user.is_authenticated:
        raise Invitation.DoesNotExist
    return my_invitations(user=user).get(token=token)


def pending_email_invitation(*, token: str) -> Invitation | None:
    """The pending invitation of an email address with this token, for someone not signed in.
    The token is the capability: it was mailed to that address alone."""
    if not token:
        return None
    return (
        Invitation.objects.filter(token=token, status=Invitation.Status.PENDING, person=None)
        .exclude(email="")
        .first()
    )


def sent_invitations(*, user: AnyUser, community: Community) -> QuerySet[Invitation]:
    manages = Membership.objects.filter(
        community=community, person_id=_uid(user), role__in=[Role.OWNER, Role.FACILITATOR]
    )
    return (
        Invitation.objects.filter(community=community, status=Invitation.Status.PENDING)
        .filter(Exists(manages))
        .select_related("person", "invited_by")
    )


# ---- conversations ------------------------------------------------------------------------

CATCH_UP_LIMIT = 500
# Someone is online while a socket of theirs was seen this recently. Pages send a heartbeat
# every 25 s; a browser may slow a background tab's timers to once a minute.
ONLINE_WINDOW = datetime.timedelta(seconds=90)


def conversations_readable(*, user: AnyUser) -> QuerySet[Conversation]:
    return Conversation.objects.filter(community__in=communities_readable(user=user).values("pk"))


def conversation_get(*, user: AnyUser, pk: int) -> Conversation:
    """The conversation if ``user`` may read it; Conversation.DoesNotExist otherwise."""
    return conversations_readable(user=user).select_related("community").get(pk=pk)


def conversation_readers(*, conversation: Conversation) -> QuerySet[Person]:
    """Everyone who may read the conversation (for mentions and their autocomplete)."""
    people = Person.objects.filter(is_active=True)
    if conversation.community.visibility == Visibility.OPEN:
        return people
    return people.filter(memberships__community_id=conversation.community_id)


def community_conversations(*, user: AnyUser, community: Community) -> QuerySet[Conversation]:
    """The community's conversations, newest activity first, with the user's unread count."""
    # Evaluated inside the message subquery, so the outer row is the message.
    last_read = ReadPosition.objects.filter(
        conversation=OuterRef("conversation"), person_id=_uid(user)
    ).values("last_read_seq")[:1]
    unread = (
        Message.objects.filter(
            conversation=OuterRef("pk"),
            seq__gt=Coalesce(Subquery(last_read), Value(0)),
            deleted_at__isnull=True,
        )
        .exclude(author_id=_uid(user))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        conversations_readable(user=user)
        .filter(community=community)
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .select_related("created_by")
        .order_by("-last_activity_at", "-pk")
    )


HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryPage:
    """Up to HISTORY_PAGE_SIZE messages of a conversation, oldest first."""

    messages: list[Message]
    has_earlier: bool
    # No later message exists: the page is the live end of the conversation.
    at_latest: bool


def message_history(
    *,
    user: AnyUser,
    conversation: Conversation,
    before: int | None = None,
    at: int | None = None,
    limit: int = HISTORY_PAGE_SIZE,
) -> HistoryPage:
    """A page of the conversation's messages, with what the page needs to render them: the
    latest ``limit``; or the ``limit`` before sequence ``before``; or, with ``at``, the page
    that starts at the message at (or next after) sequence ``at``, filled up with earlier
    messages when fewer than ``limit`` follow it."""
    readable = Message.objects.filter(
        conversation__in=conversations_readable(user=user), conversation=conversation
    )
    chosen = readable
    if before is not None:
        chosen = readable.filter(seq__lt=before)
    elif at is not None:
        last = list(
            readable.filter(seq__gte=at)
            .order_by("seq")
            .values_list("seq", flat=True)[limit - 1 : limit]
        )
        if last:
            chosen = readable.filter(seq__lte=last[0])
    rows = list(
        chosen.select_related("author__organisation", "reply_to__author", "pinned_by")
        .prefetch_related("reactions")
        .order_by("-seq")[: limit + 1]
    )
    messages = list(reversed(rows[:limit]))
    if messages:
        at_latest = not readable.filter(seq__gt=messages[-1].seq).exists()
    else:
        at_latest = before is None or not readable.filter(seq__gte=before).exists()
    return HistoryPage(messages=messages, has_earlier=len(rows) > limit, at_latest=at_latest)


PINNED_SHOWN = 20


def pinned_messages(*, user: AnyUser, conversation: Conversation) -> list[Message]:
    """The conversation's pinned messages, most recently pinned first, however old."""
    return list(
        Message.objects.filter(
            conversation__in=conversations_readable(user=user),
            conversation=conversation,
            pinned_at__isnull=False,
            deleted_at__isnull=True,
        )
        .select_related("author")
        .order_by("-pinned_at", "-pk")[:PINNED_SHOWN]
    )


def first_unread_seq(*, user: AnyUser, conversation: Conversation) -> int | None:
    """The sequence of the person's first unread message in the conversation, if any."""
    last_read = ReadPosition.objects.filter(conversation=conversation, person_id=_uid(user)).values(
        "last_read_seq"
    )[:1]
    return (
        Message.objects.filter(
            conversation__in=conversations_readable(user=user),
            conversation=conversation,
            seq__gt=Coalesce(Subquery(last_read), Value(0)),
            deleted_at__isnull=True,
        )
        .exclude(author_id=_uid(user))
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )


def events_after(
    *, user: AnyUser, conversation: Conversation, after_seq: int, limit: int = CATCH_UP_LIMIT
) -> tuple[list[dict], bool]:
    """The logged events after ``after_seq``, in order, and whether more than ``limit`` were
    missed (then the client reloads the page state instead of replaying)."""
    rows = list(
        ConversationEvent.objects.filter(conversation__in=conversations_readable(user=user))
        .filter(conversation=conversation, seq__gt=after_seq)
        .order_by("seq")
        .values_list("payload", flat=True)[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def message_readable(*, user: AnyUser, pk: int) -> Message | None:
    """The message ``pk`` if ``user`` may read its conversation, with its conversation,
    community and author; else None."""
    return (
        Message.objects.filter(conversation__in=conversations_readable(user=user))
        .select_related("conversation__community", "author__organisation", "reply_to__author")
        .filter(pk=pk)
        .first()
    )


def message_edit_history(*, user: AnyUser, conversation: Conversation, pk: int) -> Message | None:
    """Message ``pk`` of the conversation with its earlier versions (``edits``), if ``user``
    may see them: its author, or a facilitator of the community while a member. Readers see
    only the text as it is now; a deleted message has no history left."""
    facilitates = Membership.objects.filter(
        community=OuterRef("conversation__community"),
        person_id=_uid(user),
        role__in=MANAGING_ROLES,
    )
    edits = MessageEdit.objects.select_related("edited_by").order_by("-edited_at", "-pk")
    return (
        Message.objects.filter(conversation__in=conversations_readable(user=user))
        .filter(conversation=conversation, pk=pk, deleted_at__isnull=True)
        .filter(Q(author_id=_uid(user)) | Exists(facilitates))
        .select_related("author")
        .prefetch_related(Prefetch("edits", queryset=edits))
        .first()
    )


def message_payload(message: Message, reactions: dict[str, list[int]] | None = None) -> dict:
    """A message as the realtime protocol and the page's JavaScript see it. ``reactions``,
    when the caller knows them (none, for a message just written), saves their query."""
    from hub.markdown import render_markdown

    if reactions is None:
        reactions = {}
        for reaction in message.reactions.all():
            reactions.setdefault(reaction.emoji, []).append(reaction.person_id)
    author = message.author
    parent = message.reply_to if message.reply_to_id else None
    return {
        "id": message.pk,
        "seq": message.seq,
        "author": (
            {
                "id": author.pk,
                "name": author.display_name,
                "url": author.get_absolute_url(),
                "organisation": author.organisation.name if author.organisation else None,
            }
            if author
            else None
        ),
        "reply_to": message.reply_to_id,
        # Where the parent is, and whose it is, for the "In reply to" line of a parent
        # older than the page.
        "reply_to_seq": parent.seq if parent else None,
        "reply_to_author": parent.author.display_name if parent and parent.author else None,
        "html": "" if message.is_deleted else render_markdown(message.body),
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "edited": message.edited_at is not None,
        "deleted": message.is_deleted,
        "pinned": message.pinned_at is not None,
        "reactions": reactions,
    }


def unread_by_community(*, user: AnyUser) -> dict[int, int]:
    """Unread message counts per community the user belongs to."""
    counts: dict[int, int] = {}
    for conversation in Conversation.objects.filter(
        community__memberships__person_id=_uid(user)
    ).values("pk", "community_id"):
        counts.setdefault(conversation["community_id"], 0)
    rows = (
        Message.objects.filter(
            conversation__community__memberships__person_id=_uid(user), deleted_at__isnull=True
        )
        .exclude(author_id=_uid(user))
        .filter(
            seq__gt=Coalesce(
                Subquery(
                    ReadPosition.objects.filter(
                        conversation=OuterRef("conversation"), person_id=_uid(user)
                    ).values("last_read_seq")[:1]
                ),
                Value(0),
            )
        )
        .values("conversation__community_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["conversation__community_id"]] = row["n"]
    return counts


def notifications_readable(*, user: AnyUser) -> QuerySet[Notification]:
    """The person's mentions and replies, newest first, leaving out those whose message they
    can no longer read (they left its community, say) or that was deleted."""
    return (
        Notification.objects.filter(
            person_id=_uid(user),
            message__conversation__in=conversations_readable(user=user),
            message__deleted_at__isnull=True,
        )
        .select_related("message__author", "message__conversation__community")
        .order_by("-pk")
    )


def unread_notification_count(*, user: AnyUser) -> int:
    return notifications_readable(user=user).filter(read_at__isnull=True).count()


def online_in_community(*, user: AnyUser, community: Community) -> list[dict]:
    """Members of the community online now, if ``user`` may read the community."""
    if not community_can_read(user=user, community=community):
        return []
    since = timezone.now() - ONLINE_WINDOW
    people = (
        Person.objects.filter(
            memberships__community=community,
            presences__last_seen__gte=since,
            is_active=True,
        )
        .distinct()
        .order_by("display_name")
        .values("pk", "display_name")[:200]
    )
    return [{"id": p["pk"], "name": p["display_name"]} for p in people]
