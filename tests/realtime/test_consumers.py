"""The WebSocket consumer through the project's whole ASGI stack (origin check, session,
routing), with Channels' WebsocketCommunicator and the in-memory or Redis channel layer."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from groups import actions, selectors
from groups.models import Message
from realtime import protocol

from .harness import NEEDS_A_REDIS

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def application():
    from hub.asgi import application as app

    return app


def session_cookie(person) -> str:
    client = Client()
    client.force_login(person)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def connect(person=None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if person is not None:
        cookie = await database_sync_to_async(session_cookie)(person)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application(), "/ws/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def live(person):
    socket = await connect(person)
    hello = await socket.receive_json_from()
    assert hello["type"] == "hello" and hello["person"] == person.pk and hello["v"] == 1
    return socket


async def frame(socket, **data):
    await socket.send_json_to(data)
    return await socket.receive_json_from(timeout=3)


async def until(socket, kind, timeout=3):
    """The next frame of type ``kind``, skipping others (returned as the second value)."""
    skipped = []
    while True:
        received = await socket.receive_json_from(timeout=timeout)
        if received["type"] == kind:
            return received, skipped
        skipped.append(received)


@pytest.fixture
def room(make_community, owner, make_person):
    community = make_community("private", name="Digital inclusion leads")
    conversation, _ = actions.conversation_create(
        author=owner,
        community=community,
        title="Device lending",
        body="Who lends laptops?",
        client_id="first",
    )
    member = make_person(name="Mia Member")
    invitation = actions.invitation_create(actor=owner, community=community, person=member)
    actions.invitation_respond(person=member, invitation=invitation, accept=True)
    return conversation, member


async def test_unauthenticated_socket_gets_an_error_frame_and_is_closed():
    socket = await connect(None)
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == "unauthenticated"
    closed = await socket.receive_output()
    assert closed == {"type": "websocket.close", "code": 4401}


async def test_a_foreign_origin_is_refused(owner):
    cookie = await database_sync_to_async(session_cookie)(owner)
    communicator = WebsocketCommunicator(
        application(),
        "/ws/",
        headers=[(b"origin", b"https://evil.example"), (b"cookie", f"sessionid={cookie}".encode())],
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_message_sent_through_one_socket_arrives_live_at_another(room, owner):
    conversation, member = room
    sender, reader = await live(owner), await live(member)
    for socket in (sender, reader):
        subscribed = await frame(socket, type="subscribe", conversation=conversation.pk, last_seq=1)
        assert subscribed["type"] == "subscribed" and subscribed["last_seq"] == 1
    await sender.send_json_to(
        {
            "type": "send",
            "conversation": conversation.pk,
            "client_id": "c-9",
            "body": "Ours do",
            "ref": "r1",
        }
    )
    ack, _ = await until(sender, "ack")
    assert ack["ref"] == "r1" and ack["seq"] == 2 and not ack["duplicate"]
    received, _ = await until(reader, "message")
    assert received["seq"] == 2 and received["message"]["html"] == "<p>Ours do</p>\n"
    assert received["message"]["author"]["name"] == "Olive Owner"
    await sender.disconnect()
    await reader.disconnect()


async def test_a_retried_send_is_acknowledged_once_and_stored_once(room):
    conversation, member = room
    socket = await live(member)
    await frame(socket, type="subscribe", conversation=conversation.pk)
    send = {"type": "send", "conversation": conversation.pk, "client_id": "dup", "body": "hello"}
    await socket.send_json_to(send)
    first, _ = await until(socket, "ack")
    await socket.send_json_to(send)
    second, skipped = await until(socket, "ack")
    assert not first["duplicate"] and second["duplicate"]
    assert first["seq"] == second["seq"] and first["message"] == second["message"]
    assert [e["type"] for e in skipped].count("message") <= 1
    count = await database_sync_to_async(
        Message.objects.filter(conversation=conversation, client_id="dup").count
    )()
    assert count == 1
    await socket.disconnect()


async def test_catch_up_after_reconnect_replays_missed_messages_in_order(room, owner):
    conversation, member = room
    reader = await live(member)
    await frame(reader, type="subscribe", conversation=conversation.pk, last_seq=1)
    await reader.disconnect()

    def miss_five():
        for n in range(5):
            actions.message_send(
                author=owner, conversation=conversation, body=f"m{n}", client_id=f"m{n}"
            )

    await database_sync_to_async(miss_five)()
    reader = await live(member)
    await reader.send_json_to({"type": "subscribe", "conversation": conversation.pk, "last_seq": 1})
    subscribed, replayed = await until(reader, "subscribed")
    assert [e["seq"] for e in replayed] == [2, 3, 4, 5, 6]
    assert subscribed["last_seq"] == 6
    await reader.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"type": "teleport"}', "unknown_type"),
        ('{"type": "send", "v": 9}', "bad_version"),
        ('{"type": "subscribe", "conversation": "seven"}', "bad_frame"),
        ('{"type": "subscribe", "conversation": 999999}', "not_found"),
        ('{"type": "send", "conversation": 1, "client_id": "x", "body": 5}', "bad_frame"),
        ('{"type": "typing", "conversation": 1}', "not_subscribed"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(room, raw, code):
    _, member = room
    socket = await live(member)
    await socket.send_to(text_data=raw)
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == code and error["message"]
    assert (await frame(socket, type="ping", ref="p"))["type"] == "pong"
    await socket.disconnect()


async def test_over_long_message_gets_an_error_and_nothing_is_stored(room):
    conversation, member = room
    socket = await live(member)
    error = await frame(
        socket,
        type="send",
        conversation=conversation.pk,
        client_id="long",
        body="x" * 10_001,
        ref="big",
    )
    assert error["code"] == "too_long" and error["ref"] == "big"
    assert not await database_sync_to_async(Message.objects.filter(client_id="long").exists)()
    await socket.disconnect()


async def test_subscribing_to_a_conversation_one_may_not_read_is_an_error(room, outsider):
    conversation, _ = room
    socket = await live(outsider)
    error = await frame(socket, type="subscribe", conversation=conversation.pk)
    assert error["code"] == "not_found"
    sent = await frame(
        socket, type="send", conversation=conversation.pk, client_id="in", body="let me in"
    )
    assert sent["code"] == "not_found"
    await socket.disconnect()


async def test_a_flood_beyond_the_rate_limit_is_refused_with_retry_after(room, settings):
    # 5 frames a second, bursts of 15: 80 pings exceed it however slowly this machine answers
    # them (at 20 a second, bursts of 60, a second's worth of slow pings refilled the bucket).
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 5
    _, member = room
    socket = await live(member)
    for n in range(80):
        await socket.send_json_to({"type": "ping", "ref": str(n)})
    replies = [await socket.receive_json_from() for _ in range(80)]
    limited = [r for r in replies if r["type"] == "error"]
    assert limited and all(r["code"] == "rate_limited" and r["retry_after"] > 0 for r in limited)
    await socket.disconnect()


async def test_a_flood_of_malformed_frames_is_rate_limited_too(room, settings):
    settings.REALTIME_RATE_LIMIT_PER_SECOND = 1  # bursts of 3
    _, member = room
    socket = await live(member)
    for _ in range(40):
        await socket.send_to(text_data="{not json")
    codes = [(await socket.receive_json_from())["code"] for _ in range(40)]
    assert codes[0] == "bad_json" and "rate_limited" in codes
    await socket.disconnect()


async def test_a_frame_over_the_limit_in_bytes_is_refused_though_short_in_characters(room):
    _, member = room
    socket = await live(member)
    padding = "€" * (protocol.MAX_FRAME_BYTES // 3 + 10)  # three bytes each in UTF-8
    text = json.dumps({"type": "ping", "ref": "big", "padding": padding}, ensure_ascii=False)
    assert len(text) < protocol.MAX_FRAME_BYTES < len(text.encode())
    await socket.send_to(text_data=text)
    error = await socket.receive_json_from()
    assert error["code"] == "too_long"
    assert await frame(socket, type="ping", ref="p") == {"v": 1, "type": "pong", "ref": "p"}
    await socket.disconnect()


async def test_unsubscribing_leaves_the_process_fan_out(room):
    from realtime.events import conversation_group
    from realtime.fanout import fanout

    conversation, member = room
    socket = await live(member)
    await frame(socket, type="subscribe", conversation=conversation.pk)
    assert fanout().members.get(conversation_group(conversation.pk))
    await frame(socket, type="unsubscribe", conversation=conversation.pk)
    assert conversation_group(conversation.pk) not in fanout().members
    await socket.disconnect()


async def test_subscribing_again_without_access_ends_the_subscription_held(room, owner):
    from groups.models import Membership
    from realtime.events import conversation_group
    from realtime.fanout import fanout

    conversation, member = room
    socket = await live(member)
    await frame(socket, type="subscribe", conversation=conversation.pk)
    # Removed behind the socket's back (as if the access check were lost with Redis).
    await database_sync_to_async(
        Membership.objects.filter(community_id=conversation.community_id, person=member).delete
    )()
    error = await frame(socket, type="subscribe", conversation=conversation.pk, last_seq=1)
    assert error["code"] == "not_found"
    assert conversation_group(conversation.pk) not in fanout().members
    await database_sync_to_async(actions.message_send)(
        author=owner, conversation=conversation, body="members only", client_id="m"
    )
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_removed_member_stops_receiving_at_once(room, owner):
    conversation, member = room
    socket = await live(member)
    await frame(socket, type="subscribe", conversation=conversation.pk)

    def remove():
        membership = selectors.membership_of(user=member, community=conversation.community)
        actions.member_remove(actor=owner, membership=membership)

    await database_sync_to_async(remove)()
    notice, _ = await until(socket, "unsubscribed")
    assert notice["reason"] == "access_lost"
    await database_sync_to_async(actions.message_send)(
        author=owner, conversation=conversation, body="after removal", client_id="after"
    )
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_community_turned_hidden_stops_non_members_at_once(make_community, owner, outsider):
    community = await database_sync_to_async(make_community)("open")
    conversation, _ = await database_sync_to_async(actions.conversation_create)(
        author=owner, community=community, title="Open talk", body="Hello", client_id="h"
    )
    socket = await live(outsider)
    await frame(socket, type="subscribe", conversation=conversation.pk)
    await database_sync_to_async(actions.community_update)(
        actor=owner,
        community=community,
        name=community.name,
        description="",
        visibility="hidden",
        topics=[],
    )
    notice, _ = await until(socket, "unsubscribed")
    assert notice["reason"] == "access_lost"
    await socket.disconnect()


async def test_edit_delete_reaction_and_typing_reach_other_subscribers(room, owner):
    conversation, member = room
    author, reader = await live(member), await live(owner)
    for socket in (author, reader):
        await frame(socket, type="subscribe", conversation=conversation.pk)
    await author.send_json_to(
        {"type": "send", "conversation": conversation.pk, "client_id": "e", "body": "typo"}
    )
    ack, _ = await until(author, "ack")
    message_id = ack["message"]
    await until(reader, "message")
    await author.send_json_to({"type": "typing", "conversation": conversation.pk})
    typing, _ = await until(reader, "typing")
    assert typing["person"]["name"] == "Mia Member"
    await author.send_json_to({"type": "edit", "message": message_id, "body": "fixed"})
    edit, _ = await until(reader, "edit")
    assert edit["message"]["edited"] and edit["message"]["html"] == "<p>fixed</p>\n"
    await reader.send_json_to(
        {"type": "reaction", "message": message_id, "emoji": "👍", "add": True}
    )
    reaction, _ = await until(author, "reaction")
    assert reaction["message"]["reactions"] == {"👍": [owner.pk]}
    await author.send_json_to({"type": "delete", "message": message_id})
    deleted, _ = await until(reader, "delete")
    assert deleted["message"]["deleted"] and deleted["message"]["html"] == ""
    for socket in (author, reader):
        await socket.disconnect()


async def test_catch_up_never_replays_text_that_was_edited_away_or_deleted(room, owner):
    conversation, member = room

    def write():
        typo, _ = actions.message_send(
            author=member, conversation=conversation, body="my NI number AB123456C", client_id="t"
        )
        actions.reaction_set(person=owner, message=typo, emoji="👍", add=True)
        actions.message_edit(actor=member, message=typo, body="my NI number [removed]")
        secret, _ = actions.message_send(
            author=member, conversation=conversation, body="the door code is 4711", client_id="s"
        )
        actions.message_delete(actor=owner, message=secret)

    await database_sync_to_async(write)()
    newcomer = await live(owner)
    replayed = await frame(newcomer, type="subscribe", conversation=conversation.pk, last_seq=0)
    frames = [replayed]
    while replayed["type"] != "subscribed":
        replayed = await newcomer.receive_json_from(timeout=3)
        frames.append(replayed)
    assert [f["type"] for f in frames[1:-1]] == ["message", "reaction", "edit", "message", "delete"]
    text = str(frames)
    assert "AB123456C" not in text and "4711" not in text
    assert "[removed]" in text
    # The secret's own message event now shows the deleted marker; the first message is intact.
    assert frames[4]["message"]["deleted"] and frames[4]["message"]["html"] == ""
    assert frames[0]["seq"] == 1 and frames[0]["message"]["html"] == "<p>Who lends laptops?</p>\n"
    await newcomer.disconnect()


async def test_a_mention_notifies_the_person_live_wherever_they_are(room, owner):
    conversation, member = room
    elsewhere = await live(owner)  # not subscribed to the conversation
    sender = await live(member)
    await sender.send_json_to(
        {
            "type": "send",
            "conversation": conversation.pk,
            "client_id": "m",
            "body": "@**Olive Owner** look",
        }
    )
    notification, _ = await until(elsewhere, "notification")
    assert notification["kind"] == "mention" and notification["conversation"] == conversation.pk
    for socket in (elsewhere, sender):
        await socket.disconnect()


async def test_read_marks_reach_the_persons_other_tabs(room):
    conversation, member = room
    tab_one, tab_two = await live(member), await live(member)
    ack = await frame(tab_one, type="read", conversation=conversation.pk, seq=1)
    assert ack["type"] == "ack" and ack["seq"] == 1
    read, _ = await until(tab_two, "read")
    assert read == {
        "v": 1,
        "type": "read",
        "conversation": conversation.pk,
        "seq": 1,
        "notifications_unread": 0,  # for every page's header
    }
    for socket in (tab_one, tab_two):
        await socket.disconnect()


async def test_presence_shows_who_in_the_community_is_online(room, owner):
    conversation, member = room
    watcher = await live(owner)
    subscribed = await frame(watcher, type="subscribe", conversation=conversation.pk)
    assert subscribed["online"] == [{"id": owner.pk, "name": "Olive Owner"}]
    arriving = await live(member)
    online, _ = await until(watcher, "presence")
    assert online["person"] == {"id": member.pk, "name": "Mia Member"} and online["online"]
    await arriving.disconnect()
    offline, _ = await until(watcher, "presence")
    assert offline["person"]["id"] == member.pk and not offline["online"]
    await watcher.disconnect()


async def test_someone_whose_server_process_died_is_announced_offline_by_the_sweep(
    room, owner, monkeypatch
):
    """A process killed with its sockets open says no goodbye: its presence rows stay. A live
    process's heartbeat sweeps rows past the window and announces their people offline,
    unless they are still online through another socket."""
    import datetime

    from django.utils import timezone

    from groups.models import Presence
    from realtime import consumers

    conversation, member = room
    watcher = await live(owner)
    await frame(watcher, type="subscribe", conversation=conversation.pk)
    long_ago = timezone.now() - selectors.ONLINE_WINDOW - datetime.timedelta(seconds=5)

    def a_dead_process_held(person, channel_name):
        Presence.objects.create(person=person, channel_name=channel_name, last_seen=long_ago)

    await database_sync_to_async(a_dead_process_held)(member, "dead-process.1")
    # The owner's own socket also left a stale row behind in a dead process.
    await database_sync_to_async(a_dead_process_held)(owner, "dead-process.2")
    monkeypatch.setattr(consumers, "_last_presence_sweep", 0.0)  # a sweep is due

    await watcher.send_json_to({"type": "ping", "ref": "p1"})
    pong, before = await until(watcher, "pong")
    assert pong == {"v": 1, "type": "pong", "ref": "p1"}
    announced = [f for f in before if f["type"] == "presence"]
    offline = announced[0] if announced else (await until(watcher, "presence"))[0]
    assert offline["person"]["id"] == member.pk and not offline["online"]
    remaining = await database_sync_to_async(
        lambda: sorted(Presence.objects.values_list("person_id", flat=True))
    )()
    assert remaining == [owner.pk]  # the live socket's row, not the dead ones
    # The owner is online through the live socket: no offline frame for them.
    monkeypatch.setattr(consumers, "_last_presence_sweep", 0.0)
    await watcher.send_json_to({"type": "ping", "ref": "p2"})
    _, before = await until(watcher, "pong")
    assert not [f for f in before if f["type"] == "presence"]
    assert await watcher.receive_nothing(timeout=0.5)
    await watcher.disconnect()


async def test_a_browser_gone_while_its_frame_is_answered_is_not_logged_as_a_failure(
    owner, monkeypatch, caplog
):
    """Uvicorn raises ClientDisconnected from a send to a socket the browser has closed: the
    answer (a pong, an error frame) is dropped quietly, not logged as a failed frame."""
    from uvicorn.protocols.utils import ClientDisconnected

    from realtime.consumers import HubConsumer

    send_json = HubConsumer.send_json

    async def gone_for_some(self, content, close=False):
        if content.get("ref") in {"gone-1", "gone-2"} or content.get("code") == "bad_json":
            raise ClientDisconnected
        await send_json(self, content, close)

    monkeypatch.setattr(HubConsumer, "send_json", gone_for_some)
    socket = await live(owner)
    await socket.send_json_to({"type": "ping", "ref": "gone-1"})  # its pong
    await socket.send_json_to({"type": "no_such_frame", "ref": "gone-2"})  # its error frame
    await socket.send_to(text_data='{"type": ')  # its error frame, for bad JSON
    answer = await frame(socket, type="no_such_frame", ref="after")
    # The socket goes on: the next frame's answer is the first to arrive.
    assert answer["type"] == "error" and answer["ref"] == "after" and answer["code"] != "internal"
    assert not [r for r in caplog.records if r.name.startswith("realtime") and r.levelno > 10]
    await socket.disconnect()


async def test_a_channel_layer_failure_keeps_the_socket_and_rechecks_access(room, owner):
    """The socket's own channel-layer receive fails for a while (as a Redis read timing out
    under load did in the benchmark): the socket stays open, and it re-checks its access from
    the database, since an access check sent meanwhile may be lost."""
    import asyncio

    from channels.layers import get_channel_layer

    from groups.models import Membership
    from realtime.fanout import fanout

    conversation, member = room
    layer = get_channel_layer()
    original = layer.receive
    down = asyncio.Event()
    failures = []

    async def flaky(channel):
        if channel == fanout().channel:
            return await original(channel)
        if down.is_set():
            failures.append(channel)
            await asyncio.sleep(0.05)
            raise ConnectionError("the channel layer went away")
        receiving = asyncio.ensure_future(original(channel))
        going_down = asyncio.ensure_future(down.wait())
        done, _ = await asyncio.wait({receiving, going_down}, return_when=asyncio.FIRST_COMPLETED)
        if receiving in done:
            going_down.cancel()
            return receiving.result()
        receiving.cancel()
        raise ConnectionError("the channel layer went away")

    layer.receive = flaky
    try:
        socket = await live(member)
        await frame(socket, type="subscribe", conversation=conversation.pk)
        down.set()
        await asyncio.sleep(0.3)
        assert failures, "the socket's receive never failed"
        # Removed behind the socket's back: no access check is broadcast at all.
        await database_sync_to_async(
            Membership.objects.filter(community_id=conversation.community_id, person=member).delete
        )()
        pong = await frame(socket, type="ping", ref="still-there")
        assert pong["type"] == "pong" and pong["ref"] == "still-there"
        down.clear()
        notice, _ = await until(socket, "unsubscribed", timeout=8)
        assert notice["reason"] == "access_lost"
        await socket.disconnect()
    finally:
        layer.receive = original


async def test_frames_reach_their_handlers_without_channels_connection_hop(room, monkeypatch):
    """Channels closes old connections in a hop to the database thread before every message
    it dispatches (and so resets Django's health check); frames skip it, since their handlers
    look after connections through realtime.db."""
    import channels.consumer

    hops = []
    real = channels.consumer.aclose_old_connections

    async def counted():
        hops.append(1)
        await real()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)
    conversation, member = room
    socket = await live(member)
    before = len(hops)
    for n in range(3):
        assert (await frame(socket, type="ping", ref=str(n)))["type"] == "pong"
    sent = await frame(
        socket, type="send", conversation=conversation.pk, client_id="hop", body="No hop"
    )
    assert sent["type"] in {"ack", "message"}
    assert len(hops) == before
    await socket.disconnect()


@NEEDS_A_REDIS
async def test_sockets_and_the_fan_out_keep_their_groups_beyond_the_layers_group_expiry(
    room, owner, settings, monkeypatch, redis_url
):
    """channels-redis's list-based layer forgets a group member after group_expiry (a day by
    default; 1 s here): a socket open longer still gets its notifications and its
    conversations' broadcasts, because both re-add their groups (every 0.3 s here)."""
    import asyncio

    from channels.layers import channel_layers, get_channel_layer

    from realtime import consumers, fanout
    from realtime.events import conversation_group, envelope, person_group

    monkeypatch.setattr(fanout, "GROUP_REFRESH_SECONDS", 0.3)
    monkeypatch.setattr(consumers, "GROUP_REFRESH_SECONDS", 0.3)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": settings.CHANNEL_LAYER_PREFIX},
        }
    }
    channel_layers.backends.clear()
    layer = get_channel_layer()
    layer.group_expiry = 1
    conversation, member = room
    socket = await live(member)
    await frame(socket, type="subscribe", conversation=conversation.pk)
    await asyncio.sleep(2.5)
    # As another process would publish them, through Redis.
    group = conversation_group(conversation.pk)
    typing = {
        "type": "typing",
        "conversation": conversation.pk,
        "person": {"id": owner.pk, "name": "Olu"},
    }
    await layer.group_send(group, {"group": group} | envelope(typing))
    received, _ = await until(socket, "typing")
    assert received["person"]["id"] == owner.pk
    notice = {"type": "notification", "id": 1, "kind": "mention", "conversation": conversation.pk}
    await layer.group_send(person_group(member.pk), envelope(notice))
    received, _ = await until(socket, "notification")
    assert received["kind"] == "mention"
    await socket.disconnect()
    await layer.flush()
