import re

import pytest
from django.urls import reverse

from groups import actions, selectors
from groups.models import Message, ReadPosition
from practice.models import PracticePost


@pytest.fixture
def thread(make_community, owner):
    community = make_community("private", name="Waste leads")
    conversation, _ = actions.conversation_create(
        author=owner,
        community=community,
        title="Missed bins",
        body="Crews photograph blocked bins.",
        client_id="first",
    )
    return conversation


def join(conversation, owner, person):
    """``person`` accepts ``owner``'s invitation to the conversation's community."""
    invitation = actions.invitation_create(
        actor=owner, community=conversation.community, person=person
    )
    actions.invitation_respond(person=person, invitation=invitation, accept=True)


def page(conversation, name="groups:conversation"):
    return reverse(name, kwargs={"slug": conversation.community.slug, "pk": conversation.pk})


def test_history_is_rendered_on_the_server_with_the_last_sequence(client, thread, owner):
    client.force_login(owner)
    response = client.get(page(thread))
    content = response.content.decode()
    assert "Crews photograph blocked bins." in content
    assert f'data-last-seq="{thread.last_seq}"' in content


def test_posting_with_a_plain_form_twice_stores_one_message(client, thread, owner):
    client.force_login(owner)
    form = {"body": "Residents get a text the same day.", "client_id": "form-abc"}
    assert client.post(page(thread, "groups:conversation_post"), form).status_code == 302
    assert client.post(page(thread, "groups:conversation_post"), form).status_code == 302
    assert Message.objects.filter(conversation=thread, client_id="form-abc").count() == 1


def test_bad_posts_get_a_4xx_with_a_message(client, thread, owner):
    client.force_login(owner)
    url = page(thread, "groups:conversation_post")
    assert client.post(url, {"body": "", "client_id": "x"}).status_code == 400
    assert client.post(url, {"body": "ok", "client_id": "bad id!"}).status_code == 400
    assert client.post(url, {"body": "x" * 10_001, "client_id": "y"}).status_code == 400


def test_non_members_get_404_for_private_conversations(client, thread, outsider):
    client.force_login(outsider)
    assert client.get(page(thread)).status_code == 404
    assert (
        client.post(
            page(thread, "groups:conversation_post"), {"body": "hi", "client_id": "z"}
        ).status_code
        == 404
    )
    assert client.get(page(thread, "groups:conversation_people")).status_code == 404


def test_open_community_conversations_are_readable_but_posting_needs_membership(
    client, make_community, owner, outsider
):
    community = make_community("open")
    conversation, _ = actions.conversation_create(
        author=owner, community=community, title="Open talk", body="Welcome all", client_id="w"
    )
    client.force_login(outsider)
    assert b"Welcome all" in client.get(page(conversation)).content
    response = client.post(
        page(conversation, "groups:conversation_post"), {"body": "hi", "client_id": "o"}
    )
    assert response.status_code == 403


def test_start_a_conversation_over_http(client, thread, owner):
    client.force_login(owner)
    url = reverse("groups:conversation_new", kwargs={"slug": thread.community.slug})
    response = client.post(
        url, {"title": "Garden waste", "body": "Who charges?", "client_id": "g1"}
    )
    assert response.status_code == 302
    assert client.post(url, {"title": "", "body": "x", "client_id": "g2"}).status_code == 400


def test_mention_autocomplete_offers_only_people_who_can_read(client, thread, owner, make_person):
    insider = make_person(name="Ivy Insider")
    join(thread, owner, insider)
    make_person(name="Ivan Outsider")
    client.force_login(owner)
    names = [
        p["name"]
        for p in client.get(page(thread, "groups:conversation_people"), {"q": "iv"}).json()[
            "people"
        ]
    ]
    assert names == ["Ivy Insider"]


def test_facilitator_turns_a_thread_into_a_draft_practice_post(client, thread, owner, make_person):
    client.force_login(owner)
    response = client.post(
        page(thread, "groups:conversation_practice"), {"service_area": "waste-recycling"}
    )
    post = PracticePost.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "practice:edit", kwargs={"pk": post.pk}
    )
    assert post.status == "draft" and post.title == "Missed bins"
    assert post.source_url == thread.get_absolute_url()
    assert post.community == thread.community


