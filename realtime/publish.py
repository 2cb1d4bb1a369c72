"""The one way to broadcast: after the transaction that made the change commits.

Actions call ``publish_on_commit``; nothing else sends to the channel layer. Subscribers never
see an event for a change that was rolled back, and never see one before the change is
readable in the database."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime.fanout import running_fanout

logger = logging.getLogger(__name__)

_captures: list[list[tuple[str, dict[str, Any]]]] = []


def _send(group: str, event: dict[str, Any]) -> None:
    for capture in _captures:
        capture.append((group, event))
    # The group travels with the message so a process-wide fan-out knows where it belongs.
    event = {**event, "group": group}
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_publish)(layer, group, event)
    except Exception:
        # The change is committed and clients catch up from the database; a lost broadcast
        # must not turn a successful write into an error.
        logger.exception("Broadcast to %s failed", group)


async def _publish(layer: Any, group: str, event: dict[str, Any]) -> None:
    # In a server process this runs on its event loop, whose fan-out may serve the group.
    here = running_fanout()
    if here is not None and here.layer is layer:
        await here.publish_here(group, event)
    else:
        await layer.group_send(group, event)


def publish_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to the Channels group ``group`` once the current transaction commits
    (at once when there is none)."""
    transaction.on_commit(lambda: _send(group, event))


@contextmanager
def capture_events() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Record every event sent inside the block, for tests (like Zulip's
    capture_send_event_calls). Events are still sent."""
    captured: list[tuple[str, dict[str, Any]]] = []
    _captures.append(captured)
    try:
        yield captured
    finally:
        _captures.remove(captured)
