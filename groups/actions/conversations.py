"""Writes for live conversations. Every change takes the next number of its conversation's
gap-free sequence while the conversation row is locked, is stored with that number in the
conversation's event log, and is broadcast only after commit. A client that misses a broadcast
catches up from the log, so the channel layer may drop messages without anyone losing one."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone

from groups.models import (
    MANAGING_ROLES,
    Community,
    Conversation,
    ConversationEvent,
    Message,
    MessageEdit,
    Notification,
    Reaction,
    ReadPosition,
)
from groups.selectors import (
    conversation_readers,
    conversations_readable,
    membership_of,
    message_payload,
    unread_notification_count,
)
from hub.errors import ActionError, Conflict, NotAllowed, NotFound
from hub.markdown import link_mentions, mentioned_names
from profiles.models import Person
from realtime.events import conversation_group, envelope, person_group
from realtime.publish import publish_on_commit

MESSAGE_MAX_CHARS = 10_000
TITLE_MAX_CHARS = 200
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
EMOJI_MAX_CHARS = 32


def check_can_post(*, person: Person, community: Community) -> None:
    """Posting needs membership, whatever the community's visibility."""
    if membership_of(user=person, community=community) is None:
        if community.visibility == "open":
            raise NotAllowed("Join the community to take part in its conversations.")
        raise NotFound("There is no such conversation.")


def _check_body(body: str) -> str:
    if not isinstance(body, str) or not body.strip():
        raise ActionError("A message needs some text.")
    if "\x00" in body:
        raise ActionError("Messages cannot contain NUL characters.")
    if len(body) > MESSAGE_MAX_CHARS:
        raise ActionError(f"Messages are limited to {MESSAGE_MAX_CHARS:,} characters.")
    return body.strip()


def _check_client_id(client_id: str) -> str:
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ActionError("A client id is 1 to 64 letters, digits, '-', '_', '.' or ':'.")
    return client_id


def _lock_next_seq(conversation: Conversation) -> tuple[Conversation, int]:
    """Lock the conversation's counter row and take its next sequence number. Must be called
    inside the transaction that stores the change, so the number and the change commit
    together."""
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    locked.last_seq += 1
    return locked, locked.last_seq


def _event_payload(
    kind: str, conversation_id: int, seq: int, message: Message, reactions: dict | None
) -> dict[str, Any]:
    """An event of the conversation's log, as stored and as broadcast."""
    return {
        "type": kind,
        "conversation": conversation_id,
        "seq": seq,
        "message": message_payload(message, reactions=reactions),
    }


def _log_and_publish(
    conversation: Conversation,
    seq: int,
    kind: str,
    message: Message,
    extra: dict | None = None,
    *,
    new: bool = False,
) -> dict[str, Any]:
    # A new message has no reactions yet: no query for them.
    payload = _event_payload(kind, conversation.pk, seq, message, {} if new else None)
    payload.update(extra or {})
    ConversationEvent.objects.create(
        conversation=conversation, seq=seq, kind=kind, message=message, payload=payload
    )
    publish_on_commit(conversation_group(conversation.pk), envelope(payload))
    return payload


def _resolve_mentions(conversation: Conversation, text: str) -> tuple[str, list[Person]]:
    names = mentioned_names(text)
    if not names:
        return text, []
    named = Q()
    for name in names[:20]:
        named |= Q(display_name__iexact=name)
    people = list(conversation_readers(conversation=conversation).filter(named)[:20])
    return (
        link_mentions(text, {p.display_name.lower(): p.get_absolute_url() for p in people}),
        people,
    )


def _notify(message: Message, people: list[Person], kind: str) -> None:
    for person in people:
        if person.pk == message.author_id:
            continue
        notification = Notification.objects.create(person=person, kind=kind, message=message)
        publish_on_commit(
            person_group(person.pk),
            envelope(
                {
                    "type": "notification",
                    "id": notification.pk,
                    "kind": kind,
                    "conversation": message.conversation_id,
                    "seq": message.seq,
                    "title": message.conversation.title,
                    "url": message.get_absolute_url(),
                    "from": message.author.display_name if message.author else "",
                    # The person's unread count with this one, for every page's header.
                    "unread": unread_notification_count(user=person),
                }
            ),
        )