def test_a_facilitator_picks_messages_for_practice_by_their_text(client, thread, owner, member):
    actions.message_send(
        author=member,
        conversation=thread,
        body="**Bold** idea from @**Olive Owner**: [a link](https://example.org/x)",
        client_id="pick",
    )
    picked = Message.objects.get(client_id="pick")
    client.force_login(owner)
    content = client.get(page(thread)).content.decode()
    label = (
        f'<label for="pick-{picked.pk}">Mina Member: Bold idea from @Olive Owner: a link</label>'
    )
    assert label in content  # the text as read, not its Markdown
    client.force_login(member)
    assert f'id="pick-{picked.pk}"' not in client.get(page(thread)).content.decode()


def test_a_plain_member_cannot_turn_a_thread_into_practice(client, thread, owner, make_person):
    member = make_person()
    join(thread, owner, member)
    client.force_login(member)
    assert client.post(page(thread, "groups:conversation_practice")).status_code == 403
    assert not PracticePost.objects.exists()


def test_community_page_lists_conversations_with_unread_counts(client, thread, owner, make_person):
    member = make_person()
    join(thread, owner, member)
    client.force_login(member)
    content = client.get(thread.community.get_absolute_url()).content.decode()
    assert "Missed bins" in content and "1 unread" in content
    client.get(page(thread))  # reading the page marks it read
    content = client.get(thread.community.get_absolute_url()).content.decode()
    assert "unread" not in content.split('<main id="main"')[1]


def test_home_shows_unread_counts_per_community(client, thread, owner, make_person):
    member = make_person()
    join(thread, owner, member)
    actions.message_send(author=owner, conversation=thread, body="news", client_id="news")
    client.force_login(member)
    assert "2 unread" in client.get("/").content.decode()


@pytest.fixture
def member(thread, owner, make_person):
    person = make_person(name="Mina Member")
    join(thread, owner, person)
    return person


def test_the_reply_link_fills_in_the_plain_form_with_what_it_replies_to(client, thread, member):
    parent = thread.messages.get()
    client.force_login(member)
    content = client.get(page(thread)).content.decode()
    assert f'href="{thread.get_absolute_url()}?reply_to={parent.pk}#compose"' in content
    assert 'id="reply-context" class="reply-context" hidden' in content

    for nonsense in ("²", "9" * 30, "-1", "x"):  # no 500 for a mangled link
        assert client.get(page(thread), {"reply_to": nonsense}).status_code == 200

    content = client.get(page(thread), {"reply_to": parent.pk}).content.decode()
    assert f'name="reply_to" id="reply-to" value="{parent.pk}"' in content
    assert 'id="reply-context" class="reply-context" data-author="Olive Owner"' in content
    assert (
        '<p id="reply-context-text">Replying to <strong>Olive Owner</strong>: '
        "Crews photograph blocked bins.</p>"
    ) in content
    # The composer is described by what it replies to.
    assert 'aria-describedby="id_body_helptext reply-context-text"' in content


def test_a_reply_posted_with_the_plain_form_is_stored_and_links_to_its_parent(
    client, thread, member
):
    parent = thread.messages.get()
    client.force_login(member)
    response = client.post(
        page(thread, "groups:conversation_post"),
        {"body": "Ours too, since May.", "client_id": "reply-1", "reply_to": parent.pk},
    )
    assert response.status_code == 302
    reply = Message.objects.get(conversation=thread, client_id="reply-1")
    assert reply.reply_to == parent
    content = client.get(page(thread)).content.decode()
    assert (
        f'<p class="reply-to meta"><a href="#message-{parent.seq}">In reply to Olive Owner</a></p>'
    ) in content


