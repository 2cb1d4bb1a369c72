"""What every search backend provides, and the values passed to and from it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from search.index import SearchDocument
from search.query import ParsedQuery

# Ranking constants shared by every backend that computes BM25 itself (Anserini's defaults).
BM25_K1 = 0.9
BM25_B = 0.4
# Field weights: a title word counts twice a body word.
TITLE_WEIGHT = 2.0
BODY_WEIGHT = 1.0


class BackendUnavailable(Exception):
    """The backend's store cannot be reached or lacks what the backend needs."""


@dataclass(frozen=True)
class Access:
    """What the searcher may read, computed from the database for each request: the person
    (drafts name their readers), and every community whose content they may read: their ids,
    or, for a backend that reads the apps' own database (``reads_communities_query``), the
    communities selector's SQL selecting their ids, with its parameters, which the backend
    runs inside its own query (one round trip fewer). With a query the ids are not used."""

    person_id: int
    community_ids: tuple[int, ...] = ()
    communities_query: tuple[str, tuple[Any, ...]] | None = None


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    access: Access
    kind: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"  # or "newest"
    limit: int = 20
    facets: bool = False


@dataclass(frozen=True)
class SuggestRequest:
    """Titles to suggest as someone types: entries of ``kinds`` whose title has, for each of
    ``prefixes`` (lower-case runs of letters and digits, see search.query.prefixes), a word
    that starts with it; at most ``per_kind`` of each kind."""

    prefixes: tuple[str, ...]
    access: Access
    kinds: tuple[str, ...]
    per_kind: int = 8


@dataclass(frozen=True)
class Hit:
    entry_id: int
    kind: str
    object_id: int
    score: float
    author_ids: tuple[int, ...] = ()
    endorsement_count: int = 0
    title: str = ""
    url: str = ""
    date: datetime.datetime | None = None


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int


@dataclass
class SearchPage:
    """The best ``limit`` permitted hits in order; when facets were asked for, counts by kind
    (ignoring the kind asked for, so tabs can show theirs) and by facet, over those hits."""

    hits: list[Hit]
    kind_counts: dict[str, int] = field(default_factory=dict)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


class BaseSearchBackend:
    """A search backend. Subclasses store SearchDocuments and answer SearchRequests, applying
    ``request.access`` inside the query itself: an entry matches only when it is network-wide,
    in one of ``access.community_ids``, or names ``access.person_id`` among its readers."""

    name = "base"
    # Whether the backend's store is the database the apps' selectors read, so that it can
    # take the readable communities as the selector's SQL (Access.communities_query).
    reads_communities_query = False

    def check(self) -> None:
        """Raise BackendUnavailable, with a sentence saying why, if the backend cannot serve."""
        raise NotImplementedError("A search backend must say how to check that it is reachable.")

    def index(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace these documents."""
        raise NotImplementedError("This search backend cannot index documents.")

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        """Remove these objects of ``kind``; ids not in the index are ignored."""
        raise NotImplementedError("This search backend cannot remove documents.")

    def clear(self, kind: str = "") -> None:
        """Remove every document (of ``kind``, when given)."""
        raise NotImplementedError("This search backend cannot be cleared.")

    def search(self, request: SearchRequest) -> SearchPage:
        """The permitted hits for a request, best first (or newest first)."""
        raise NotImplementedError("This search backend cannot search.")

    def suggest(self, request: SuggestRequest) -> list[Hit]:
        """Permitted entries whose titles match ``request`` word by word from the start of
        each word (no stemming: a half-typed word is only a beginning), at most
        ``request.per_kind`` of each kind, best first within each kind (the database
        backends: titles that begin with the first prefix, then shorter titles, then newer
        ones; Elasticsearch: newer ones). The permission rule is ``search``'s, applied
        inside the query."""
        raise NotImplementedError("This search backend cannot suggest titles as you type.")

    def snippets(self, query: ParsedQuery, entry_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(title, excerpt) for each entry, raw text with the matched words between
        index.MARK_START and index.MARK_END. Callers escape the text, then add marks."""
        raise NotImplementedError("This search backend cannot make snippets.")

    def optimize(self) -> None:
        """Tidy the index after a large load (merge segments, refresh statistics). Optional:
        the default does nothing."""

    def indexed_counts(self) -> dict[str, int]:
        """How many documents of each kind are in the index."""
        raise NotImplementedError("This search backend cannot count its documents.")
