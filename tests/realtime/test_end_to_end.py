"""End to end over real sockets against real server processes: a message crosses from one
Daphne process to another through Redis, and clients catch up, exactly once and in order, after
a server is killed, after the server restarts, after Redis restarts, and after a dropped client."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from limits import RateLimitItemPerSecond

from groups import actions
from realtime import ratelimit

from .harness import (
    NEEDS_A_REDIS,
    NEEDS_REDIS_SERVER,
    ROOT,
    ProtocolClient,
    RedisProcess,
    ServerProcess,
    daphne_and_uvicorn,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        user = db.get("USER") or "postgres"
        return f"postgres://{user}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def server_env(redis_url: str = "", prefix: str = "e2e") -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "hub.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CHANNEL_LAYER_PREFIX": f"hub-{prefix}-{connection.settings_dict['NAME'][-12:]}",
    }


def cookie_for(person) -> str:
    client = Client()
    client.force_login(person)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def room(make_community, owner, make_person):
    community = make_community("private", name="Digital inclusion leads")
    conversation, _ = actions.conversation_create(
        author=owner, community=community, title="Device lending", body="first", client_id="first"
    )
    member = make_person(name="Mia Member")
    invitation = actions.invitation_create(actor=owner, community=community, person=member)
    actions.invitation_respond(person=member, invitation=invitation, accept=True)
    return conversation.pk, cookie_for(owner), cookie_for(member)


async def writer_on_a_reader_on_b(room, a, b, first: str):
    """The owner writing through server ``a`` and a member reading through ``b``, connected,
    with ``first`` sent by the writer and received by the reader (sequence 2)."""
    conversation, owner_cookie, member_cookie = room
    writer = ProtocolClient(a.url, owner_cookie, conversation)
    reader = ProtocolClient(b.url, member_cookie, conversation)
    await writer.connect()
    await reader.connect()
    await writer.send(first, "pair-1")
    await reader.wait_for_seq(2)
    return writer, reader


@NEEDS_A_REDIS
async def test_a_message_crosses_processes_through_redis_and_survives_a_killed_process(
    room, redis_url
):
    conversation, owner_cookie, member_cookie = room
    env = server_env(redis_url, "cross")
    # Both servers the hub supports, side by side behind one Redis.
    with daphne_and_uvicorn(env) as (a, b):
        writer, reader = await writer_on_a_reader_on_b(room, a, b, "through A")
        assert reader.bodies() == ["<p>first</p>\n", "<p>through A</p>\n"]

        a.kill()
        await reader.send("while A is down", "r1")
        await reader.send("still down", "r2")
        await writer.connect(b.url)  # reconnects to the surviving process, catching up
        await writer.send("back through B", "w2")
        await reader.wait_for_seq(5)
        await writer.wait_for_seq(5)
        expected = ["<p>while A is down</p>\n", "<p>still down</p>\n", "<p>back through B</p>\n"]
        assert reader.bodies() == ["<p>first</p>\n", "<p>through A</p>\n", *expected]
        assert [f["seq"] for f in writer.received] == [1, 2, 3, 4, 5]
        assert writer.duplicates == []  # never sent twice on one socket
        await writer.close()
        await reader.close()


@NEEDS_A_REDIS
async def test_a_persons_frame_limit_is_one_count_across_processes(room, redis_url, owner):
    conversation, owner_cookie, _ = room
    # 3 frames a minute. A tab on the first process subscribes and pings twice: 3 frames. A
    # tab on the second subscribes (a 4th) and pings twice: within that process's own
    # allowance of 3, but not within the person's.
    env = {
        **server_env(redis_url, "limit"),
        "REALTIME_RATE_LIMIT_PER_SECOND": "0.05",
        "REALTIME_RATE_LIMIT_BURST_SECONDS": "60",
    }
    with daphne_and_uvicorn(env) as (a, b):
        first = ProtocolClient(a.url, owner_cookie, conversation)
        second = ProtocolClient(b.url, owner_cookie, conversation)
        await first.connect()
        assert [(await ping(first, ref))["type"] for ref in ("a1", "a2")] == ["pong", "pong"]
        # The first process counts in the background: wait until Redis holds all three.
        counted = ratelimit.SharedLimit(redis_url)
        item = RateLimitItemPerSecond(3, 60)
        key = (env["CHANNEL_LAYER_PREFIX"], str(owner.pk))
        async with asyncio.timeout(5):
            while (await counted.limiter.get_window_stats(item, *key)).remaining > 0:
                await asyncio.sleep(0.01)
        await second.connect()
        replies = [await ping(second, ref) for ref in ("b1", "b2")]
        assert any(r["type"] == "error" for r in replies), replies
        assert all(
            r["code"] == "rate_limited" and r["retry_after"] > 0
            for r in replies
            if r["type"] == "error"
        )
        await first.close()
        await second.close()


async def ping(tab: ProtocolClient, ref: str) -> dict:
    await tab.socket.send(json.dumps({"type": "ping", "ref": ref}))
    return await tab.until(lambda frame: frame.get("ref") == ref)


async def test_catch_up_after_the_server_restarts(room):
    conversation, owner_cookie, member_cookie = room
    server = ServerProcess(server_env()).start()
    try:
        reader = ProtocolClient(server.url, member_cookie, conversation)
        await reader.connect()
        server.kill()
        server = ServerProcess(server_env(), port=server.port).start()
        writer = ProtocolClient(server.url, owner_cookie, conversation)
        await writer.connect()
        for n in range(20):
            await writer.send(f"m{n}", f"m{n}")
        await reader.connect()  # same URL, a new process: catch up from the database
        await reader.wait_for_seq(21)
        assert [f["seq"] for f in reader.received] == list(range(1, 22))
        assert reader.duplicates == []  # never sent twice on one socket
        await reader.close()
        await writer.close()
    finally:
        server.stop()


@NEEDS_REDIS_SERVER
async def test_catch_up_after_redis_restarts(room):
    conversation, owner_cookie, member_cookie = room
    redis = RedisProcess().start()
    server = ServerProcess(server_env(redis.url, "restart")).start()
    try:
        reader = ProtocolClient(server.url, member_cookie, conversation)
        writer = ProtocolClient(server.url, owner_cookie, conversation)
        await reader.connect()
        await writer.connect()
        await writer.send("before", "b")
        await reader.wait_for_seq(2)
        redis.kill()
        redis = RedisProcess(port=redis.port).start()
        # Whatever the layer lost, both clients reconnect and catch up from the database.
        for client in (reader, writer):
            await client.close()
            await client.connect()
        for n in range(10):
            await writer.send(f"after {n}", f"a{n}")
        await reader.wait_for_seq(12)
        assert [f["seq"] for f in reader.received] == list(range(1, 13))
        assert reader.duplicates == []  # never sent twice on one socket
        await reader.close()
        await writer.close()
    finally:
        server.stop()
        redis.kill()


async def test_messages_sent_while_redis_was_down_reach_another_process_when_it_is_back(room):
    """channels-redis's pub/sub layer reconnects by itself and raises nothing: the process
    must notice and catch its sockets up, without a client reconnecting or a new message."""
    conversation, owner_cookie, member_cookie = room
    redis = RedisProcess().start()
    env = server_env(redis.url, "outage")
    try:
        with daphne_and_uvicorn(env) as (a, b):
            writer, reader = await writer_on_a_reader_on_b(room, a, b, "before")
            redis.kill()
            await writer.send("during 1", "d1")  # stored; the broadcast is lost
            await writer.send("during 2", "d2")
            redis = RedisProcess(port=redis.port).start()
            await reader.wait_for_seq(4, timeout=20)
            assert reader.bodies()[-2:] == ["<p>during 1</p>\n", "<p>during 2</p>\n"]
            assert reader.duplicates == []
            await writer.send("after", "a")
            await reader.wait_for_seq(5)
            assert [f["seq"] for f in reader.received] == [1, 2, 3, 4, 5]
            assert reader.duplicates == []  # never sent twice on one socket
            await reader.close()
            await writer.close()
    finally:
        redis.kill()


@pytest.mark.parametrize("server_name", ["daphne", "uvicorn"])
async def test_a_client_dropped_mid_stream_gets_every_message_once_in_order(room, server_name):
    conversation, owner_cookie, member_cookie = room
    server = ServerProcess(server_env(), server=server_name).start()
    try:
        reader = ProtocolClient(server.url, member_cookie, conversation)
        writer = ProtocolClient(server.url, owner_cookie, conversation)
        await reader.connect()
        await writer.connect()

        async def burst():
            for n in range(60):
                await writer.send(f"burst {n}", f"burst-{n}")

        sending = asyncio.create_task(burst())
        await reader.wait_for_seq(10)
        await reader.close()  # the train enters a tunnel
        await asyncio.sleep(0.2)
        await reader.connect()
        await sending
        await reader.wait_for_seq(61)
        assert [f["seq"] for f in reader.received] == list(range(1, 62))
        assert reader.duplicates == []  # never sent twice on one socket
        assert reader.bodies()[1:] == [f"<p>burst {n}</p>\n" for n in range(60)]
        await reader.close()
        await writer.close()
    finally:
        server.stop()


@pytest.mark.parametrize("indexing", ["thread", "worker"])
async def test_a_live_message_is_searchable_within_a_second_of_its_ack(room, indexing):
    """A server indexes off the send path, in its background thread or by handing the work
    to the indexing worker (a second process, as in compose.yaml): the message is
    acknowledged first and found by the search page of the same server within a second."""
    conversation, owner_cookie, member_cookie = room
    env = {**server_env(), "SEARCH_INDEXING": indexing}
    server = ServerProcess(env).start()
    worker = None
    if indexing == "worker":
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "search_index", "worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Listening once it has said so.
        assert worker.stdout is not None and "Indexing queued" in worker.stdout.readline().decode()
    try:
        writer = ProtocolClient(server.url, owner_cookie, conversation)
        await writer.connect()
        await writer.send("Our xylophonic waste audit found the missed bins", "search-1")
        acked = asyncio.get_running_loop().time()

        def search_page() -> str:
            request = urllib.request.Request(
                f"http://127.0.0.1:{server.port}/search/?q=xylophonic&type=message",
                headers={"Cookie": member_cookie},
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
                return response.read().decode()

        found_after = None
        while asyncio.get_running_loop().time() - acked < 5:
            if "waste audit" in await asyncio.to_thread(search_page):
                found_after = asyncio.get_running_loop().time() - acked
                break
            await asyncio.sleep(0.02)
        assert found_after is not None and found_after < 1.0, found_after
        await writer.close()
    finally:
        server.stop()
        if worker is not None:
            worker.terminate()
            assert worker.wait(timeout=10) == 0, worker.stderr.read().decode()[-2000:]