def message_send(
    *,
    author: Person,
    conversation: Conversation,
    body: str,
    client_id: str,
    reply_to: Message | None = None,
) -> tuple[Message, bool]:
    """Store a message and broadcast it after commit. Returns (message, created): a retried
    send with the same client id returns the stored message and creates nothing."""
    if (
        connection.vendor == "postgresql"
        and not mentioned_names(body if isinstance(body, str) else "")
        and (reply_to is None or reply_to.author_id in (None, author.pk))
    ):
        # Most messages notify nobody: on PostgreSQL they are stored in one statement.
        return _send_in_one_statement(
            author=author,
            conversation=conversation,
            body=body,
            client_id=client_id,
            reply_to=reply_to,
        )
    return _send_with_orm(
        author=author,
        conversation=conversation,
        body=body,
        client_id=client_id,
        reply_to=reply_to,
    )


def _check_reply(conversation: Conversation, reply_to: Message | None) -> None:
    if reply_to is not None and reply_to.conversation_id != conversation.pk:
        raise ActionError("You can only reply to a message in the same conversation.")


def _stored_send(author: Person, conversation: Conversation, client_id: str) -> Message:
    """The message an earlier send with this client id stored (a retry's answer)."""
    try:
        return Message.objects.get(conversation=conversation, author=author, client_id=client_id)
    except Message.DoesNotExist:
        raise IntegrityError("Could not store the message.") from None


@transaction.atomic
def _send_with_orm(
    *,
    author: Person,
    conversation: Conversation,
    body: str,
    client_id: str,
    reply_to: Message | None,
) -> tuple[Message, bool]:
    # The sender's membership and the conversation's counter row, locked, in one statement.
    locked = (
        Conversation.objects.select_for_update(of=("self",))
        .filter(pk=conversation.pk, community__memberships__person=author)
        .first()
    )
    if locked is None:
        check_can_post(person=author, community=conversation.community)
        raise NotFound("There is no such conversation.")
    client_id = _check_client_id(client_id)
    body = _check_body(body)
    locked.last_seq += 1
    seq = locked.last_seq
    _check_reply(conversation, reply_to)
    text, mentioned = _resolve_mentions(locked, body)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=locked,
                seq=seq,
                author=author,
                client_id=client_id,
                reply_to=reply_to,
                body=text,
            )
    except IntegrityError:
        # A retry of a stored send: the row is locked, so its client id is the only clash.
        return _stored_send(author, locked, client_id), False
    if mentioned:
        message.mentions.set(mentioned)
    # The row is locked (and on SQLite the transaction holds the write lock from its start),
    # so the count read with it is current.
    locked.last_message_seq = seq
    locked.message_count += 1
    locked.last_activity_at = timezone.now()
    locked.save(update_fields=["last_seq", "last_message_seq", "message_count", "last_activity_at"])
    message.conversation = locked
    _log_and_publish(locked, seq, ConversationEvent.Kind.MESSAGE, message, new=True)
    _advance_read(author, locked, seq)
    _notify(message, mentioned, Notification.Kind.MENTION)
    if reply_to is not None and reply_to.author is not None and reply_to.author not in mentioned:
        _notify(message, [reply_to.author], Notification.Kind.REPLY)
    return message, True


