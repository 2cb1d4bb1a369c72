import pytest

from groups import actions, selectors
from groups.models import ConversationEvent, Message, Notification
from hub.errors import ActionError, Conflict, NotAllowed, NotFound
from realtime.events import conversation_group, person_group
from tests.conftest import sent_events


@pytest.fixture
def thread(make_community, owner):
    community = make_community("private", name="Digital inclusion leads")
    conversation, _ = actions.conversation_create(
        author=owner,
        community=community,
        title="Device lending",
        body="Who lends laptops?",
        client_id="c-1",
    )
    return conversation


@pytest.fixture
def member(thread, make_person, owner):
    person = make_person(name="Mia Member")
    invitation = actions.invitation_create(actor=owner, community=thread.community, person=person)
    actions.invitation_respond(person=person, invitation=invitation, accept=True)
    return person


def test_messages_get_gap_free_sequence_numbers_and_are_logged(thread, owner, member):
    for n in range(3):
        actions.message_send(author=member, conversation=thread, body=f"m{n}", client_id=f"m-{n}")
    message = Message.objects.get(conversation=thread, seq=3)
    actions.message_edit(actor=member, message=message, body="edited")
    actions.reaction_set(person=owner, message=message, emoji="👍", add=True)
    seqs = list(ConversationEvent.objects.filter(conversation=thread).values_list("seq", flat=True))
    assert seqs == list(range(1, 7))
    thread.refresh_from_db()
    assert thread.last_seq == 6 and thread.last_message_seq == 4 and thread.message_count == 4


