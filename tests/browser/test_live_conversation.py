"""Two people chatting live in Chromium over the real WebSocket, and the reconnect indicator
when the server goes away and comes back."""

import pytest

from groups import actions

from .conftest import sign_in


@pytest.fixture
def chat(make_community, make_person, transactional_db):
    alice = make_person(
        name="Alice Adams", email="alice@guest.example", password="alices-long-password"
    )
    bob = make_person(name="Bob Brown", email="bob@guest.example", password="bobs-long-password")
    community = make_community("private", name="Digital inclusion leads", creator=alice)
    invitation = actions.invitation_create(actor=alice, community=community, person=bob)
    actions.invitation_respond(person=bob, invitation=invitation, accept=True)
    conversation, _ = actions.conversation_create(
        author=alice,
        community=community,
        title="Device lending",
        body="Who lends laptops?",
        client_id="first",
    )
    return conversation


def test_two_people_chat_live_and_the_page_shows_reconnecting_when_the_server_goes_away(
    live_page, asgi_server, chat
):
    url = chat.get_absolute_url()
    alice, bob = live_page(), live_page()
    sign_in(alice, "alice@guest.example", "alices-long-password")
    sign_in(bob, "bob@guest.example", "bobs-long-password")
    for page in (alice, bob):
        page.goto(url)
        page.get_by_role("status").filter(has_text="Up to date").wait_for()

    alice.get_by_text("Online now: Alice Adams, Bob Brown").wait_for()
    alice.get_by_label("Your message").fill("Our libraries lend 40 laptops.")
    alice.get_by_role("button", name="Send").click()
    bob.locator("#messages").get_by_text("Our libraries lend 40 laptops.").wait_for()

    bob.get_by_label("Your message").press_sequentially("How do you")
    alice.get_by_text("Bob Brown is typing…").wait_for()
    bob.get_by_label("Your message").fill("How do you get them back?")
    bob.get_by_role("button", name="Send").click()
    alice.locator("#messages").get_by_text("How do you get them back?").wait_for()
    for page in (alice, bob):
        texts = page.locator("#messages .body").all_inner_texts()
        assert texts == [
            "Who lends laptops?",
            "Our libraries lend 40 laptops.",
            "How do you get them back?",
        ]

    bob.get_by_role("button", name="React with thumbs up to message from Alice Adams").last.click()
    alice.locator("#messages .reactions").get_by_text("👍 1").wait_for()

    asgi_server.stop()
    alice.get_by_role("status").filter(has_text="Reconnecting…").wait_for()
    asgi_server.start()
    alice.get_by_role("status").filter(has_text="Up to date").wait_for(timeout=20_000)
    bob.get_by_role("status").filter(has_text="Up to date").wait_for(timeout=20_000)
    bob.get_by_label("Your message").fill("Back again")
    bob.get_by_role("button", name="Send").click()
    alice.locator("#messages").get_by_text("Back again").wait_for()
    assert alice.locator("#messages .message").count() == 4
