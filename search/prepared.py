"""Reads on the search path, run as prepared statements on PostgreSQL.

Every search runs the same few statements: the ranking (with the searcher's readable
communities inside it, or read first for a backend that needs their ids), and the re-check of
the page's hits against each app's permission-filtered selector. PostgreSQL spends longer
planning the selectors' subqueries than running them, so on PostgreSQL these reads go through a
server-side-binding cursor and are prepared once per connection. Their text must therefore not
depend on how many hits there are: ``AnyOf`` passes ids as one parameter. Elsewhere (SQLite)
they run through Django's cursor, as the ORM would run them.

The statements are the ones Django compiles from the selectors' own querysets: nothing here
restates a permission rule. Building and compiling those querysets cost more CPU than running
them, so ``readable_query`` compiles each selector once per process for each shape of user
(see ``_shape``) and then only binds the user's id and the ids to narrow to.
"""

from __future__ import annotations

import copy
import datetime
import enum
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone


def ids_parameter(vendor: str, ids: Sequence[int]) -> Any:
    """The one parameter by which ``AnyOf`` passes its ids on this database vendor, or None
    where it passes one parameter per id."""
    if vendor == "postgresql":
        # An array literal: psycopg dumps a list of ints in Python, a tenth of a millisecond
        # for a page of hits; PostgreSQL parses the text in C.
        return "{" + ",".join(str(int(i)) for i in ids) + "}"
    if vendor == "sqlite":
        return json.dumps([int(i) for i in ids])
    return None


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``column = ANY(ids)`` on PostgreSQL (an array literal) and ``column IN (SELECT value
    FROM json_each(ids))`` on SQLite (a JSON array): the ids are one parameter, so the
    statement's text is the same for any number of ids. ``column IN (...)`` elsewhere. Use as
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
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids_parameter("postgresql", self.rhs))

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        return (
            f"{lhs} IN (SELECT value FROM json_each(%s))",
            (*lhs_params, ids_parameter("sqlite", self.rhs)),
        )


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


def _primary_key_sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL selecting the queryset's primary keys, with its parameters; None when it reads
    nothing."""
    values = queryset.values_list("pk", flat=True)
    values.query.clear_ordering(force=False, clear_default=True)
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


# ---- selectors compiled once ----------------------------------------------------------------


class _Bound(enum.Enum):
    """Where a compiled selector's parameter is bound at each run."""

    USER = "the user's id"
    IDS = "the ids to narrow to"


@dataclass(frozen=True)
class _Compiled:
    """A selector's SQL for one shape of user, with its parameters: constants, and the places
    of the user's id and of the ids. ``sql`` is empty when the selector reads nothing."""

    sql: str
    params: tuple[Any, ...]

    def bind(self, user_id: int, ids: Sequence[int]) -> tuple[Any, ...]:
        vendor = connection.vendor
        return tuple(
            user_id if p is _Bound.USER else ids_parameter(vendor, ids) if p is _Bound.IDS else p
            for p in self.params
        )


Selector = Callable[[Any], QuerySet[Any]]

# (selector, database, narrowed, shape of user) -> its compiled SQL, or None where the selector
# could not be shown to compile to the same SQL for every user of that shape.
_compiled: dict[tuple[Any, ...], _Compiled | None] = {}

# Stand-ins no row has, from which compiling tells the user's id and the ids from constants.
_TWIN_ID = -7_000_001
_IDS_FIRST = (-7_000_002,)
_IDS_SECOND = (-7_000_003,)


def _shape(user: Any) -> tuple[Any, ...]:
    """What of a user, besides their id, a selector's SQL may depend on: whether they are
    signed in, active, staff or a superuser. Users of one shape share one compiled statement."""
    return (
        type(user),
        bool(user.is_authenticated),
        bool(getattr(user, "is_active", False)),
        bool(getattr(user, "is_staff", False)),
        bool(getattr(user, "is_superuser", False)),
    )


def readable_ids(selector: Selector, user: Any, among: Sequence[int] | None = None) -> list[int]:
    """The primary keys of the rows ``selector(user)`` reads (only those among ``among`` when
    given), by the selector's own SQL (``readable_query``) through ``fetch``."""
    if among is not None and not among:
        return []
    query = readable_query(selector, user, among)
    return [int(row[0]) for row in fetch(*query)] if query else []


