"""Reachability checks for /healthz: the database, the channel layer and the search backend."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection

from search.backends import get_search_backend

TIMEOUT_SECONDS = 2.0
logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_search() -> None:
    get_search_backend().check()


async def check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("No channel layer is configured.")
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("The channel layer returned a different message.")


async def run_checks() -> dict[str, str]:
    """Each component's state: "ok", or a sentence saying what failed."""

    async def guarded(name: str, check) -> str:  # type: ignore[no-untyped-def]
        try:
            await asyncio.wait_for(check(), TIMEOUT_SECONDS)
        except Exception:
            # The details (hosts, users, URLs) go to the log, not to an anonymous caller.
            logger.exception("Health check of %s failed", name)
            return "unavailable"
        return "ok"

    return {
        "database": await guarded("database", sync_to_async(check_database)),
        "channel_layer": await guarded("channel layer", check_channel_layer),
        "search": await guarded("search", sync_to_async(check_search)),
    }
