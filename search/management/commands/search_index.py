"""Build, bring up to date, empty or describe the search index.

``rebuild`` empties the index and indexes everything; ``update`` re-indexes everything in
place and removes entries whose objects are gone; both go in batches of ids, record their
progress after each batch, and resume after the last finished batch when run again after an
interruption (``--restart`` starts over). ``clear`` empties it; ``status`` compares it with the
database. ``worker`` indexes what server processes queue when ``SEARCH_INDEXING=worker``, until
stopped (SIGTERM or Ctrl-C finish the batch in hand first); ``--once`` empties the queue and
exits.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from search.backends import get_search_backend
from search.index import (
    BATCH_SIZE,
    index_objects,
    index_queued,
    run_worker,
    searchable,
    searchable_types,
)
from search.models import IndexBuild, IndexEntry, PendingIndex


class Command(BaseCommand):
    help = "Search index: rebuild, update, clear or status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["rebuild", "update", "clear", "status", "worker"])
        parser.add_argument("--kind", default="", help="only this type (practice, message, …)")
        parser.add_argument("--restart", action="store_true", help="ignore saved progress")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--once", action="store_true", help="worker: empty the queue, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = [s.kind for s in searchable_types()]
        if options["kind"] and options["kind"] not in kinds:
            raise CommandError(f"Unknown type “{options['kind']}”: choose from {', '.join(kinds)}.")
        chosen = [options["kind"]] if options["kind"] else kinds
        operation = options["operation"]
        if operation == "worker":
            self._work(once=options["once"])
        elif operation == "status":
            self._status(chosen)
        elif operation == "clear":
            for kind in chosen:
                get_search_backend().clear(kind)
                IndexBuild.objects.filter(kind=kind).delete()
            self.stdout.write(f"Cleared: {', '.join(chosen)}.")
        else:
            for kind in chosen:
                self._build(
                    kind, operation, restart=options["restart"], quiet=options["no_progress"]
                )

    def _work(self, *, once: bool) -> None:
        if once:
            total = 0
            while taken := index_queued():
                total += taken
            self.stdout.write(f"Indexed {total} queued objects.")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Indexing queued objects ({PendingIndex.objects.count()} waiting).")
        self.stdout.flush()
        run_worker(stop)
        self.stdout.write("Stopped.")

    def _build(self, kind: str, operation: str, *, restart: bool, quiet: bool) -> None:
        build = IndexBuild.objects.filter(kind=kind).first()
        resume = build is not None and not build.done and build.operation == operation
        if restart or not resume:
            with transaction.atomic():
                IndexBuild.objects.filter(kind=kind).delete()
                if operation == "rebuild":
                    get_search_backend().clear(kind)
                build = IndexBuild.objects.create(operation=operation, kind=kind)
        assert build is not None
        if resume and not restart:
            self.stdout.write(f"Resuming {operation} of {kind} after id {build.last_object_id}.")
        declaration = searchable(kind)
        ids = declaration.model._default_manager.order_by("pk").values_list("pk", flat=True)
        remaining = ids.filter(pk__gt=build.last_object_id)
        with tqdm(
            total=remaining.count(), desc=f"{operation} {kind}", unit=" items", disable=quiet
        ) as progress:
            while True:
                batch = list(remaining.filter(pk__gt=build.last_object_id)[:BATCH_SIZE])
                if not batch:
                    break
                index_objects(kind, batch)
                build.last_object_id = batch[-1]
                build.save(update_fields=["last_object_id", "updated_at"])
                progress.update(len(batch))
        if operation == "update":
            existing = set(ids)
            gone = [
                pk
                for pk in IndexEntry.objects.filter(kind=kind).values_list("object_id", flat=True)
                if pk not in existing
            ]
            get_search_backend().delete(kind, gone)
        build.done = True
        build.save(update_fields=["done", "updated_at"])
        get_search_backend().optimize()
        self.stdout.write(f"{operation.capitalize()} of {kind} finished.")

    def _status(self, kinds: list[str]) -> None:
        backend = get_search_backend()
        counts = backend.indexed_counts()
        self.stdout.write(f"Backend: {backend.name}")
        for kind in kinds:
            model = searchable(kind).model
            line = (
                f"{kind}: {counts.get(kind, 0)} indexed of {model._default_manager.count()} "
                "in the database"
            )
            build = IndexBuild.objects.filter(kind=kind).first()
            if build is not None and not build.done:
                line += f" ({build.operation} interrupted after id {build.last_object_id})"
            queued = PendingIndex.objects.filter(kind=kind).count()
            if queued:
                line += f"; {queued} queued for the indexing worker"
            self.stdout.write(line)