def test_a_retried_send_with_the_same_client_id_returns_the_stored_message(thread, member):
    first, created = actions.message_send(
        author=member, conversation=thread, body="hi", client_id="x1"
    )
    again, created_again = actions.message_send(
        author=member, conversation=thread, body="hi", client_id="x1"
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Message.objects.filter(conversation=thread).count() == 2
    thread.refresh_from_db()
    assert thread.last_seq == 2


def test_the_message_is_broadcast_after_commit_to_the_conversation(thread, member):
    with sent_events() as captured:
        message, _ = actions.message_send(
            author=member, conversation=thread, body="**hello**", client_id="b1"
        )
    groups = [group for group, _ in captured]
    assert groups == [conversation_group(thread.pk)]
    event = captured[0][1]["event"]
    assert event["type"] == "message" and event["seq"] == message.seq
    assert event["message"]["html"] == "<p><strong>hello</strong></p>\n"
    assert event["message"]["author"] == {
        "id": member.pk,
        "name": "Mia Member",
        "url": member.get_absolute_url(),
        "organisation": None,
    }


def test_non_members_cannot_post_and_hidden_existence_is_not_admitted(
    thread, outsider, make_community, owner
):
    with pytest.raises(NotFound):
        actions.message_send(author=outsider, conversation=thread, body="hi", client_id="o1")
    open_community = make_community("open")
    open_thread, _ = actions.conversation_create(
        author=owner, community=open_community, title="Open", body="Welcome", client_id="w"
    )
    with pytest.raises(NotAllowed):
        actions.message_send(author=outsider, conversation=open_thread, body="hi", client_id="o2")


@pytest.mark.parametrize(
    ("body", "client_id"),
    [
        ("", "ok"),
        ("   ", "ok"),
        ("x" * 10_001, "ok"),
        ("fine", ""),
        ("fine", "x" * 65),
        ("fine", "a b"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_stored(thread, member, body, client_id):
    before = ConversationEvent.objects.count()
    with pytest.raises(ActionError):
        actions.message_send(author=member, conversation=thread, body=body, client_id=client_id)
    assert ConversationEvent.objects.count() == before


def test_edit_keeps_history_and_delete_leaves_a_marker(thread, member, owner):
    message, _ = actions.message_send(
        author=member, conversation=thread, body="first", client_id="e1"
    )
    actions.message_edit(actor=member, message=message, body="second")
    assert list(message.edits.values_list("previous_body", flat=True)) == ["first"]
    with pytest.raises(NotAllowed):
        actions.message_edit(
            actor=member, message=Message.objects.get(seq=1, conversation=thread), body="x"
        )
    actions.message_delete(actor=owner, message=message)  # the owner facilitates
    message.refresh_from_db()
    assert message.is_deleted and message.body == "" and not message.edits.exists()
    with pytest.raises(Conflict):
        actions.message_edit(actor=member, message=message, body="back")


def test_reactions_are_idempotent_and_pins_need_a_facilitator(thread, member, owner):
    message, _ = actions.message_send(
        author=member, conversation=thread, body="pin me", client_id="p1"
    )
    actions.reaction_set(person=member, message=message, emoji="🎉", add=True)
    actions.reaction_set(person=member, message=message, emoji="🎉", add=True)
    assert message.reactions.count() == 1
    with pytest.raises(ActionError):
        actions.reaction_set(person=member, message=message, emoji="not one", add=True)
    with pytest.raises(NotAllowed):
        actions.message_pin(actor=member, message=message, pinned=True)
    actions.message_pin(actor=owner, message=message, pinned=True)
    assert selectors.message_payload(Message.objects.get(pk=message.pk))["pinned"]


def test_mentions_and_replies_notify_live(thread, member, owner, make_person):
    stranger = make_person(name="Sid Stranger")
    with sent_events() as captured:
        question, _ = actions.message_send(
            author=member,
            conversation=thread,
            body="@**Olive Owner** and @**Sid Stranger**?",
            client_id="q",
        )
    assert list(question.mentions.all()) == [owner]
    assert [g for g, _ in captured] == [conversation_group(thread.pk), person_group(owner.pk)]
    with sent_events() as captured:
        actions.message_send(
            author=owner, conversation=thread, body="Yes", client_id="a", reply_to=question
        )
    assert person_group(member.pk) in [g for g, _ in captured]
    assert Notification.objects.filter(person=member, kind="reply").count() == 1
    assert not Notification.objects.filter(person=stranger).exists()


def test_read_positions_only_move_forward_and_drive_unread_counts(thread, member, owner):
    for n in range(4):
        actions.message_send(author=owner, conversation=thread, body=f"n{n}", client_id=f"n{n}")
    unread = {
        c.pk: c.unread
        for c in selectors.community_conversations(user=member, community=thread.community)
    }
    assert unread[thread.pk] == 5
    assert selectors.unread_by_community(user=member) == {thread.community_id: 5}
    actions.read_mark(person=member, conversation=thread, seq=3)
    actions.read_mark(person=member, conversation=thread, seq=1)
    unread = {
        c.pk: c.unread
        for c in selectors.community_conversations(user=member, community=thread.community)
    }
    assert unread[thread.pk] == 2
    assert actions.read_mark(person=member, conversation=thread, seq=10_000) == 5


def test_catch_up_replays_events_in_order_and_bounds_the_replay(thread, member):
    for n in range(6):
        actions.message_send(author=member, conversation=thread, body=f"c{n}", client_id=f"c{n}")
    events, more = selectors.events_after(user=member, conversation=thread, after_seq=2)
    assert [e["seq"] for e in events] == [3, 4, 5, 6, 7] and not more
    events, more = selectors.events_after(user=member, conversation=thread, after_seq=0, limit=3)
    assert [e["seq"] for e in events] == [1, 2, 3] and more


def test_catch_up_is_empty_for_someone_who_cannot_read(thread, outsider):
    events, more = selectors.events_after(user=outsider, conversation=thread, after_seq=0)
    assert events == [] and not more


def test_the_log_holds_a_message_as_it_is_now_after_an_edit_or_a_deletion(thread, owner, member):
    kept, _ = actions.message_send(author=member, conversation=thread, body="v1", client_id="k")
    gone, _ = actions.message_send(author=member, conversation=thread, body="bye", client_id="g")
    actions.message_edit(actor=member, message=kept, body="v2")
    actions.message_delete(actor=owner, message=gone)
    logged = {e.seq: e.payload for e in ConversationEvent.objects.filter(conversation=thread)}
    assert logged[2]["type"] == "message" and logged[2]["message"]["html"] == "<p>v2</p>\n"
    assert logged[2]["message"]["edited"]
    assert logged[3]["type"] == "message" and logged[3]["message"]["deleted"]
    assert "bye" not in str(logged) and "v1" not in str(logged)
    assert logged[1]["message"]["html"] == "<p>Who lends laptops?</p>\n"  # untouched


def test_the_migration_rewrites_text_logged_before_edits_and_deletions(thread, owner, member):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "groups.migrations.0005_rewrite_logged_text_of_edited_and_deleted_messages"
    )
    kept, _ = actions.message_send(author=member, conversation=thread, body="v1", client_id="k")
    gone, _ = actions.message_send(author=member, conversation=thread, body="bye", client_id="g")
    actions.message_edit(actor=member, message=kept, body="v2")
    actions.message_delete(actor=owner, message=gone)
    # As the log was before: the first events still hold the text as sent.
    for seq, body in ((2, "v1"), (3, "bye")):
        event = ConversationEvent.objects.get(conversation=thread, seq=seq)
        event.payload["message"]["html"] = f"<p>{body}</p>\n"
        event.save()
    migration.rewrite(apps, None)
    logged = {e.seq: e.payload for e in ConversationEvent.objects.filter(conversation=thread)}
    assert "bye" not in str(logged) and "v1" not in str(logged)
    assert logged[2]["message"]["html"] == "<p>v2</p>\n" and logged[3]["message"]["deleted"]


def test_the_migration_links_indexed_messages_to_the_page_that_shows_them(thread):
    import importlib

    from django.apps import apps

    from search.models import IndexEntry

    migration = importlib.import_module("groups.migrations.0006_message_links_in_the_search_index")
    page = thread.get_absolute_url()
    old = IndexEntry.objects.create(kind="message", object_id=901, url=f"{page}#message-7")
    new = IndexEntry.objects.create(kind="message", object_id=902, url=f"{page}?at=8#message-8")
    post = IndexEntry.objects.create(kind="practice", object_id=903, url="/practice/3/#message-1")
    migration.rewrite(apps, None)
    old.refresh_from_db(), new.refresh_from_db(), post.refresh_from_db()
    assert old.url == f"{page}?at=7#message-7"
    assert new.url == f"{page}?at=8#message-8"  # already a message link: untouched
    assert post.url == "/practice/3/#message-1"  # not a message