def readable_query(
    selector: Selector, user: Any, among: Sequence[int] | None = None
) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL selecting the primary keys of the rows ``selector(user)`` reads (only those
    among ``among`` when given), with its parameters; None when it reads nothing.

    The selector is built and compiled once per process for each shape of user (``_shape``);
    later calls bind the user's id, and the ids, into that statement. The selector must build
    its queryset from nothing about the user but their id and shape, as every permission
    selector here does: a first compile for the user and a second for a stand-in of the same
    shape with another id must give the same SQL and differ only where the id is bound, and
    must run no query. A selector that fails this is compiled afresh on every call instead."""
    narrowed = among is not None
    key = (selector, connection.alias, connection.vendor, narrowed, *_shape(user))
    try:
        compiled = _compiled[key]
    except KeyError:
        compiled = _compiled[key] = _compile(selector, user, narrowed=narrowed)
    if compiled is None:
        return _sql(selector, user, among)
    if not compiled.sql:
        return None
    return compiled.sql, compiled.bind(int(user.pk or 0), among or ())


def _sql(
    selector: Selector, user: Any, ids: Sequence[int] | None
) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL selecting the primary keys of ``selector(user)``, narrowed to ``ids`` if given;
    None when it reads nothing."""
    queryset = selector(user)
    if ids is not None:
        queryset = queryset.filter(AnyOf(F("pk"), ids))
    return _primary_key_sql(queryset)


_SHAPE_FIELDS = frozenset({"is_active", "is_staff", "is_superuser"})


def _twin(user: Any) -> Any:
    """A stand-in of the user's shape whose id and every other field differ from the user's:
    a selector that used any of them (an organisation, say) would compile to other SQL or
    other parameters for it, and so is never reused for someone else."""
    twin = copy.copy(user)
    if hasattr(user, "_state"):
        # Its own state: related objects the user has cached are not the stand-in's, and
        # reading one for it is a query, which also rules reuse out.
        twin._state = copy.copy(user._state)
        twin._state.fields_cache = {}
    twin.pk = _TWIN_ID
    meta = getattr(user, "_meta", None)
    for field in meta.concrete_fields if meta is not None else ():
        if field.primary_key or field.attname in _SHAPE_FIELDS:
            continue
        other = _other_value(getattr(user, field.attname), field.get_internal_type())
        if other is not None:
            setattr(twin, field.attname, other)
    return twin


def _other_value(value: Any, kind: str) -> Any:
    """A value of the field's kind unlike ``value`` (None when there is none to give)."""
    if isinstance(value, bool) or kind in {"BooleanField", "NullBooleanField"}:
        return not value
    if isinstance(value, int) or kind.endswith(("IntegerField", "AutoField", "ForeignKey")):
        return _TWIN_ID - 1 if value != _TWIN_ID - 1 else _TWIN_ID - 2
    if isinstance(value, str) or kind in {"CharField", "TextField", "EmailField", "SlugField"}:
        return f"{value or ''}\u2060twin"
    if kind == "DateTimeField":
        return (value or timezone.now()) - datetime.timedelta(days=1)
    if kind == "DateField":
        return (value or datetime.date.today()) - datetime.timedelta(days=1)
    return None


def _compile(selector: Selector, user: Any, *, narrowed: bool) -> _Compiled | None:
    """Compile the selector for ``user`` and for a stand-in of the same shape with another id;
    the statement with the places of the id (and the ids) marked, or None if the two differ
    anywhere else or building them ran a query (the SQL would then depend on the data)."""
    twin = _twin(user)
    queries: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        first = _sql(selector, user, _IDS_FIRST if narrowed else None)
        try:
            second = _sql(selector, twin, _IDS_SECOND if narrowed else None)
        except Exception:
            # The stand-in is no one: a selector that looks it up cannot be reused.
            return None
    if queries:
        return None
    if first is None or second is None:
        return _Compiled("", ()) if first is None and second is None else None
    if first[0] != second[0] or len(first[1]) != len(second[1]):
        return None
    vendor = connection.vendor
    params: list[Any] = []
    for one, other in zip(first[1], second[1], strict=True):
        if type(one) is type(other) and one == other:
            params.append(one)
        elif narrowed and (one, other) == (
            ids_parameter(vendor, _IDS_FIRST),
            ids_parameter(vendor, _IDS_SECOND),
        ):
            params.append(_Bound.IDS)
        elif user.pk is not None and (one, other) == (user.pk, _TWIN_ID):
            params.append(_Bound.USER)
        else:
            return None
    return _Compiled(first[0], tuple(params))
