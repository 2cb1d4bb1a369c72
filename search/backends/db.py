"""What the two database backends share: entries with their permission and facet fields in
``search_indexentry`` and ``search_indexfacet``, the permission clause, filters, sorting and
facet counts. Each subclass adds only its text index: how to store text, how to match and
rank it, and how to cut snippets."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from search.index import SearchDocument, clean_text
from search.models import IndexEntry, IndexFacet
from search.query import ParsedQuery

from .base import (
    Access,
    BaseSearchBackend,
    FacetCount,
    Hit,
    SearchPage,
    SearchRequest,
    SuggestRequest,
)

# Facet counts and tab counts cover the best this many permitted matches.
FACET_DEPTH = 1000


def _ids_text(ids: Sequence[int]) -> str:
    return "," + ",".join(str(int(i)) for i in ids) + "," if ids else ""


def _ids(text: str) -> tuple[int, ...]:
    # Read for every hit: map(int, ...) over the split text, not a generator with a test.
    text = text.strip(",")
    return tuple(map(int, text.split(","))) if text else ()


def _datetime(value: Any) -> datetime.datetime | None:
    # Raw SQLite rows hold datetimes as text.
    if value is None or isinstance(value, datetime.datetime):
        return value
    return parse_datetime(str(value))


def _like_escaped(text: str) -> str:
    # Prefixes are letters and digits; LIKE's wildcards are removed all the same.
    return text.replace("%", "").replace("_", "").replace("\\", "")


def in_list(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


class DatabaseSearchBackend(BaseSearchBackend):
    vendor = ""
    reads_communities_query = True
    # Where joining a match to its entry costs more than ranking it (SQLite reads each entry's
    # row), a search first ranks this many of the best matches of any permission (or twice
    # the hits asked for, if more), joins only those, and ranks every match only when too
    # few of them were permitted. 0: every match is joined, best first, up to the limit.
    best_before_permission = 0

    # ---- what subclasses provide ------------------------------------------------------------

    def _write_text(self, entries: Sequence[IndexEntry]) -> None:
        raise NotImplementedError

    def _remove_text(self, entry_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def _ranked(self, query: ParsedQuery) -> tuple[str, list[Any], str, list[Any]]:
        """SQL selecting ``entry_id, score`` (higher is better) for every entry matching the
        query, with its parameters, and an extra WHERE condition on ``e`` (phrases, excluded
        words) with its parameters."""
        raise NotImplementedError

    def _prefixed(self, prefixes: Sequence[str]) -> tuple[str, list[Any]]:
        """A condition on ``e``, with its parameters: the entry's title has, for each prefix,
        a word that starts with it (unstemmed, case-insensitive)."""
        raise NotImplementedError

    def _in(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return in_list(column, values)

    def _query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run a read and return its rows; a backend may prepare its statements."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _nulls_last(self) -> str:
        return (
            "e.date DESC NULLS LAST"
            if self.vendor == "postgresql"
            else "e.date IS NULL, e.date DESC"
        )

    # ---- writing -----------------------------------------------------------------------------

    def index(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        with transaction.atomic():
            by_key = {(d.kind, d.object_id): d for d in documents}
            existing: dict[tuple[str, int], IndexEntry] = {}
            for kind in {d.kind for d in documents}:
                for entry in IndexEntry.objects.filter(
                    kind=kind, object_id__in=[d.object_id for d in documents if d.kind == kind]
                ):
                    existing[(entry.kind, entry.object_id)] = entry
            if existing:
                self._remove_text([e.pk for e in existing.values()])
            entries: list[IndexEntry] = []
            for key, document in by_key.items():
                entry = existing.get(key) or IndexEntry(kind=document.kind, object_id=key[1])
                entry.title = clean_text(document.title)
                entry.body = clean_text(document.body)
                entry.url = document.url
                entry.date = document.date
                entry.network_wide = document.network_wide
                entry.community_id = document.community_id
                entry.readers = _ids_text(document.readers)
                entry.author_ids = _ids_text(document.author_ids)
                entry.endorsement_count = document.endorsement_count
                entries.append(entry)
            fields = [
                "title",
                "body",
                "url",
                "date",
                "network_wide",
                "community_id",
                "readers",
                "author_ids",
                "endorsement_count",
            ]
            old = [e for e in entries if e.pk]
            new = [e for e in entries if not e.pk]
            if old:
                IndexEntry.objects.bulk_update(old, fields)
                IndexFacet.objects.filter(entry_id__in=[e.pk for e in old]).delete()
            if new:
                IndexEntry.objects.bulk_create(new)
            IndexFacet.objects.bulk_create(
                IndexFacet(entry=e, name=f.name, value=f.value[:100], label=f.label[:200])
                for e in entries
                for f in by_key[(e.kind, e.object_id)].facets
            )
            self._write_text(entries)

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        if not object_ids:
            return
        with transaction.atomic():
            ids = list(
                IndexEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list(
                    "pk", flat=True
                )
            )
            if ids:
                self._remove_text(ids)
                IndexEntry.objects.filter(pk__in=ids).delete()

    def clear(self, kind: str = "") -> None:
        with transaction.atomic():
            entries = IndexEntry.objects.filter(kind=kind) if kind else IndexEntry.objects.all()
            ids = list(entries.values_list("pk", flat=True))
            for start in range(0, len(ids), 5000):
                self._remove_text(ids[start : start + 5000])
            entries.delete()

    def indexed_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind in IndexEntry.objects.values_list("kind", flat=True).order_by().distinct():
            counts[kind] = IndexEntry.objects.filter(kind=kind).count()
        return counts

    # ---- reading -----------------------------------------------------------------------------

    def _permitted(self, access: Access) -> tuple[str, list[Any]]:
        """The permission clause, applied in the query: drafts and other reader-listed
        entries only to their readers; the rest when network-wide or in a readable community.
        An entry with none of these fields set matches nobody. Readable communities given as
        the selector's query are read by it inside this statement."""
        if access.communities_query is not None:
            selected, selected_params = access.communities_query
            communities, params = f"e.community_id IN ({selected})", list(selected_params)
        else:
            communities, params = self._in("e.community_id", access.community_ids)
        sql = f"((e.readers = '' AND (e.network_wide OR {communities})) OR e.readers LIKE %s)"
        return sql, [*params, f"%,{int(access.person_id)},%"]

    def _matching(
        self, request: SearchRequest, *, kind: str, best: int = 0
    ) -> tuple[str, list[Any]]:
        """FROM and WHERE of the permitted entries matching the request, with ``m.score``;
        with ``best``, of those among the ``best`` highest-scoring matches of any permission,
        with ``m.considered``, how many matches those were."""
        ranked, ranked_params, extra, extra_params = self._ranked(request.query)
        if best:
            ranked = (
                "SELECT r.*, count(*) OVER () AS considered FROM"
                f" (SELECT * FROM ({ranked}) s ORDER BY s.score DESC LIMIT %s) r"
            )
            ranked_params = [*ranked_params, int(best)]
        permitted, permitted_params = self._permitted(request.access)
        where = [permitted]
        params: list[Any] = [*ranked_params, *permitted_params]
        if extra:
            where.append(extra)
            params.extend(extra_params)
        if kind:
            where.append("e.kind = %s")
            params.append(kind)
        for name, value in sorted(request.filters.items()):
            where.append(
                "e.id IN (SELECT f.entry_id FROM search_indexfacet f"
                " WHERE f.name = %s AND f.value = %s)"
            )
            params.extend([name, value])
        sql = (
            f" FROM ({ranked}) m JOIN search_indexentry e ON e.id = m.entry_id"
            f" WHERE {' AND '.join(where)}"
        )
        return sql, params

    def _order(self, request: SearchRequest) -> str:
        return "m.score DESC" if request.sort != "newest" else self._nulls_last()

    def _hit_rows(self, request: SearchRequest, *, best: int = 0) -> list[tuple[Any, ...]]:
        matching, params = self._matching(request, kind=request.kind, best=best)
        return self._query(
            "SELECT e.id, e.kind, e.object_id, m.score, e.author_ids, e.endorsement_count,"
            f" e.title, e.url, e.date{', m.considered' if best else ''}{matching}"
            f" ORDER BY {self._order(request)} LIMIT %s",
            [*params, int(request.limit)],
        )

    def search(self, request: SearchRequest) -> SearchPage:
        if request.query.is_empty:
            return SearchPage(hits=[])
        rows: list[tuple[Any, ...]] = []
        best = max(self.best_before_permission, 2 * request.limit)
        if self.best_before_permission and request.sort != "newest":
            rows = self._hit_rows(request, best=best)
            # The best permitted hits are all among the best matches when enough of those
            # were permitted, or when those were every match; otherwise rank them all.
            if len(rows) < request.limit and (not rows or rows[0][9] >= best):
                rows = []
        if not rows:
            rows = self._hit_rows(request)
        page = SearchPage(
            hits=[
                Hit(
                    entry_id=row[0],
                    kind=row[1],
                    object_id=int(row[2]),
                    score=float(row[3] or 0),
                    author_ids=_ids(row[4]),
                    endorsement_count=int(row[5]),
                    title=row[6],
                    url=row[7],
                    date=_datetime(row[8]),
                )
                for row in rows
            ]
        )
        if request.facets:
            page.kind_counts, page.facets = self._facet_counts(request)
        return page

    def suggest(self, request: SuggestRequest) -> list[Hit]:
        if not request.prefixes or not request.kinds or request.per_kind < 1:
            return []
        prefixed, prefixed_params = self._prefixed(request.prefixes)
        kinds, kinds_params = self._in("e.kind", request.kinds)
        permitted, permitted_params = self._permitted(request.access)
        rows = self._query(
            "SELECT id, kind, object_id, title, url, date FROM ("
            " SELECT e.id, e.kind, e.object_id, e.title, e.url, e.date, row_number() OVER ("
            "  PARTITION BY e.kind ORDER BY CASE WHEN lower(e.title) LIKE %s THEN 0 ELSE 1 END,"
            f"  length(e.title), {self._nulls_last()}, e.id) AS n"
            " FROM search_indexentry e"
            f" WHERE {prefixed} AND {kinds} AND {permitted}"
            ") s WHERE n <= %s ORDER BY kind, n",
            [
                _like_escaped(request.prefixes[0]) + "%",
                *prefixed_params,
                *kinds_params,
                *permitted_params,
                int(request.per_kind),
            ],
        )
        return [
            Hit(
                entry_id=row[0],
                kind=row[1],
                object_id=int(row[2]),
                score=0.0,
                title=row[3],
                url=row[4],
                date=_datetime(row[5]),
            )
            for row in rows
        ]

    def _facet_counts(
        self, request: SearchRequest
    ) -> tuple[dict[str, int], dict[str, list[FacetCount]]]:
        """Counts by kind over the best FACET_DEPTH permitted matches of every kind, and by
        facet over those of the kind asked for: one statement, ranked once."""
        matching, params = self._matching(request, kind="")
        kind_sql = "WHERE t.kind = %s" if request.kind else ""
        sql = (
            f"WITH top AS (SELECT e.id, e.kind{matching}"
            f" ORDER BY {self._order(request)} LIMIT %s)"
            " SELECT '', t.kind, '', COUNT(*) FROM top t GROUP BY t.kind"
            " UNION ALL"
            " SELECT f.name, f.value, f.label, COUNT(*) FROM top t"
            f" JOIN search_indexfacet f ON f.entry_id = t.id {kind_sql}"
            " GROUP BY f.name, f.value, f.label"
        )
        params = [*params, FACET_DEPTH, *([request.kind] if request.kind else [])]
        kinds: dict[str, int] = {}
        facets: dict[str, list[FacetCount]] = {}
        for name, value, label, count in self._query(sql, params):
            if not name:
                kinds[value] = int(count)
            else:
                facets.setdefault(name, []).append(FacetCount(value, label, int(count)))
        for values in facets.values():
            values.sort(key=lambda f: (-f.count, f.label))
        return kinds, facets
