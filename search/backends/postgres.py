"""PostgreSQL: BM25 computed in SQL over our own postings.

PostgreSQL's built-in ``ts_rank``/``ts_rank_cd`` are not BM25 and measured far below the gate
(docs/search.md), so this backend keeps, per entry, the lexemes ``to_tsvector('english', ...)``
yields for its title and body with their weighted term frequencies (``search_posting``, with the
entry's length copied in), each lexeme's document frequency (``search_lexeme``) and the index's
size and total length (``search_statistics``), all kept current as entries are written and
removed. A query's words go through the same ``to_tsvector('english', ...)``; the score is
Okapi BM25 (k1 = 0.9, b = 0.4) summed over the matching postings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from search.index import MARK_END, MARK_START
from search.models import IndexEntry
from search.prepared import fetch
from search.query import ParsedQuery

from .base import BM25_B, BM25_K1, BODY_WEIGHT, TITLE_WEIGHT, BackendUnavailable
from .db import DatabaseSearchBackend

_LEXEMES = "SELECT lexeme FROM unnest(to_tsvector('english', %s))"

_WRITE = f"""
WITH words AS (
    SELECT e.id AS entry_id, w.lexeme,
           {TITLE_WEIGHT}::float8 * coalesce(array_length(w.positions, 1), 1) AS n
      FROM search_indexentry e, unnest(to_tsvector('english', e.title)) w
     WHERE e.id = ANY(%(ids)s)
    UNION ALL
    SELECT e.id, w.lexeme, {BODY_WEIGHT}::float8 * coalesce(array_length(w.positions, 1), 1)
      FROM search_indexentry e, unnest(to_tsvector('english', e.body)) w
     WHERE e.id = ANY(%(ids)s)
), terms AS (
    SELECT entry_id, lexeme, sum(n) AS tf FROM words GROUP BY entry_id, lexeme
), lengths AS (
    SELECT entry_id, sum(tf) AS length FROM terms GROUP BY entry_id
), entries AS (
    UPDATE search_indexentry e SET length = coalesce(l.length, 0)
      FROM (SELECT id FROM search_indexentry WHERE id = ANY(%(ids)s)) x
      LEFT JOIN lengths l ON l.entry_id = x.id
     WHERE e.id = x.id
    RETURNING e.length
), statistics AS (
    UPDATE search_statistics
       SET documents = documents + (SELECT count(*) FROM entries WHERE length > 0),
           total_length = total_length + (SELECT coalesce(sum(length), 0) FROM entries)
     WHERE id = 1
), postings AS (
    INSERT INTO search_posting (lexeme, entry_id, tf, length)
    SELECT t.lexeme, t.entry_id, t.tf, l.length FROM terms t JOIN lengths l USING (entry_id)
    RETURNING lexeme
)
INSERT INTO search_lexeme (lexeme, df)
SELECT lexeme, count(*) FROM postings GROUP BY lexeme ORDER BY lexeme
ON CONFLICT (lexeme) DO UPDATE SET df = search_lexeme.df + excluded.df
"""

_REMOVE = """
WITH gone AS (
    DELETE FROM search_posting WHERE entry_id = ANY(%(ids)s) RETURNING lexeme
), counted AS (
    SELECT lexeme, count(*) AS n FROM gone GROUP BY lexeme
), lexemes AS (
    UPDATE search_lexeme l SET df = l.df - c.n FROM counted c WHERE l.lexeme = c.lexeme
)
UPDATE search_statistics
   SET documents = greatest(documents - (SELECT count(*) FROM search_indexentry
                                          WHERE id = ANY(%(ids)s) AND length > 0), 0),
       total_length = greatest(total_length - (SELECT coalesce(sum(length), 0)
                                                 FROM search_indexentry
                                                WHERE id = ANY(%(ids)s) AND length > 0), 0)
 WHERE id = 1
"""

# The query's lexemes and their idf first (a handful of rows, materialised so the planner
# does not look a lexeme up once per posting), then BM25 summed per entry, sorted by score so
# that the permission join reads entries best first and stops at the LIMIT. Each term's
# idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avgdl)) is written with what does not
# depend on the posting worked out once per lexeme: weight = (k1 + 1) * idf and
# per_length = k1 * b / avgdl, so each of the thousands of postings costs five operations.
_RANKED = f"""
WITH q AS MATERIALIZED (
    SELECT l.lexeme,
           {BM25_K1 + 1:g}::float8
           * ln(1 + (s.documents - l.df + 0.5::float8) / (l.df + 0.5::float8)) AS weight,
           {BM25_K1 * BM25_B:g}::float8
           / greatest(s.total_length / greatest(s.documents, 1), 1) AS per_length
      FROM search_lexeme l, search_statistics s
     WHERE s.id = 1 AND l.df > 0 AND l.lexeme IN ({_LEXEMES})
)
SELECT p.entry_id,
       sum(q.weight * p.tf / (p.tf + {BM25_K1 * (1 - BM25_B):g}::float8 + q.per_length * p.length))
       AS score
  FROM q JOIN search_posting p ON p.lexeme = q.lexeme
 GROUP BY p.entry_id
 ORDER BY score DESC