# What _send_with_orm does for a message that notifies nobody, as one PostgreSQL statement: it
# runs in one round trip and, outside a transaction, commits by itself. The counter row is
# locked by the UPDATE, which matches only if the author is a member; the event's payload is made in
# Python by message_payload, and only its id and sequence number are filled in here. A
# duplicate client id fails the whole statement, so no sequence number is ever used up.
_SEND_SQL = """
WITH counter AS (
    UPDATE groups_conversation AS c
    SET last_seq = c.last_seq + 1,
        last_message_seq = c.last_seq + 1,
        message_count = c.message_count + 1,
        last_activity_at = %(now)s
    WHERE c.id = %(conversation)s
      AND EXISTS (
          SELECT 1 FROM groups_membership AS m
          WHERE m.community_id = c.community_id AND m.person_id = %(author)s
      )
    RETURNING c.id, c.last_seq AS seq
),
message AS (
    INSERT INTO groups_message (
        conversation_id, seq, author_id, client_id, reply_to_id, body, created_at,
        edited_at, deleted_at, pinned_at, pinned_by_id
    )
    SELECT id, seq, %(author)s, %(client_id)s, %(reply_to)s, %(body)s, %(now)s,
           NULL, NULL, NULL, NULL
    FROM counter
    RETURNING id, seq
),
event AS (
    INSERT INTO groups_conversationevent (
        conversation_id, seq, kind, message_id, payload, created_at
    )
    SELECT %(conversation)s, seq, %(kind)s, id,
           jsonb_set(
               jsonb_set(
                   jsonb_set(%(payload)s::jsonb, '{seq}', to_jsonb(seq)),
                   '{message,id}', to_jsonb(id)
               ),
               '{message,seq}', to_jsonb(seq)
           ),
           %(now)s
    FROM message
),
read AS (
    INSERT INTO groups_readposition (person_id, conversation_id, last_read_seq, updated_at)
    SELECT %(author)s, %(conversation)s, seq, %(now)s FROM message
    ON CONFLICT (person_id, conversation_id) DO UPDATE
    SET last_read_seq = EXCLUDED.last_read_seq, updated_at = EXCLUDED.updated_at
    WHERE groups_readposition.last_read_seq < EXCLUDED.last_read_seq
)
SELECT id, seq FROM message
"""


