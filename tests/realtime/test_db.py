"""The consumer's database calls: connection housekeeping at most once a second on persistent
connections, at once after a database error, and after every call when connections are not
kept (CONN_MAX_AGE = 0)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError, connection

from realtime import db


@pytest.fixture
def housekeeping(monkeypatch):
    """How many times the real close_old_connections ran, and a way to set CONN_MAX_AGE."""
    calls = []
    real = db.close_old_connections

    def counted():
        calls.append(1)
        real()

    monkeypatch.setattr(db, "close_old_connections", counted)

    async def max_age(seconds):
        monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", seconds)
        # The database thread last looked after its connections long ago (it is the same
        # thread from test to test).
        await sync_to_async(setattr)(db._last, "at", -db.HOUSEKEEPING_SECONDS)

    return calls, max_age


@pytest.mark.asyncio
async def test_persistent_connections_are_looked_after_once_a_second_not_every_frame(
    housekeeping,
):
    calls, max_age = housekeeping
    await max_age(60)
    for _ in range(5):
        await db.database_sync_to_async(lambda: None)()
    assert len(calls) == 1


@pytest.mark.asyncio
async def test_a_database_error_has_the_connection_looked_after_at_once(housekeeping):
    calls, max_age = housekeeping
    await max_age(60)
    await db.database_sync_to_async(lambda: None)()

    def fails():
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError):
        await db.database_sync_to_async(fails)()
    assert len(calls) == 2


@pytest.mark.asyncio
async def test_without_persistent_connections_every_call_closes_its_connection(housekeeping):
    calls, max_age = housekeeping
    await max_age(0)
    for _ in range(3):
        await db.database_sync_to_async(lambda: None)()
    assert len(calls) == 6
