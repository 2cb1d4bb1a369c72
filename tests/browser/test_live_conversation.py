"""Two people chatting live in Chromium over the real WebSocket, and the reconnect indicator
when the server goes away and comes back."""

import pytest

from groups import actions

from .conftest import sign_in
from .test_accessibility import scan


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


def _open(live_page, url, bob_width=1280):
    alice, bob = live_page(), live_page(width=bob_width)
    sign_in(alice, "alice@guest.example", "alices-long-password")
    sign_in(bob, "bob@guest.example", "bobs-long-password")
    for page in (alice, bob):
        page.goto(url)
        page.get_by_role("status").filter(has_text="Up to date").wait_for()
    return alice, bob


def test_a_reply_made_in_the_page_arrives_live_with_a_link_to_its_parent(
    live_page, asgi_server, chat
):
    alice, bob = _open(live_page, chat.get_absolute_url(), bob_width=320)  # Bob on a phone
    context = bob.locator("#reply-context")
    assert context.is_hidden()

    # Keyboard only: the Reply button is reached and pressed like any other button.
    reply = bob.get_by_role("button", name="Reply to message from Alice Adams")
    reply.focus()
    reply.press("Enter")
    assert context.inner_text().startswith("Replying to Alice Adams: Who lends laptops?")
    composer = bob.get_by_label("Your message")
    assert composer.evaluate("el => el === document.activeElement")
    assert "reply-context-text" in composer.get_attribute("aria-describedby")
    report: list[str] = []
    assert not scan(bob, "conversation, replying, 320px", report), report
    assert bob.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    bob.get_by_role("button", name="Cancel reply").click()
    assert context.is_hidden() and bob.locator("#reply-to").input_value() == ""

    reply.click()
    composer.fill("We do: ask at any branch.")
    bob.get_by_role("button", name="Send").click()
    context.wait_for(state="hidden")

    live = alice.locator("#message-2")
    live.get_by_text("We do: ask at any branch.").wait_for()
    link = live.get_by_role("link", name="In reply to Alice Adams")
    assert link.get_attribute("href") == "#message-1"
    assert bob.locator("#message-2 .reply-to a").get_attribute("href") == "#message-1"
    rendered_live = live.locator(".reply-to").evaluate("el => el.outerHTML")

    # The page the server renders says the same, in the same markup.
    alice.reload()
    assert alice.locator("#message-2 .reply-to").evaluate("el => el.outerHTML") == rendered_live
    # The author line (linked to the profile) and the time are the server's too.
    live_meta = bob.locator("#message-2 .author").evaluate("el => el.outerHTML")
    live_time = bob.locator("#message-2 time").inner_text()
    assert live_meta == alice.locator("#message-2 .author").evaluate("el => el.outerHTML")
    assert live_time == alice.locator("#message-2 time").inner_text()
    assert bob.locator("#message-2 .author").get_by_role("link", name="Bob Brown").is_visible()
    link = alice.locator("#message-2").get_by_role("link", name="In reply to Alice Adams")
    link.click()
    assert alice.evaluate("location.hash") == "#message-1"


def test_an_earlier_page_takes_changes_to_its_messages_and_only_tells_of_new_ones(
    live_page, asgi_server, chat
):
    alice = chat.created_by
    for n in range(2, 61):
        actions.message_send(author=alice, conversation=chat, body=f"Note {n}.", client_id=f"{n}")
    earlier = f"{chat.get_absolute_url()}?before=11"
    alice_page, bob = _open(live_page, earlier)
    assert bob.locator("#messages .message").count() == 10
    assert bob.get_by_text("You are reading earlier messages.").is_visible()
    assert bob.locator("#compose").count() == 0

    # A reaction to a message on the page shows there...
    bob.get_by_role("button", name="React with thumbs up to message from Alice Adams").first.click()
    alice_page.locator("#message-1 .reactions").get_by_text("👍 1").wait_for()
    # A pin shows in everyone's pinned list, with a link to the message.
    alice_page.get_by_role("button", name="Pin message from Alice Adams").first.click()
    pin = bob.locator("#pinned").get_by_role("link", name="Alice Adams: Who lends laptops?")
    pin.wait_for()
    assert pin.get_attribute("href") == "#message-1"
    # ...while a new message is announced, not added among the earlier ones.
    alice_page.goto(chat.get_absolute_url())
    alice_page.get_by_role("status").filter(has_text="Up to date").wait_for()
    alice_page.get_by_label("Your message").fill("Fresh news")
    alice_page.get_by_role("button", name="Send").click()
    bob.get_by_role("link", name="New messages have been posted: go to the latest").wait_for()
    assert bob.locator("#messages .message").count() == 10
    assert bob.locator("#messages").get_by_text("Fresh news").count() == 0

    # Reply from an earlier page: the latest page's composer, replying to that message.
    bob.get_by_role("link", name="Reply to message from Alice Adams").first.click()
    bob.get_by_role("status").filter(has_text="Up to date").wait_for()
    assert bob.locator("#reply-context").inner_text().startswith("Replying to Alice Adams: Who")
    bob.get_by_label("Your message").fill("Late to this, sorry.")
    bob.get_by_role("button", name="Send").click()
    reply = alice_page.locator(".message", has_text="Late to this, sorry.")
    # Its parent is not on the latest page: the line links to the page that shows it.
    link = reply.get_by_role("link", name="In reply to Alice Adams")
    assert link.get_attribute("href") == "?at=1#message-1"
    link.click()
    alice_page.locator("#message-1").wait_for()
    assert "at=1" in alice_page.url


