import pytest
from django.urls import reverse

from groups import actions
from groups.models import Message
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
    assert "unread" not in client.get(thread.community.get_absolute_url()).content.decode()


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
    assert 'id="reply-context" class="reply-context">' in content
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
