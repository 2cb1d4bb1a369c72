"""Indexing off the path of the write, as server processes do it: the background thread, and
the queue that the indexing worker empties. Writing content never waits for the index, the
content is searchable moments after its commit, and removed rows leave the index at once in
the thread that removed them. Real commits (transaction=True), real threads."""

from __future__ import annotations

import dataclasses
import threading
import time
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from groups import actions as group_actions
from profiles import actions as profile_actions
from search import index as search_index
from search.backends import get_search_backend
from search.index import set_indexing, wait_for_background_indexing
from search.models import PendingIndex
from search.selectors import search

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def indexing_threads(monkeypatch):
    """Names of the threads that indexed, in order, with the kinds they indexed."""
    seen: list[tuple[str, str]] = []
    original = search_index.index_objects

    def recording(kind, ids):
        seen.append((threading.current_thread().name, kind))
        return original(kind, ids)

    monkeypatch.setattr(search_index, "index_objects", recording)
    set_indexing("thread")
    yield seen
    wait_for_background_indexing()
    set_indexing("now")


def found(user, text: str) -> list[str]:
    return [r.url for r in search(user=user, text=text).results]


def test_a_sent_message_is_indexed_by_the_indexer_thread_not_the_sender(
    indexing_threads, make_community, owner, outsider
):
    community = make_community("open")
    conversation, _ = group_actions.conversation_create(
        author=owner, community=community, title="Bins", body="first", client_id="c1"
    )
    wait_for_background_indexing()
    indexing_threads.clear()
    started = time.monotonic()
    message, _ = group_actions.message_send(
        author=owner,
        conversation=conversation,
        body="A quixotic rota for missed collections",
        client_id="c2",
    )
    while not found(outsider, "quixotic") and time.monotonic() - started < 5:
        time.sleep(0.01)
    elapsed = time.monotonic() - started
    url = message.get_absolute_url()
    assert found(outsider, "quixotic") == [url]
    assert elapsed < 1.0
    threads = {name for name, kind in indexing_threads if kind == "message"}
    assert threads == {"search-indexer"}


def test_a_deleted_row_leaves_the_index_in_the_deleting_thread(
    indexing_threads, make_person, outsider
):
    person = make_person(name="Ulrika Vantongeren")
    assert wait_for_background_indexing()
    assert found(outsider, "vantongeren")
    indexing_threads.clear()
    profile_actions.person_delete(person=person)
    # No waiting: the row is gone, and so is its entry.
    assert found(outsider, "vantongeren") == []
    assert ("MainThread", "person") in indexing_threads


def test_commits_close_together_are_indexed_in_few_batches(
    indexing_threads, make_community, owner, outsider
):
    community = make_community("open")
    conversation, _ = group_actions.conversation_create(
        author=owner, community=community, title="Bins", body="first", client_id="c1"
    )
    assert wait_for_background_indexing()
    indexing_threads.clear()
    for n in range(30):
        group_actions.message_send(
            author=owner, conversation=conversation, body=f"Batch note {n}", client_id=f"b{n}"
        )
    assert wait_for_background_indexing()
    assert get_search_backend().indexed_counts()["message"] == 31
    batches = [kind for name, kind in indexing_threads if kind == "message"]
    assert 1 <= len(batches) <= 30


def test_an_indexing_failure_is_logged_and_the_indexer_goes_on(
    indexing_threads, monkeypatch, make_person, outsider, caplog
):
    declaration = search_index.searchable("person")
    original = declaration.document
    calls = {"n": 0}

    def failing_once(obj):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the index is having a bad day")
        return original(obj)

    monkeypatch.setitem(
        search_index._registry, "person", dataclasses.replace(declaration, document=failing_once)
    )
    make_person(name="Wilhelmina Failsworth")
    assert wait_for_background_indexing()
    assert "Indexing person" in caplog.text
    make_person(name="Xanthe Carryon")
    assert wait_for_background_indexing()
    assert found(outsider, "carryon")


@pytest.fixture
def queueing():
    """This process hands its indexing to the worker's queue, as servers do with
    SEARCH_INDEXING=worker."""
    search_index.set_indexing("worker")
    yield
    search_index.set_indexing("now")


def test_with_a_worker_saved_content_waits_in_the_queue_until_the_worker_indexes_it(
    queueing, make_community, owner, outsider
):
    community = make_community("open")
    conversation, _ = group_actions.conversation_create(
        author=owner, community=community, title="Bins", body="Zymurgical rota", client_id="c1"
    )
    # Committed and queued, not indexed: nothing in this process indexes it.
    assert found(outsider, "zymurgical") == []
    queued = set(PendingIndex.objects.values_list("kind", "object_id"))
    assert ("message", conversation.messages.get().pk) in queued
    status = StringIO()
    call_command("search_index", "status", "--kind", "message", stdout=status)
    assert "1 queued for the indexing worker" in status.getvalue()
    out = StringIO()
    call_command("search_index", "worker", "--once", stdout=out)
    assert f"Indexed {len(queued)} queued objects." in out.getvalue()
    assert found(outsider, "zymurgical") == [f"{conversation.get_absolute_url()}?at=1#message-1"]
    assert not PendingIndex.objects.exists()


def test_the_worker_indexes_what_is_queued_within_a_second_and_stops_when_asked(
    queueing, make_community, owner, outsider
):
    stop = threading.Event()
    worker = threading.Thread(target=search_index.run_worker, args=(stop,))
    worker.start()
    try:
        community = make_community("open")
        started = time.monotonic()
        conversation, _ = group_actions.conversation_create(
            author=owner, community=community, title="Bins", body="Quokka audit", client_id="q"
        )
        while not found(outsider, "quokka") and time.monotonic() - started < 5:
            time.sleep(0.01)
        assert found(outsider, "quokka") and time.monotonic() - started < 1.0
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()


def test_a_kind_that_fails_to_index_is_logged_and_leaves_the_queue(
    queueing, monkeypatch, make_person, outsider, caplog
):
    declaration = search_index.searchable("person")

    def failing(obj):
        raise RuntimeError("the index is having a bad day")

    monkeypatch.setitem(
        search_index._registry, "person", dataclasses.replace(declaration, document=failing)
    )
    make_person(name="Wilhelmina Failsworth")
    assert search_index.index_queued() >= 1
    assert "Indexing person" in caplog.text
    assert not PendingIndex.objects.filter(kind="person").exists()


def test_an_unknown_indexing_mode_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="SEARCH_INDEXING"):
        search_index.set_indexing("later")