def test_a_message_sent_too_fast_is_sent_again_when_the_rate_limit_allows(
    live_page, asgi_server, chat, settings
):
    # Two frames' worth at first (a subscribe and one typing notice), then one every 1.5 s:
    # the server refuses the first send with rate_limited and a retry_after.
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 2 / 3
    alice, bob = _open(live_page, chat.get_absolute_url())
    composer = alice.get_by_label("Your message")
    composer.fill("First, sent too fast.")
    alice.get_by_role("button", name="Send").click()
    problems = alice.locator("#live-problems")
    problems.filter(has_text="Sending too fast: your message will be sent in").wait_for()
    # The connection state stays shown beside the problem.
    assert alice.locator("#live-status").inner_text() == "Up to date"
    composer.fill("Second, typed while waiting.")
    alice.get_by_role("button", name="Send").click()
    assert composer.input_value() == ""

    expected = ["Who lends laptops?", "First, sent too fast.", "Second, typed while waiting."]
    for page in (alice, bob):
        page.locator("#messages").get_by_text("Second, typed while waiting.").wait_for()
        assert page.locator("#messages .body").all_inner_texts() == expected
    problems.filter(has_text="Sending").wait_for(state="detached")
    assert problems.inner_text() == ""
    assert chat.messages.count() == 3


def test_a_refused_message_comes_back_and_changes_made_while_reconnecting_are_kept(
    live_page, asgi_server, chat
):
    alice, bob = _open(live_page, chat.get_absolute_url())
    composer = alice.get_by_label("Your message")
    problems = alice.locator("#live-problems")

    # The server refuses a message with a NUL character: the text comes back to the composer.
    composer.fill("Half\x00a message")
    alice.get_by_role("button", name="Send").click()
    problems.filter(has_text="Messages cannot contain NUL characters.").wait_for()
    assert problems.inner_text().endswith("It is back in the message box.")
    assert composer.input_value() == "Half\x00a message"
    assert alice.locator("#live-status").inner_text() == "Up to date"
    report: list[str] = []
    assert not scan(alice, "conversation, a message refused", report), report

    # While the server is away, a reaction and a message are queued, not dropped.
    asgi_server.stop()
    alice.get_by_role("status").filter(has_text="Reconnecting…").wait_for()
    alice.get_by_role("button", name="React with thumbs up to message from Alice Adams").click()
    problems.filter(has_text="Not connected: your change will be made").wait_for()
    composer.fill("Sent from the train.")
    alice.get_by_role("button", name="Send").click()
    # A refused message while something new is being typed does not overwrite it.
    composer.fill("Another\x00refused one")
    alice.get_by_role("button", name="Send").click()
    composer.fill("A draft in progress")
    asgi_server.start()
    alice.get_by_role("status").filter(has_text="Up to date").wait_for(timeout=20_000)

    bob.locator("#messages").get_by_text("Sent from the train.").wait_for(timeout=20_000)
    bob.locator("#message-1 .reactions").get_by_text("👍 1").wait_for()
    problems.filter(has_text="Your message “Another").wait_for()
    assert "was not sent: Messages cannot contain NUL characters." in problems.inner_text()
    assert composer.input_value() == "A draft in progress"
    assert chat.messages.count() == 2
