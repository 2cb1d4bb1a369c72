"""SQLite FTS5: the embedded default.

Text lives in the ``search_fts`` FTS5 table (Porter stemming over unicode61 tokens), keyed by
the entry's id. A query is written in FTS5 syntax by us from a ParsedQuery (every word quoted,
OR-ed; phrases required with AND; excluded words with NOT), never from what was typed, and
ranked with FTS5's ``bm25()`` with the title weighted above the body.

Titles are also kept, unstemmed, in ``search_suggest`` (unicode61 tokens with prefix indexes
of two and three characters) for suggestions as someone types: a stemmer would turn a
half-typed "housi" into something that is not the beginning of "housing"'s stem "hous".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from search.index import MARK_END, MARK_START
from search.models import IndexEntry
from search.query import ParsedQuery

from .base import BODY_WEIGHT, TITLE_WEIGHT, BackendUnavailable
from .db import DatabaseSearchBackend, in_list


def _quoted(words: Sequence[str]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def match_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression for a query: ours, built only of quoted runs of letters and
    digits, so nothing typed can be read as an FTS5 operator."""
    anything = " OR ".join(_quoted([w]) for w in query.positive_words)
    parts = [f"({anything})"] if anything else []
    parts.extend(_quoted(p) for p in query.phrases)
    expression = " AND ".join(parts)
    if expression and query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_quoted([w]) for w in query.excluded)})"
    return expression


def prefix_expression(prefixes: Sequence[str]) -> str:
    """The FTS5 MATCH expression for suggestions: every prefix, quoted, as a prefix token."""
    return " AND ".join(f"{_quoted([p])}*" for p in prefixes)


class SQLiteSearchBackend(DatabaseSearchBackend):
    """SQLite FTS5: the embedded default."""

    name = "sqlite"
    vendor = "sqlite"
    best_before_permission = 250

    def check(self) -> None:
        if connection.vendor != "sqlite":
            raise BackendUnavailable("The sqlite search backend needs the SQLite database.")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA compile_options")
            options = {row[0] for row in cursor.fetchall()}
        if "ENABLE_FTS5" not in options:
            raise BackendUnavailable("This SQLite library was built without FTS5.")

    def _write_text(self, entries: Sequence[IndexEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [(e.pk, e.title, e.body) for e in entries],
            )
            cursor.executemany(
                "INSERT INTO search_suggest (rowid, title) VALUES (%s, %s)",
                [(e.pk, e.title) for e in entries],
            )

    def optimize(self) -> None:
        # Merge FTS5's b-tree segments into one, as many small writes leave several.
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_suggest (search_suggest) VALUES ('optimize')")
            cursor.execute("ANALYZE")

    def _remove_text(self, entry_ids: Sequence[int]) -> None:
        condition, params = in_list("rowid", list(entry_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE {condition}", params)
            cursor.execute(f"DELETE FROM search_suggest WHERE {condition}", params)

    def _ranked(self, query: ParsedQuery) -> tuple[str, list[Any], str, list[Any]]:
        sql = (
            f"SELECT rowid AS entry_id, -bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score"
            " FROM search_fts WHERE search_fts MATCH %s"
        )
        return sql, [match_expression(query)], "", []

    def _prefixed(self, prefixes: Sequence[str]) -> tuple[str, list[Any]]:
        return (
            "e.id IN (SELECT rowid FROM search_suggest WHERE search_suggest MATCH %s)",
            [prefix_expression(prefixes)],
        )

    def snippets(self, query: ParsedQuery, entry_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        if not entry_ids or query.is_empty:
            return {}
        condition, params = in_list("rowid", list(entry_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, highlight(search_fts, 0, %s, %s),"
                " snippet(search_fts, 1, %s, %s, '…', 24) FROM search_fts"
                f" WHERE search_fts MATCH %s AND {condition}",
                [MARK_START, MARK_END, MARK_START, MARK_END, match_expression(query), *params],
            )
            return {int(row[0]): (row[1] or "", row[2] or "") for row in cursor.fetchall()}


SearchBackend = SQLiteSearchBackend
