"""Reads on the search path, run as prepared statements on PostgreSQL.

Every search runs the same few statements: the searcher's readable communities, the ranking,
and the re-check of the page's hits against each app's permission-filtered selector. PostgreSQL
spends longer planning the selectors' subqueries than running them, so on PostgreSQL these
reads go through a server-side-binding cursor and are prepared once per connection. Their text
must therefore not depend on how many hits there are: ``AnyOf`` passes ids as one array.
Elsewhere (SQLite) they run through Django's cursor, as the ORM would run them.

The statements are the ones Django compiles from the selectors' own querysets: nothing here
restates a permission rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup, QuerySet
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``column = ANY(ids)`` on PostgreSQL, one array parameter, so the statement's text is the
    same for any number of ids; ``column IN (...)`` elsewhere. Use as
    ``queryset.filter(AnyOf(F("pk"), ids))``."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Sequence[int]) -> None:
        super().__init__(lhs, tuple(int(i) for i in rhs))

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*lhs_params, *self.rhs)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


# psycopg prepares a statement after this many executions unless asked to at once. Django
# switches preparing off on its connections (prepare_threshold None) for the sake of
# connection poolers; its own client-side-binding cursors never prepare whatever the value, so
# turning it back on only lets the reads below ask for it, and nothing else reaches the count.
_ONLY_WHEN_ASKED = 2**31 - 1


def preparing() -> bool:
    """Whether search reads are prepared on PostgreSQL: the SEARCH_PREPARED_STATEMENTS
    setting, true unless set. Turn it off behind a pooler that cannot keep prepared
    statements (PgBouncer before 1.21 in transaction mode)."""
    return bool(getattr(settings, "SEARCH_PREPARED_STATEMENTS", True))


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a read and return its rows: on PostgreSQL with server-side binding, prepared
    (planned once per connection, then executed with new parameters) and with rows in binary,
    elsewhere through Django's cursor."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    connection.ensure_connection()
    raw = connection.connection
    prepare = preparing()
    if prepare and raw.prepare_threshold is None:
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        # Rows in binary: psycopg reads them in C, where Django's text loader for
        # timestamptz is Python (a page of hits with dates cost a millisecond in text).
        cursor.execute(sql, params, prepare=prepare, binary=True)
        return list(cursor.fetchall())


def primary_keys(queryset: QuerySet[Any]) -> list[int]:
    """The primary keys the queryset selects, read with its own SQL through ``fetch``."""
    values = queryset.values_list("pk", flat=True)
    values.query.clear_ordering(force=False, clear_default=True)
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:
        return []
    return [int(row[0]) for row in fetch(sql, params)]