def _send_in_one_statement(
    *,
    author: Person,
    conversation: Conversation,
    body: str,
    client_id: str,
    reply_to: Message | None,
) -> tuple[Message, bool]:
    client_id = _check_client_id(client_id)
    body = _check_body(body)
    _check_reply(conversation, reply_to)
    now = timezone.now()
    message = Message(
        conversation=conversation,
        seq=0,
        author=author,
        client_id=client_id,
        reply_to=reply_to,
        body=body,
        created_at=now,
    )
    kind = ConversationEvent.Kind.MESSAGE
    payload = _event_payload(kind, conversation.pk, 0, message, {})
    params: dict[str, Any] = {
        "now": now,
        "conversation": conversation.pk,
        "author": author.pk,
        "client_id": client_id,
        "reply_to": reply_to.pk if reply_to is not None else None,
        "body": body,
        "kind": str(kind),
        "payload": json.dumps(payload),
    }
    # Inside a caller's transaction a failed statement needs a savepoint to roll back to;
    # outside one the statement is its own transaction.
    scope = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with scope, connection.cursor() as cursor:
            cursor.execute(_SEND_SQL, params)
            row = cursor.fetchone()
    except IntegrityError:
        return _stored_send(author, conversation, client_id), False
    if row is None:
        check_can_post(person=author, community=conversation.community)
        raise NotFound("There is no such conversation.")
    message.pk, message.seq = row
    message._state.adding = False
    message._state.db = connection.alias
    payload["seq"] = message.seq
    payload["message"].update(id=message.pk, seq=message.seq)
    publish_on_commit(conversation_group(conversation.pk), envelope(payload))
    # The statement bypassed the ORM: say that the message was saved, as save() would (this
    # is what indexes it for search).
    post_save.send(
        sender=Message,
        instance=message,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
    return message, True


@transaction.atomic
def conversation_create(
    *, author: Person, community: Community, title: str, body: str, client_id: str
) -> tuple[Conversation, Message]:
    """Start a thread with a title and its first message."""
    check_can_post(person=author, community=community)
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise ActionError("A conversation needs a title.")
    if len(title) > TITLE_MAX_CHARS:
        raise ActionError(f"Keep the title to {TITLE_MAX_CHARS} characters.")
    _check_body(body)
    conversation = Conversation.objects.create(community=community, title=title, created_by=author)
    message, _ = message_send(
        author=author, conversation=conversation, body=body, client_id=client_id
    )
    conversation.refresh_from_db()
    return conversation, message


def _check_moderates(actor: Person, message: Message, *, allow_author: bool) -> None:
    check_can_post(person=actor, community=message.conversation.community)
    if allow_author and message.author_id == actor.pk:
        return
    membership = membership_of(user=actor, community=message.conversation.community)
    if membership is None or membership.role not in MANAGING_ROLES:
        raise NotAllowed(
            "Only the author or a facilitator can do that."
            if allow_author
            else "Only a facilitator can do that."
        )


@transaction.atomic
def message_edit(*, actor: Person, message: Message, body: str) -> Message:
    """Change a message's text, keeping the previous text in its history."""
    _check_moderates(actor, message, allow_author=True)
    body = _check_body(body)
    locked, seq = _lock_next_seq(message.conversation)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.is_deleted:
        raise Conflict("That message has been deleted.")
    MessageEdit.objects.create(message=message, previous_body=message.body, edited_by=actor)
    text, mentioned = _resolve_mentions(locked, body)
    message.body = text
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    message.mentions.set(mentioned)
    locked.save(update_fields=["last_seq"])
    payload = _log_and_publish(locked, seq, ConversationEvent.Kind.EDIT, message)
    _rewrite_earlier_events(message, payload)
    return message


@transaction.atomic
def message_delete(*, actor: Person, message: Message) -> Message:
    """Leave a "deleted" marker in place of the message; its text and history are removed."""
    _check_moderates(actor, message, allow_author=True)
    locked, seq = _lock_next_seq(message.conversation)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.is_deleted:
        raise Conflict("That message has already been deleted.")
    message.body = ""
    message.deleted_at = timezone.now()
    message.pinned_at = None
    message.save(update_fields=["body", "deleted_at", "pinned_at"])
    message.edits.all().delete()
    message.mentions.clear()
    message.reactions.all().delete()
    locked.save(update_fields=["last_seq"])
    payload = _log_and_publish(locked, seq, ConversationEvent.Kind.DELETE, message)
    _rewrite_earlier_events(message, payload)
    return message


def _rewrite_earlier_events(message: Message, latest: dict[str, Any]) -> None:
    """Earlier events of the message in the log show it as it is now: catch-up replays the
    log to anyone who may read the conversation, and must not hand out text that was edited
    away or deleted (the edit history is kept apart, in MessageEdit)."""
    events = list(ConversationEvent.objects.filter(message=message, seq__lt=latest["seq"]))
    for event in events:
        event.payload = {**event.payload, "message": latest["message"]}
    ConversationEvent.objects.bulk_update(events, ["payload"])


@transaction.atomic
def message_pin(*, actor: Person, message: Message, pinned: bool) -> Message:
    _check_moderates(actor, message, allow_author=False)
    if message.is_deleted:
        raise Conflict("A deleted message cannot be pinned.")
    locked, seq = _lock_next_seq(message.conversation)
    message.pinned_at = timezone.now() if pinned else None
    message.pinned_by = actor if pinned else None
    message.save(update_fields=["pinned_at", "pinned_by"])
    locked.save(update_fields=["last_seq"])
    _log_and_publish(locked, seq, ConversationEvent.Kind.PIN, message)
    return message


@transaction.atomic
def reaction_set(*, person: Person, message: Message, emoji: str, add: bool) -> Message:
    """Add or remove one person's emoji reaction; repeating either is harmless."""
    check_can_post(person=person, community=message.conversation.community)
    emoji = (emoji or "").strip()
    if not emoji or len(emoji) > EMOJI_MAX_CHARS or any(c.isspace() or c == "\x00" for c in emoji):
        raise ActionError("A reaction is one emoji.")
    if message.is_deleted:
        raise Conflict("That message has been deleted.")
    locked, seq = _lock_next_seq(message.conversation)
    if add:
        _, changed = Reaction.objects.get_or_create(message=message, person=person, emoji=emoji)
    else:
        changed = bool(
            Reaction.objects.filter(message=message, person=person, emoji=emoji).delete()[0]
        )
    if not changed:
        return message
    locked.save(update_fields=["last_seq"])
    _log_and_publish(locked, seq, ConversationEvent.Kind.REACTION, message)
    return message


def _advance_read(person: Person, conversation: Conversation, seq: int) -> bool:
    """Move the read position forward only, never back; True if it moved. One UPDATE when the
    position exists, as it does for anyone who has posted or read before."""

    def move() -> bool:
        return bool(
            ReadPosition.objects.filter(
                person=person, conversation=conversation, last_read_seq__lt=seq
            ).update(last_read_seq=seq, updated_at=timezone.now())
        )

    if move():
        return True
    _, created = ReadPosition.objects.get_or_create(
        person=person, conversation=conversation, defaults={"last_read_seq": seq}
    )
    # Not created: it exists already, perhaps made by another transaction just now.
    return created or move()


@transaction.atomic
def read_mark(*, person: Person, conversation: Conversation, seq: int, seen_from: int = 0) -> int:
    """Record that the person has read the conversation up to ``seq``, and has seen its
    messages from ``seen_from`` (what their page shows; everything when 0): the mentions and
    replies among those are read. Tells the person's other tabs."""
    if not conversations_readable(user=person).filter(pk=conversation.pk).exists():
        raise NotFound("There is no such conversation.")
    if not isinstance(seq, int) or seq < 0:
        raise ActionError("A read position is a sequence number.")
    latest = Conversation.objects.values_list("last_seq", flat=True).get(pk=conversation.pk)
    seq = min(seq, latest)
    moved = _advance_read(person, conversation, seq)
    seen = notifications_seen(
        person=person, conversation=conversation, from_seq=seen_from, to_seq=seq
    )
    if moved or seen:
        publish_on_commit(
            person_group(person.pk),
            envelope(
                {
                    "type": "read",
                    "conversation": conversation.pk,
                    "seq": seq,
                    "notifications_unread": unread_notification_count(user=person),
                }
            ),
        )
    return seq


def notifications_seen(
    *, person: Person, conversation: Conversation, from_seq: int, to_seq: int
) -> int:
    """The person has seen the conversation's messages from ``from_seq`` to ``to_seq``: their
    mentions and replies among them are read. Returns how many were unread."""
    return Notification.objects.filter(
        person=person,
        read_at__isnull=True,
        message__conversation=conversation,
        message__seq__gte=from_seq,
        message__seq__lte=to_seq,
    ).update(read_at=timezone.now())


def notifications_mark_read(*, person: Person, ids: list[int]) -> int:
    """The person has seen these notifications in their list."""
    return Notification.objects.filter(person=person, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


class ConversationExcerpt:
    """A conversation thread, or a selection of its messages, as a source for a practice post
    (practice.actions.PracticeSource)."""

    def __init__(self, conversation: Conversation, messages: list[Message]) -> None:
        self.conversation = conversation
        self.messages = messages

    def practice_source_title(self) -> str:
        return self.conversation.title

    def practice_source_body(self) -> str:
        parts = []
        for message in self.messages:
            name = message.author.display_name if message.author else "A former member"
            parts.append(f"**{name}**: {message.body}")
        return "\n\n".join(parts)

    def practice_source_authors(self) -> list[Person]:
        seen: dict[int, Person] = {}
        for message in self.messages:
            if message.author is not None:
                seen.setdefault(message.author.pk, message.author)
        return list(seen.values())

    def get_absolute_url(self) -> str:
        return self.conversation.get_absolute_url()


@transaction.atomic
def conversation_to_practice(
    *,
    actor: Person,
    conversation: Conversation,
    message_ids: list[int] | None = None,
    service_area: str = "customer-services",
) -> Any:
    """A facilitator turns a thread, or chosen messages of it, into a draft practice post
    that links back to the conversation."""
    from practice.actions import draft_practice_from

    membership = membership_of(user=actor, community=conversation.community)
    if membership is None or membership.role not in MANAGING_ROLES:
        raise NotAllowed("Only a facilitator can turn a conversation into practice.")
    messages = (
        Message.objects.filter(conversation=conversation, deleted_at__isnull=True)
        .select_related("author")
        .order_by("seq")
    )
    if message_ids:
        messages = messages.filter(pk__in=message_ids)
    chosen = list(messages[:200])
    if not chosen:
        raise ActionError("Choose at least one message.")
    return draft_practice_from(
        ConversationExcerpt(conversation, chosen),
        actor=actor,
        service_area=service_area,
        community=conversation.community,
    )
