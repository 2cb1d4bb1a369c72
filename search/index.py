"""How apps declare what is searchable, and indexing as a side effect of saving.

An app describes a content type once, in its ``search_indexes.py`` (found by
``SearchConfig.ready()``)::

    register(SearchableType(kind="practice", label="Practice", model=PracticePost,
                            document=practice_document, objects=..., readable=...))

Backends see only ``SearchDocument`` values, never app models. Saving or deleting a registered
model (or a related one listed in ``watch``) queues its id; after the transaction commits the
queued ids are indexed (or removed). Rows that were deleted leave the index at once, in the
thread that deleted them. What else is indexed, and where, is the process's indexing mode
(``set_indexing()``; server processes take the ``SEARCH_INDEXING`` setting, see hub/asgi.py):

- ``now``: in the thread that committed (commands and tests);
- ``thread``: by one background thread of the process, about 100 ms after the commit, off the
  path of the request or WebSocket frame that wrote it, several commits close together as one
  batch (the default for a server: nothing else to run);
- ``worker``: the ids are written to a queue table after the commit, and a separate process,
  ``manage.py search_index worker``, indexes them (woken by PostgreSQL's NOTIFY, or polling on
  SQLite). Indexing then takes no time from the server's one thread of Python, and queued work
  survives a restart of either process.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# How long the background indexer waits after work arrives before it takes the batch.
BATCH_WINDOW_SECONDS = 0.1
INDEXING_MODES = ("now", "thread", "worker")
# The PostgreSQL channel the worker listens on; a queued id notifies it.
QUEUE_CHANNEL = "search_index_queue"

# Characters the index keeps for itself: highlight markers in snippets.
MARK_START, MARK_END = "\x02", "\x03"
_STRIP = str.maketrans({"\x00": " ", MARK_START: " ", MARK_END: " "})


def clean_text(text: str) -> str:
    return (text or "").translate(_STRIP)


@dataclass(frozen=True)
class Facet:
    name: str  # organisation, region, service_area, community, year
    value: str
    label: str


@dataclass(frozen=True)
class SearchDocument:
    """What a backend stores for one object. Permission fields: ``network_wide``, or
    ``community_id`` (readable by whoever may read that community), or ``readers`` (only these
    people, e.g. a draft's authors). None of them set means nobody may find it."""

    kind: str
    object_id: int
    title: str
    body: str
    url: str
    date: datetime.datetime | None
    network_wide: bool = False
    community_id: int | None = None
    readers: tuple[int, ...] = ()
    author_ids: tuple[int, ...] = ()
    endorsement_count: int = 0
    facets: tuple[Facet, ...] = ()


AnyUser = Any


@dataclass(frozen=True)
class SearchableType:
    """A content type's declaration.

    - ``document(obj)`` returns its SearchDocument, or None when it should not be found (a
      deleted message, an inactive person);
    - ``objects()`` is every object to index, with what ``document`` needs prefetched;
    - ``readable(user)`` is the app's permission-filtered selector, used to re-check hits before
      display (an index can be stale);
    - ``watch`` lists related models whose changes re-index objects: (model, ids_of(instance)),
      or (model, ids_of(instance), fields) to react only to saves that may change those fields
      (a save with ``update_fields`` naming none of them is ignored).
    - ``weights``: field weights (title, body) used by every backend's ranking.
    """

    kind: str
    label: str
    model: type[Model]
    document: Callable[[Any], SearchDocument | None]
    objects: Callable[[], QuerySet[Any]]
    readable: Callable[[AnyUser], QuerySet[Any]]
    watch: Sequence[tuple[Any, ...]] = ()
    m2m: Sequence[Any] = ()
    weights: tuple[float, float] = (2.0, 1.0)
    order: int = field(default=0)


_registry: dict[str, SearchableType] = {}


def register(searchable: SearchableType) -> None:
    """Declare a searchable type and connect the signals that keep it indexed."""
    _registry[searchable.kind] = searchable
    uid = f"search:{searchable.kind}"

    def on_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        enqueue(searchable.kind, [int(instance.pk)])

    def on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        enqueue(searchable.kind, [int(instance.pk)], removed=True)

    post_save.connect(on_save, sender=searchable.model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(on_delete, sender=searchable.model, weak=False, dispatch_uid=uid + ":del")

    for index, (model, ids_of, *only) in enumerate(searchable.watch):

        def on_related(
            sender: type[Model],
            instance: Model,
            _ids: Any = ids_of,
            _fields: frozenset[str] | None = frozenset(only[0]) if only else None,
            **kwargs: Any,
        ) -> None:
            if kwargs.get("raw"):
                return
            saved = kwargs.get("update_fields")
            if _fields is not None and saved is not None and not _fields & set(saved):
                return
            enqueue(searchable.kind, [int(i) for i in _ids(instance) if i is not None])

        post_save.connect(on_related, sender=model, weak=False, dispatch_uid=f"{uid}:w{index}")
        post_delete.connect(on_related, sender=model, weak=False, dispatch_uid=f"{uid}:d{index}")

    for index, through in enumerate(searchable.m2m):

        def on_m2m(sender: Any, instance: Model, action: str, **kwargs: Any) -> None:
            if action in {"post_add", "post_remove", "post_clear"} and isinstance(
                instance, searchable.model
            ):
                enqueue(searchable.kind, [int(instance.pk)])

        m2m_changed.connect(on_m2m, sender=through, weak=False, dispatch_uid=f"{uid}:m{index}")


def searchable_types() -> list[SearchableType]:
    return sorted(_registry.values(), key=lambda s: s.order)


def searchable(kind: str) -> SearchableType:
    return _registry[kind]


def is_registered(kind: str) -> bool:
    return kind in _registry


# ---- queueing after commit -----------------------------------------------------------------

_local = threading.local()


def _queue(name: str) -> dict[str, set[int]]:
    """This thread's ids waiting for its transaction to commit: ``pending`` to index,
    ``removals`` of rows that are gone."""
    queue: dict[str, set[int]] | None = getattr(_local, name, None)
    if queue is None:
        queue = {}
        setattr(_local, name, queue)
    return queue


def enqueue(kind: str, ids: Iterable[int], *, removed: bool = False) -> None:
    """Index these objects once the current transaction commits (at once outside one).
    Several saves of one object in a transaction index it once: the first callback to run
    takes everything queued, the others find nothing left. Ids queued by a transaction that
    rolled back are indexed with the next flush, which only re-reads the database.
    ``removed`` says the rows are gone: they leave the index in this thread, never later."""
    ids = set(ids)
    if not ids:
        return
    _queue("removals" if removed else "pending").setdefault(kind, set()).update(ids)
    transaction.on_commit(flush)


def flush() -> None:
    """Index everything queued. Called after commit; indexing failures are logged, never
    raised into the request that saved the content (``search_index update`` repairs)."""
    _index_all(_queue("removals"))
    pending = _queue("pending")
    if not pending:
        return
    if _background.mode == "thread":
        _background.submit(pending)
        pending.clear()
    elif _background.mode == "worker":
        _queue_for_worker(pending)
    else:
        _index_all(pending)


def _queue_for_worker(work: dict[str, set[int]]) -> None:
    """Write the ids to the worker's queue, and wake it; on failure log them (``search_index
    update`` repairs), never fail the request whose change has committed."""
    from search.models import PendingIndex

    rows = [PendingIndex(kind=kind, object_id=i) for kind, ids in work.items() for i in ids]
    work.clear()
    try:
        with transaction.atomic():
            PendingIndex.objects.bulk_create(rows)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_notify(%s, '')", [QUEUE_CHANNEL])
    except Exception:
        logger.exception("Queueing %d objects for indexing failed", len(rows))


def _index_all(work: dict[str, set[int]]) -> None:
    """Index (or remove) every queued id, emptying ``work``; a failure is logged per kind."""
    while work:
        kind, ids = work.popitem()
        try:
            index_objects(kind, sorted(ids))
        except Exception:
            logger.exception("Indexing %s %s failed", kind, sorted(ids)[:20])


class BackgroundIndexer:
    """One thread per process that indexes what committed transactions queued, in batches.

    The thread sleeps until work arrives, takes everything queued by then (so commits that
    come close together are indexed as one batch), indexes it with its own database
    connection, and sleeps again. It starts with the first submission in a process (after a
    fork too), and at exit whatever is queued is indexed before the process ends."""

    def __init__(self) -> None:
        self.mode = "now"
        self.condition = threading.Condition()
        self.queued: dict[str, set[int]] = {}
        self.busy = False
        self.thread: threading.Thread | None = None
        self.pid = 0

    def submit(self, work: dict[str, set[int]]) -> None:
        with self.condition:
            for kind, ids in work.items():
                self.queued.setdefault(kind, set()).update(ids)
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
                self.thread.start()
            self.condition.notify_all()

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until everything submitted so far is indexed; False on timeout."""
        with self.condition:
            return self.condition.wait_for(lambda: not self.queued and not self.busy, timeout)

    def _run(self) -> None:
        while True:
            with self.condition:
                self.condition.wait_for(lambda: bool(self.queued))
                self.busy = True
            # Let the commit's broadcast go out first (indexing holds the GIL that the event
            # loop needs for fan-out), and gather what commits close behind it into one batch.
            time.sleep(BATCH_WINDOW_SECONDS)
            with self.condition:
                work, self.queued = self.queued, {}
            try:
                close_old_connections()
                _index_all(work)
            finally:
                close_old_connections()
                with self.condition:
                    self.busy = False
                    self.condition.notify_all()


_background = BackgroundIndexer()


def set_indexing(mode: str) -> None:
    """Choose where this process's indexing after commit happens: ``now``, ``thread`` or
    ``worker`` (the module's docstring says what each does)."""
    if mode not in INDEXING_MODES:
        raise ImproperlyConfigured(
            f"SEARCH_INDEXING is {mode!r}: it must be one of {', '.join(INDEXING_MODES)}."
        )
    _background.mode = mode


def wait_for_background_indexing(timeout: float = 30.0) -> bool:
    """Everything committed so far is searchable once this returns True."""
    return _background.wait(timeout)


atexit.register(_background.wait, 10.0)


def index_objects(kind: str, ids: Sequence[int]) -> None:
    """Bring the index up to date for these objects: index those that exist and should be
    found, remove the rest. Signals, bulk imports and ``search_index`` all come through here."""
    from search.backends import get_search_backend

    backend = get_search_backend()
    declaration = searchable(kind)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = list(ids[start : start + BATCH_SIZE])
        documents: list[SearchDocument] = []
        for obj in declaration.objects().filter(pk__in=batch):
            document = declaration.document(obj)
            if document is not None:
                documents.append(document)
        found = {d.object_id for d in documents}
        with transaction.atomic():
            backend.delete(kind, [i for i in batch if i not in found])
            backend.index(documents)


def index_queued(limit: int = BATCH_SIZE) -> int:
    """Index up to ``limit`` objects from the worker's queue, oldest first, and take them off
    it in the same transaction; returns how many were taken. Several workers share the queue:
    on PostgreSQL each skips the rows another has locked."""
    from search.models import PendingIndex

    with transaction.atomic():
        rows = list(
            PendingIndex.objects.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "kind", "object_id")[:limit]
        )
        if not rows:
            return 0
        work: dict[str, set[int]] = {}
        for _, kind, object_id in rows:
            work.setdefault(kind, set()).add(object_id)
        # A kind that fails is logged and dropped from the queue, not retried for ever.
        _index_all(work)
        PendingIndex.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
    return len(rows)


def run_worker(stop: threading.Event) -> None:
    """Index what the queue holds until ``stop`` is set: drain it, then wait to be notified
    (PostgreSQL; it looks anyway every second) or poll (SQLite, four times a second), then
    gather for BATCH_WINDOW_SECONDS so that commits close together are indexed as one batch."""
    poll_seconds = 1.0 if connection.vendor == "postgresql" else 0.25
    try:
        _work_until(stop, poll_seconds)
    finally:
        connection.close()


def _work_until(stop: threading.Event, poll_seconds: float) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"LISTEN {QUEUE_CHANNEL}")
            while index_queued() and not stop.is_set():
                pass
            _wait_for_queue(stop, poll_seconds)
        except Exception:
            # The database went away: the queue keeps the work; try again shortly.
            logger.exception("The indexing worker could not reach the database")
            close_old_connections()
            stop.wait(poll_seconds)
            continue
        stop.wait(BATCH_WINDOW_SECONDS)


def _wait_for_queue(stop: threading.Event, seconds: float) -> None:
    if connection.vendor != "postgresql":
        stop.wait(seconds)
        return
    # Django's connection wraps psycopg's; its notifications generator waits without a query.
    for _ in connection.connection.notifies(timeout=seconds, stop_after=1):
        break
