"""On PostgreSQL a message that notifies nobody is stored in one statement instead of through
the ORM: it must leave exactly what the ORM path leaves (the message, the conversation's
counters, the event log's payload, the sender's read position, the broadcast and the search
index), keep the sequence gap-free when a retried send clashes, and refuse non-members."""

from __future__ import annotations

import pytest
from django.db import connection

from groups import actions
from groups.actions.conversations import _send_with_orm
from groups.models import Conversation, ConversationEvent, Message, ReadPosition
from hub.errors import NotAllowed
from realtime.publish import capture_events
from search.selectors import search
from tests.conftest import sent_events

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the one-statement send is PostgreSQL's; the PostgreSQL tier of .ci/run runs it",
)


@pytest.fixture
def thread(make_community, owner, make_person):
    community = make_community("open", name="Waste and recycling officers")
    conversation, _ = actions.conversation_create(
        author=owner, community=community, title="Missed bins", body="Start", client_id="c-0"
    )
    return conversation


def stored(message: Message) -> dict:
    """What a send left behind for one message, without what differs by design (ids,
    sequence numbers, times, client ids)."""
    event = ConversationEvent.objects.get(message=message)
    payload = dict(event.payload, seq=None)
    payload["message"] = dict(payload["message"], id=None, seq=None, created_at=None)
    return {
        "message": (message.author_id, message.body, message.reply_to_id, message.edited_at),
        "event": (event.kind, event.seq == message.seq, payload),
        "payload_ids": (event.payload["message"]["id"], event.payload["seq"]),
        "read": ReadPosition.objects.get(
            person=message.author, conversation=message.conversation
        ).last_read_seq,
    }


@pytest.mark.django_db
def test_one_statement_and_the_orm_store_the_same_message_event_and_read_position(thread, owner):
    parent = Message.objects.get(conversation=thread, seq=1)
    with sent_events() as fast_events:
        fast, created = actions.message_send(
            author=owner, conversation=thread, body="**Rota** ideas", client_id="f", reply_to=parent
        )
    assert created
    one = stored(fast)
    with sent_events() as orm_events:
        slow, _ = _send_with_orm(
            author=owner, conversation=thread, body="**Rota** ideas", client_id="o", reply_to=parent
        )
    fast.refresh_from_db()
    thread.refresh_from_db()
    assert (fast.seq, slow.seq) == (2, 3)
    assert thread.last_seq == thread.last_message_seq == 3 and thread.message_count == 3
    other = stored(slow)
    assert one["payload_ids"] == (fast.pk, fast.seq) and other["payload_ids"] == (slow.pk, 3)
    assert one["read"] == 2 and other["read"] == 3
    for key in ("message", "event"):
        assert one[key] == other[key]
    # The broadcast is the stored payload, ids included.
    [(group, fast_event)] = fast_events
    assert fast_event["event"] == ConversationEvent.objects.get(message=fast).payload
    assert [g for g, _ in orm_events] == [group]


@pytest.mark.django_db(transaction=True)
def test_a_retried_send_outside_a_transaction_uses_no_sequence_number_and_is_indexed(
    thread, owner, outsider
):
    with capture_events() as broadcast:
        first, created = actions.message_send(
            author=owner, conversation=thread, body="Quixotic bin rota", client_id="r-1"
        )
        again, created_again = actions.message_send(
            author=owner, conversation=thread, body="Quixotic bin rota", client_id="r-1"
        )
        after, _ = actions.message_send(
            author=owner, conversation=thread, body="Next one", client_id="r-2"
        )
    assert created and not created_again and again.pk == first.pk
    assert (first.seq, after.seq) == (2, 3)
    assert Conversation.objects.get(pk=thread.pk).last_seq == 3
    assert [event["event"]["seq"] for _, event in broadcast] == [2, 3]
    # Committed by the statement itself, then indexed as a saved message is.
    assert [r.url for r in search(user=outsider, text="quixotic").results] == [
        f"{thread.get_absolute_url()}?at=2#message-2"
    ]


@pytest.mark.django_db
def test_a_non_member_storing_in_one_statement_is_refused_and_nothing_is_stored(thread, outsider):
    with pytest.raises(NotAllowed):
        actions.message_send(author=outsider, conversation=thread, body="hi", client_id="n-1")
    thread.refresh_from_db()
    assert thread.last_seq == 1 and Message.objects.filter(conversation=thread).count() == 1
