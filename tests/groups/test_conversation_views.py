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
    actions.invitation_respond(
        person=insider,
        invitation=actions.invitation_create(
            actor=owner, community=thread.community, person=insider
        ),
        accept=True,
    )
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
    actions.invitation_respond(
        person=member,
        invitation=actions.invitation_create(
            actor=owner, community=thread.community, person=member
        ),
        accept=True,
    )
    client.force_login(member)
    assert client.post(page(thread, "groups:conversation_practice")).status_code == 403
    assert not PracticePost.objects.exists()


def test_community_page_lists_conversations_with_unread_counts(client, thread, owner, make_person):
    member = make_person()
    actions.invitation_respond(
        person=member,
        invitation=actions.invitation_create(
            actor=owner, community=thread.community, person=member
        ),
        accept=True,
    )
    client.force_login(member)
    content = client.get(thread.community.get_absolute_url()).content.decode()
    assert "Missed bins" in content and "1 unread" in content
    client.get(page(thread))  # reading the page marks it read
    assert "unread" not in client.get(thread.community.get_absolute_url()).content.decode()


def test_home_shows_unread_counts_per_community(client, thread, owner, make_person):
    member = make_person()
    actions.invitation_respond(
        person=member,
        invitation=actions.invitation_create(
            actor=owner, community=thread.community, person=member
        ),
        accept=True,
    )
    actions.message_send(author=owner, conversation=thread, body="news", client_id="news")
    client.force_login(member)
    assert "2 unread" in client.get("/").content.decode()
