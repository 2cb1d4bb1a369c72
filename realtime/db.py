"""Database access from the consumer's frames: Channels' ``database_sync_to_async``, with the
connection housekeeping done at most once a second instead of on every frame.

Channels treats each call as a request: before and after it, ``close_old_connections()``
closes connections that failed or outlived CONN_MAX_AGE and, with CONN_HEALTH_CHECKS, marks
the connection for a ``SELECT 1`` before its next query. On a busy socket that check is a round
trip per frame (0.7 ms of a message send's critical path, measured) to learn what a query a
moment ago already showed. Here the housekeeping runs at most once a second per thread, and at
once after a call failed with a database error, so a broken connection is still closed before
the next frame uses it. With CONN_MAX_AGE = 0 (connections closed after every request, as the
test settings do) every call still closes its connection, as Channels' own does.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from asgiref.sync import SyncToAsync
from django.db import DatabaseError, close_old_connections, connections

HOUSEKEEPING_SECONDS = 1.0

_last = threading.local()


def _housekeeping(*, now: bool = False) -> None:
    moment = time.monotonic()
    persistent = all(c.settings_dict.get("CONN_MAX_AGE") != 0 for c in connections.all())
    if (
        now
        or not persistent
        or moment - getattr(_last, "at", -HOUSEKEEPING_SECONDS) >= HOUSEKEEPING_SECONDS
    ):
        _last.at = moment
        close_old_connections()


class DatabaseSyncToAsync(SyncToAsync):
    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        _housekeeping()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        except DatabaseError:
            _housekeeping(now=True)
            raise
        finally:
            _housekeeping()


database_sync_to_async = DatabaseSyncToAsync