def test_a_reply_to_a_message_of_another_conversation_is_a_form_error_and_stores_nothing(
    client, thread, owner, member
):
    elsewhere, _ = actions.conversation_create(
        author=owner,
        community=thread.community,
        title="Bulky waste",
        body="Collections are weekly.",
        client_id="elsewhere",
    )
    client.force_login(member)
    response = client.post(
        page(thread, "groups:conversation_post"),
        {
            "body": "Ours too, since May.",
            "client_id": "reply-2",
            "reply_to": elsewhere.messages.get().pk,
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "You can only reply to a message in the same conversation." in content
    assert "Ours too, since May.</textarea>" in content  # the text is kept
    assert 'name="reply_to" id="reply-to" value=""' in content  # the bad parent is not
    assert not Message.objects.filter(client_id="reply-2").exists()
    assert thread.messages.count() == 1 and elsewhere.messages.count() == 1


def test_a_reply_to_a_message_the_person_cannot_read_is_a_form_error(
    client, thread, member, make_community, make_person
):
    stranger = make_person()
    secret, _ = actions.conversation_create(
        author=stranger,
        community=make_community("private", creator=stranger),
        title="Budget",
        body="Not for others.",
        client_id="secret",
    )
    client.force_login(member)
    url = page(thread, "groups:conversation_post")
    for reply_to in (secret.messages.get().pk, 999_999, "nonsense", "²", "9" * 30, -1):
        response = client.post(url, {"body": "Hello", "client_id": "r3", "reply_to": reply_to})
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        assert "Not for others." not in response.content.decode()
        assert "Reply to:" not in response.content.decode()  # a hidden field has no link
    assert not Message.objects.filter(client_id="r3").exists()


def post_many(conversation, person, count, start=1):
    """``count`` messages from ``person``, numbered from ``start`` in their text."""
    for n in range(start, start + count):
        actions.message_send(
            author=person, conversation=conversation, body=f"Note {n}.", client_id=f"n{n}"
        )


def shown_seqs(content):
    return [int(seq) for seq in re.findall(r'<li class="message[^"]*" id="message-(\d+)"', content)]


def test_earlier_messages_are_read_page_by_page_without_javascript(client, thread, owner, member):
    post_many(thread, owner, 119)  # sequence 1 is the opening message: 120 in all
    client.force_login(member)
    latest = client.get(page(thread)).content.decode()
    assert shown_seqs(latest) == list(range(71, 121))
    assert 'data-at-latest="1"' in latest and 'id="compose"' in latest
    assert '<a href="?before=71" rel="prev">Earlier messages</a>' in latest
    assert "Later messages" not in latest

    middle = client.get(page(thread), {"before": 71}).content.decode()
    assert shown_seqs(middle) == list(range(21, 71))
    assert '<a href="?before=21" rel="prev">Earlier messages</a>' in middle
    assert '<a href="?at=71#messages" rel="next">Later messages</a>' in middle
    # An earlier page is for reading: no composer, and a way back to the latest.
    assert 'data-at-latest=""' in middle and 'id="compose"' not in middle
    assert "You are reading earlier messages." in middle

    first = client.get(page(thread), {"before": 21}).content.decode()
    assert shown_seqs(first) == list(range(1, 21))
    assert "Earlier messages" not in first
    assert '<a href="?at=21#messages" rel="next">Later messages</a>' in first
    # "Later" from the first page is the middle page again.
    assert shown_seqs(client.get(page(thread), {"at": 21}).content.decode()) == list(range(21, 71))


def test_a_message_link_opens_the_page_that_shows_it(client, thread, owner, member):
    post_many(thread, owner, 119)
    message = thread.messages.get(seq=30)
    assert message.get_absolute_url() == f"{thread.get_absolute_url()}?at=30#message-30"
    client.force_login(member)
    content = client.get(message.get_absolute_url()).content.decode()
    assert shown_seqs(content) == list(range(30, 80))
    # Near the end, the page is filled up with earlier messages and is the live one.
    content = client.get(page(thread), {"at": 110}).content.decode()
    assert shown_seqs(content) == list(range(71, 121))
    assert 'data-at-latest="1"' in content


def test_reading_an_earlier_page_does_not_mark_the_conversation_read(client, thread, owner, member):
    post_many(thread, owner, 59)  # 60 messages, 60 unread for the member
    client.force_login(member)
    client.get(page(thread), {"before": 11})
    assert not ReadPosition.objects.filter(person=member, conversation=thread).exists()
    # The latest page offers the unread messages it does not show, then marks them read.
    content = client.get(page(thread)).content.decode()
    assert '<a href="?at=1#message-1">Read from your first unread message</a>' in content
    assert ReadPosition.objects.get(person=member, conversation=thread).last_read_seq == 60
    assert "first unread" not in client.get(page(thread)).content.decode()


def test_a_reply_to_a_message_older_than_the_page_links_to_the_page_that_shows_it(
    client, thread, owner, member
):
    post_many(thread, owner, 60)
    parent = thread.messages.get(seq=1)
    actions.message_send(
        author=member, conversation=thread, body="Still true?", client_id="late", reply_to=parent
    )
    client.force_login(member)
    content = client.get(page(thread)).content.decode()
    assert (
        '<p class="reply-to meta"><a href="?at=1#message-1">In reply to Olive Owner</a></p>'
    ) in content
    # The live payload says where the parent is, for the page's script to link the same way.
    reply = Message.objects.get(client_id="late")
    payload = selectors.message_payload(reply)
    assert (payload["reply_to"], payload["reply_to_seq"]) == (parent.pk, 1)
    assert payload["reply_to_author"] == "Olive Owner"
    assert payload["author"]["url"] == member.get_absolute_url()


def test_a_malformed_place_in_the_conversation_is_a_400_with_a_message(client, thread, member):
    client.force_login(member)
    for name, value in (("before", "x"), ("at", "-1"), ("at", "9" * 30), ("before", "²")):
        response = client.get(page(thread), {name: value})
        assert response.status_code == 400
        assert f"“{name}” must be a message number" in response.content.decode()
    # Places beyond either end are simply pages with nothing more to show.
    assert client.get(page(thread), {"before": 1}).status_code == 200
    assert shown_seqs(client.get(page(thread), {"at": 999}).content.decode()) == [1]


def test_a_private_conversations_earlier_pages_are_not_found_for_outsiders(
    client, thread, outsider
):
    client.force_login(outsider)
    assert client.get(page(thread), {"before": 2}).status_code == 404
    assert client.get(page(thread), {"at": 1}).status_code == 404


def test_mentions_and_replies_are_listed_until_read(client, thread, owner, member):
    actions.message_send(
        author=owner, conversation=thread, body="Ask @**Mina Member** about it.", client_id="m1"
    )
    mention = Message.objects.get(client_id="m1")
    client.force_login(member)
    home = client.get(reverse("home")).content.decode()
    assert re.search(r'id="notification-count">\s*<span class="count">1</span>', home)

    listed = client.get(reverse("notifications")).content.decode()
    assert (
        f'<a href="{mention.get_absolute_url()}">Olive Owner mentioned you in “Missed bins”</a>'
    ) in listed
    assert '<span class="badge">New</span>' in listed
    assert "Ask @Mina Member about it." in listed  # the excerpt, as text
    # Seen once, the list shows them as read and the header counts none.
    again = client.get(reverse("notifications")).content.decode()
    assert "Olive Owner mentioned you" in again and '<span class="badge">New</span>' not in again
    assert 'id="notification-count" hidden' in again


def test_reading_the_conversation_reads_its_notifications(client, thread, owner, member):
    actions.message_send(
        author=owner, conversation=thread, body="@**Mina Member**, see this.", client_id="m2"
    )
    assert selectors.unread_notification_count(user=member) == 1
    client.force_login(member)
    client.get(page(thread))  # the latest page marks the conversation read
    assert selectors.unread_notification_count(user=member) == 0


def test_notifications_of_a_conversation_one_can_no_longer_read_are_not_listed(
    client, thread, owner, member
):
    actions.message_send(
        author=owner, conversation=thread, body="Over to @**Mina Member**.", client_id="m3"
    )
    actions.community_leave(person=member, community=thread.community)
    client.force_login(member)
    listed = client.get(reverse("notifications")).content.decode()
    assert "Over to" not in listed and "mentioned you" not in listed
    assert selectors.unread_notification_count(user=member) == 0


def test_the_notification_list_needs_sign_in(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_author_and_facilitators_see_a_messages_earlier_versions(
    client, thread, owner, member, make_person
):
    actions.message_send(author=member, conversation=thread, body="Fortnightly.", client_id="e")
    message = Message.objects.get(client_id="e")
    actions.message_edit(actor=member, message=message, body="Weekly.")
    actions.message_edit(actor=owner, message=message, body="Weekly, from May.")
    history = reverse(
        "groups:message_history",
        kwargs={"slug": thread.community.slug, "pk": thread.pk, "message": message.pk},
    )
    for person in (member, owner):  # the author, and the community's owner
        client.force_login(person)
        content = client.get(history).content.decode()
        assert content.index("Weekly, from May.") < content.index("<p>Weekly.</p>")
        assert content.index("<p>Weekly.</p>") < content.index("Fortnightly.")
        assert "by Olive Owner" in content  # an edit not by the author says whose it was
        # The conversation page links "edited" to the history for them.
        assert f'<a href="{history}">edited' in client.get(page(thread)).content.decode()

    reader = make_person(name="Rita Reader")
    join(thread, owner, reader)
    client.force_login(reader)
    assert client.get(history).status_code == 404
    conversation_page = client.get(page(thread)).content.decode()
    assert "Weekly, from May." in conversation_page and history not in conversation_page

    actions.message_delete(actor=member, message=message)
    client.force_login(member)
    assert client.get(history).status_code == 404  # a deletion takes its history too


def test_pinned_messages_stay_in_view_however_old(client, thread, owner, member):
    pinned = thread.messages.get(seq=1)
    actions.message_pin(actor=owner, message=pinned, pinned=True)
    post_many(thread, owner, 60)
    client.force_login(member)
    content = client.get(page(thread)).content.decode()
    assert 1 not in shown_seqs(content)
    assert (
        f'<li data-message="{pinned.pk}"><a href="?at=1#message-1">'
        '<span class="pinned-author">Olive Owner</span>: '
        '<span class="pinned-excerpt">Crews photograph blocked bins.</span></a></li>'
    ) in content
    # On the page that shows it, the link stays on the page.
    assert (
        '<a href="#message-1"><span class="pinned-author">'
        in client.get(page(thread), {"at": 1}).content.decode()
    )
    actions.message_pin(actor=owner, message=pinned, pinned=False)
    content = client.get(page(thread)).content.decode()
    assert 'id="pinned" class="pinned-messages" hidden' in content
    assert "pinned-excerpt" not in content


def test_a_mention_older_than_the_latest_page_stays_unread_until_it_is_seen(
    client, thread, owner, member
):
    actions.message_send(
        author=owner, conversation=thread, body="Over to @**Mina Member**.", client_id="old"
    )
    post_many(thread, owner, 60)
    mention = Message.objects.get(client_id="old")
    client.force_login(member)
    client.get(page(thread))  # the latest page: the mention is not on it
    assert selectors.unread_notification_count(user=member) == 1
    # Its link lands on the page that shows it, which is seeing it.
    content = client.get(mention.get_absolute_url()).content.decode()
    assert mention.seq in shown_seqs(content)
    assert selectors.unread_notification_count(user=member) == 0


def test_a_reader_who_is_not_a_member_reads_their_mentions_in_an_open_community(
    client, make_community, owner, outsider
):
    community = make_community("open")
    conversation, _ = actions.conversation_create(
        author=owner,
        community=community,
        title="Open talk",
        body="What does @**Oscar Outsider** think?",
        client_id="open-1",
    )
    assert selectors.unread_notification_count(user=outsider) == 1
    client.force_login(outsider)
    client.get(page(conversation))
    assert selectors.unread_notification_count(user=outsider) == 0


def test_the_notification_list_marks_read_only_what_it_shows_and_pages_back(
    client, thread, owner, member, monkeypatch
):
    from groups import conversation_views

    monkeypatch.setattr(conversation_views, "NOTIFICATIONS_SHOWN", 2)
    for n in range(3):
        actions.message_send(
            author=owner, conversation=thread, body=f"@**Mina Member** {n}", client_id=f"p{n}"
        )
    client.force_login(member)
    first = client.get(reverse("notifications")).content.decode()
    assert "Mina Member 2" in first and "Mina Member 1" in first and "Mina Member 0" not in first
    assert selectors.unread_notification_count(user=member) == 1  # the one not shown
    earlier = re.search(r'<a href="(\?before=\d+)" rel="next">Earlier notifications</a>', first)
    older = client.get(reverse("notifications") + earlier[1]).content.decode()
    assert "Mina Member 0" in older and '<span class="badge">New</span>' in older
    assert selectors.unread_notification_count(user=member) == 0
    assert client.get(reverse("notifications"), {"before": "x"}).status_code == 400


def test_asking_for_two_places_at_once_is_a_400(client, thread, member):
    client.force_login(member)
    response = client.get(page(thread), {"before": 5, "at": 1})
    assert response.status_code == 400 and "not both" in response.content.decode()
