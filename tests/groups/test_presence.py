"""Presence changes of one person are made one at a time, so what is announced never
contradicts the rows: a sweep deciding someone is offline cannot pass a connect committing
meanwhile. Threads with their own connections, on PostgreSQL (SQLite takes one writer at a
time by itself)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from groups import actions, selectors
from groups.actions import presence
from groups.models import Presence
from realtime.publish import capture_events

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks between connections are PostgreSQL's; its tier of .ci/run runs this",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_thread(target, **kwargs) -> threading.Thread:
    def run() -> None:
        try:
            target(**kwargs)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_connect_during_a_sweep_is_announced_after_the_sweeps_offline(
    make_community, owner, monkeypatch
):
    make_community("open")  # the owner's community, where presence is announced
    long_ago = timezone.now() - selectors.ONLINE_WINDOW - datetime.timedelta(seconds=5)
    Presence.objects.create(person=owner, channel_name="dead.1", last_seen=long_ago)
    deciding, release = threading.Event(), threading.Event()
    announce = presence._announce

    def slow_announce(people, online):
        if not online:  # the sweep has decided, and holds its locks
            deciding.set()
            release.wait(5)
        announce(people, online)

    monkeypatch.setattr(presence, "_announce", slow_announce)
    with capture_events() as sent:
        sweep = in_thread(actions.presence_sweep)
        assert deciding.wait(5)
        connect = in_thread(actions.presence_connect, person=owner, channel_name="alive.2")
        connect.join(0.5)
        assert connect.is_alive()  # waits for the sweep's decision to commit
        release.set()
        sweep.join(5)
        connect.join(5)
    said = [event["event"]["online"] for _, event in sent if event["event"]["type"] == "presence"]
    assert said == [False, True]  # the last word is the truth: online
    assert list(Presence.objects.values_list("channel_name", flat=True)) == ["alive.2"]


def test_a_heartbeat_during_a_sweep_keeps_its_row_and_its_person_online(make_community, owner):
    from django.db import transaction

    make_community("open")
    long_ago = timezone.now() - selectors.ONLINE_WINDOW - datetime.timedelta(seconds=5)
    Presence.objects.create(person=owner, channel_name="slow.1", last_seen=long_ago)
    refreshed, release = threading.Event(), threading.Event()

    def slow_heartbeat() -> None:
        # As presence_heartbeat, with its transaction held open after the update.
        with transaction.atomic():
            Presence.objects.filter(channel_name="slow.1").update(last_seen=timezone.now())
            refreshed.set()
            release.wait(5)

    with capture_events() as sent:
        heartbeat = in_thread(slow_heartbeat)
        assert refreshed.wait(5)
        sweep = in_thread(presence.presence_sweep)
        sweep.join(0.5)
        assert sweep.is_alive()  # its delete waits for the heartbeat's row
        release.set()
        heartbeat.join(5)
        sweep.join(5)
    assert not [e for _, e in sent if e["event"]["type"] == "presence"]
    assert Presence.objects.get().channel_name == "slow.1"