"""


class PostgresSearchBackend(DatabaseSearchBackend):
    """PostgreSQL full-text search: the default when DATABASE_URL names PostgreSQL."""

    name = "postgres"
    vendor = "postgresql"

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise BackendUnavailable("The postgres search backend needs the PostgreSQL database.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsvector('english', 'councils')::text")
            cursor.fetchone()

    def _in(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        # One array parameter: the statement's text stays the same for every searcher.
        return f"{column} = ANY(%s)", [list(values)]

    def _query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Reads are prepared (search.prepared): the same few statements run for every
        search, so planning them once per connection saves milliseconds on each."""
        return fetch(sql, params)

    def optimize(self) -> None:
        """VACUUM sets the visibility map, so scoring reads postings from the covering index
        alone; ANALYZE refreshes the planner's statistics. Then the whole database is
        analysed, as SQLite's optimize does: every search re-checks its hits through the apps'
        selectors, whose tables a bulk load leaves as unknown to the planner as the postings
        (the re-check of 100 hits planned a scan of the whole practice table). Runs only
        outside a transaction."""
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            for table in (
                "search_posting",
                "search_lexeme",
                "search_indexentry",
                "search_indexfacet",
            ):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("ANALYZE")

    def _lock(self, cursor: Any) -> None:
        # Index writers take the statistics row first, so concurrent writers updating the same
        # document frequencies queue behind each other instead of deadlocking.
        cursor.execute("SELECT 1 FROM search_statistics WHERE id = 1 FOR UPDATE")

    def _write_text(self, entries: Sequence[IndexEntry]) -> None:
        with connection.cursor() as cursor:
            self._lock(cursor)
            cursor.execute(_WRITE, {"ids": [e.pk for e in entries]})

    def _remove_text(self, entry_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            self._lock(cursor)
            cursor.execute(_REMOVE, {"ids": list(entry_ids)})
            cursor.execute(
                "UPDATE search_indexentry SET length = 0 WHERE id = ANY(%s)", [list(entry_ids)]
            )

    def _ranked(self, query: ParsedQuery) -> tuple[str, list[Any], str, list[Any]]:
        extra: list[str] = []
        params: list[Any] = []
        for phrase in query.phrases:
            # Each field on its own, so a phrase never spans the end of a title.
            extra.append(
                "(to_tsvector('english', e.title) @@ phraseto_tsquery('english', %s)"
                " OR to_tsvector('english', e.body) @@ phraseto_tsquery('english', %s))"
            )
            params.extend([" ".join(phrase)] * 2)
        if query.excluded:
            extra.append(
                "NOT EXISTS (SELECT 1 FROM search_posting x WHERE x.entry_id = e.id"
                f" AND x.lexeme IN ({_LEXEMES}))"
            )
            params.append(" ".join(query.excluded))
        return _RANKED, [" ".join(query.positive_words)], " AND ".join(extra), params

    def _prefixed(self, prefixes: Sequence[str]) -> tuple[str, list[Any]]:
        # The 'simple' configuration lower-cases without stemming, so a prefix is matched
        # against whole words; the GIN index on this expression is migration 0003's. The
        # tsquery is ours, of quoted letters and digits: one parameter, so one statement.
        tsquery = " & ".join(f"'{p}':*" for p in (p.replace("'", "") for p in prefixes) if p)
        return "to_tsvector('simple', e.title) @@ to_tsquery('simple', %s)", [tsquery]

    def snippets(self, query: ParsedQuery, entry_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        if not entry_ids or query.is_empty:
            return {}
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH q AS (
                    SELECT coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery AS q
                      FROM ({_LEXEMES}) w
                )
                SELECT e.id, ts_headline('english', e.title, q.q, %s),
                       ts_headline('english', left(e.body, 4000), q.q, %s)
                  FROM search_indexentry e, q WHERE e.id = ANY(%s)
                """,
                [
                    " ".join(query.positive_words),
                    options + ", HighlightAll=true",
                    options,
                    list(entry_ids),
                ],
            )
            return {int(row[0]): (row[1] or "", row[2] or "") for row in cursor.fetchall()}


SearchBackend = PostgresSearchBackend
