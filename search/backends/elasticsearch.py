"""Elasticsearch, chosen by ELASTICSEARCH_URL, through elasticsearch-dsl.

One index holds every kind of entry (``SearchEntry``): title and body analysed with
Elasticsearch's ``english`` analyser (stop words, Porter-style stemming), ranked by its BM25,
title boosted twice the body; the permission fields (``network_wide``, ``community_id``,
``readers``) on every document, filtered in the query exactly as the database backends do;
facets as aggregations; highlights with our own markers; bulk writes.

No Elasticsearch server runs on our CI machine: the mapping and the query bodies this backend
generates are tested offline (tests/search/test_elasticsearch.py), and the backend contract
tests run against a server only where ELASTICSEARCH_URL is set.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from elasticsearch_dsl import (
    A,
    Boolean,
    Date,
    Document,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
)

from search import app_settings
from search.index import MARK_END, MARK_START, SearchDocument, clean_text
from search.query import ParsedQuery

from .base import (
    BODY_WEIGHT,
    TITLE_WEIGHT,
    Access,
    BackendUnavailable,
    BaseSearchBackend,
    FacetCount,
    Hit,
    SearchPage,
    SearchRequest,
    SuggestRequest,
)

FACET_NAMES = ("organisation", "region", "service_area", "community", "year")
LABEL_SEPARATOR = "\x1f"
FACET_SIZE = 20


def index_name() -> str:
    return str(getattr(settings, "ELASTICSEARCH_INDEX", "") or "knowledge-hub")


class SearchEntry(Document):
    """One searchable thing, with the filter fields that decide who may find it. A document
    with no ``readers``, not ``network_wide`` and no ``community_id`` matches nobody."""

    kind = Keyword()
    object_id = Long()
    title = Text(analyzer="english")
    # The title again, unstemmed, with its words' beginnings indexed: suggestions as someone
    # types match half-typed words against it (a stemmer would turn "housi" into something
    # that does not begin "housing"'s stem).
    title_words = Text(analyzer="standard", index_prefixes={"min_chars": 2, "max_chars": 10})
    body = Text(analyzer="english")
    url = Keyword(index=False)
    date = Date()
    network_wide = Boolean()
    community_id = Long()
    readers = Long()
    author_ids = Long()
    endorsement_count = Integer()
    # Facet values to filter on, and "value<US>label" pairs to count with their labels.
    organisation = Keyword()
    region = Keyword()
    service_area = Keyword()
    community = Keyword()
    year = Keyword()
    facet_labels = Keyword()

    class Index:
        name = "knowledge-hub"


def entry_id(kind: str, object_id: int) -> str:
    return f"{kind}-{int(object_id)}"


def to_entry(document: SearchDocument) -> SearchEntry:
    entry = SearchEntry(
        meta={"id": entry_id(document.kind, document.object_id)},
        kind=document.kind,
        object_id=document.object_id,
        title=clean_text(document.title),
        title_words=clean_text(document.title),
        body=clean_text(document.body),
        url=document.url,
        date=document.date,
        network_wide=document.network_wide,
        community_id=document.community_id,
        readers=list(document.readers),
        author_ids=list(document.author_ids),
        endorsement_count=document.endorsement_count,
        facet_labels=[
            f"{f.name}{LABEL_SEPARATOR}{f.value}{LABEL_SEPARATOR}{f.label}" for f in document.facets
        ],
    )
    for name in FACET_NAMES:
        entry[name] = [f.value for f in document.facets if f.name == name]
    return entry


def permission_filter(access: Access) -> Q:
    """Readers-listed documents only to their readers; the rest when network-wide or in a
    readable community. Missing fields deny."""
    if access.communities_query is not None:
        raise NotImplementedError(
            "Elasticsearch cannot run the communities selector's SQL: give it community ids."
        )
    open_to_readers = Q(
        "bool",
        must_not=[Q("exists", field="readers")],
        filter=[
            Q(
                "bool",
                should=[
                    Q("term", network_wide=True),
                    Q("terms", community_id=list(access.community_ids)),
                ],
                minimum_should_match=1,
            )
        ],
    )
    return Q(
        "bool",
        should=[open_to_readers, Q("term", readers=int(access.person_id))],
        minimum_should_match=1,
    )


def text_query(query: ParsedQuery) -> Q:
    """Words OR-ed and ranked over title (boosted) and body; phrases required; excluded words
    ruled out. Built from the parsed query, never from what was typed."""
    fields = [f"title^{TITLE_WEIGHT:g}", f"body^{BODY_WEIGHT:g}"]
    must: list[Q] = [
        Q("multi_match", query=" ".join(p), type="phrase", fields=["title", "body"])
        for p in query.phrases
    ]
    should: list[Q] = []
    if query.positive_words:
        should.append(
            Q(
                "multi_match",
                query=" ".join(query.positive_words),
                fields=fields,
                type="most_fields",
                operator="or",
            )
        )
    must_not = (
        [Q("multi_match", query=" ".join(query.excluded), fields=["title", "body"])]
        if query.excluded
        else []
    )
    return Q(
        "bool",
        must=must,
        should=should,
        must_not=must_not,
        minimum_should_match=0 if must else 1,
    )


def build_search(request: SearchRequest) -> Search:
    """The whole request body: query, permission and facet filters, the type as a post
    filter (so the type counts cover every type), aggregations and sorting."""
    filters: list[Q] = [permission_filter(request.access)]
    for name, value in sorted(request.filters.items()):
        if name in FACET_NAMES:
            filters.append(Q("term", **{name: value}))
    search = Search(index=index_name()).query(
        Q("bool", must=[text_query(request.query)], filter=filters)
    )
    if request.kind:
        search = search.post_filter("term", kind=request.kind)
    if request.sort == "newest":
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
    search = search.source(
        ["kind", "object_id", "title", "url", "date", "author_ids", "endorsement_count"]
    )
    search = search.extra(size=request.limit, track_total_hits=False)
    if request.facets:
        search.aggs.bucket("kinds", A("terms", field="kind", size=20))
        within = A("filter", Q("term", kind=request.kind) if request.kind else Q("match_all"))
        within.bucket("labels", A("terms", field="facet_labels", size=FACET_SIZE * 5))
        search.aggs.bucket("facets", within)
    return search


def suggest_search(request: SuggestRequest) -> Search:
    """Suggestions as someone types: every prefix must begin a word of the unstemmed title
    (prefix queries, served by the field's index of word beginnings), inside the same
    permission filter as searches; the newest ``per_kind`` of each kind come back as the top
    hits of a bucket per kind."""
    search = Search(index=index_name()).query(
        Q(
            "bool",
            filter=[
                *(Q("prefix", title_words={"value": p}) for p in request.prefixes),
                permission_filter(request.access),
                Q("terms", kind=list(request.kinds)),
            ],
        )
    )
    search = search.extra(size=0, track_total_hits=False)
    newest = A(
        "top_hits",
        size=request.per_kind,
        sort=[{"date": {"order": "desc", "missing": "_last"}}],
        _source=["kind", "object_id", "title", "url", "date"],
    )
    kinds = A("terms", field="kind", size=max(len(request.kinds), 1))
    search.aggs.bucket("kinds", kinds).bucket("best", newest)
    return search


def snippet_search(query: ParsedQuery, ids: Sequence[str]) -> Search:
    search = (
        Search(index=index_name())
        .query(Q("bool", must=[text_query(query)], filter=[Q("ids", values=list(ids))]))
        .source(False)
        .extra(size=len(ids))
        .highlight_options(
            pre_tags=[MARK_START], post_tags=[MARK_END], encoder="default", order="score"
        )
        .highlight("title", number_of_fragments=0)
        .highlight("body", fragment_size=180, number_of_fragments=1, no_match_size=180)
    )
    return search


def bulk_actions(documents: Sequence[SearchDocument]) -> Iterator[dict[str, Any]]:
    for document in documents:
        yield to_entry(document).to_dict(include_meta=True) | {"_index": index_name()}


class ElasticsearchSearchBackend(BaseSearchBackend):
    """Elasticsearch, chosen by ELASTICSEARCH_URL."""

    name = "elasticsearch"

    def __init__(self) -> None:
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(app_settings.elasticsearch_url(), request_timeout=10)
        return self._client

    def check(self) -> None:
        url = app_settings.elasticsearch_url().rstrip("/") + "/_cluster/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - operator's URL
                status = json.load(response).get("status")
        except (OSError, ValueError, urllib.error.URLError) as error:
            raise BackendUnavailable(f"Elasticsearch cannot be reached: {error}") from error
        if status not in {"green", "yellow"}:
            raise BackendUnavailable(f"Elasticsearch cluster status is {status}.")

    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=index_name()):
            SearchEntry.init(index=index_name(), using=self.client)

    def index(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        from elasticsearch.helpers import bulk

        self.ensure_index()
        # refresh="wait_for": new content is searchable when the request that saved it ends.
        bulk(self.client, bulk_actions(documents), refresh="wait_for")

    def delete(self, kind: str, object_ids: Sequence[int]) -> None:
        if not object_ids:
            return
        from elasticsearch.helpers import bulk

        self.ensure_index()
        bulk(
            self.client,
            (
                {"_op_type": "delete", "_index": index_name(), "_id": entry_id(kind, pk)}
                for pk in object_ids
            ),
            raise_on_error=False,
            refresh="wait_for",
        )

    def clear(self, kind: str = "") -> None:
        self.ensure_index()
        query = {"term": {"kind": kind}} if kind else {"match_all": {}}
        self.client.delete_by_query(
            index=index_name(), query=query, refresh=True, conflicts="proceed"
        )

    def search(self, request: SearchRequest) -> SearchPage:
        if request.query.is_empty:
            return SearchPage(hits=[])
        self.ensure_index()
        body = build_search(request).to_dict()
        response = self.client.search(index=index_name(), body=body)
        hits = [
            Hit(
                entry_id=zlib.crc32(raw["_id"].encode()),
                kind=raw["_source"]["kind"],
                object_id=int(raw["_source"]["object_id"]),
                score=float(raw.get("_score") or 0),
                author_ids=tuple(raw["_source"].get("author_ids") or ()),
                endorsement_count=int(raw["_source"].get("endorsement_count") or 0),
                title=raw["_source"].get("title", ""),
                url=raw["_source"].get("url", ""),
            )
            for raw in response["hits"]["hits"]
        ]
        self._ids = {h.entry_id: entry_id(h.kind, h.object_id) for h in hits}
        page = SearchPage(hits=hits)
        aggregations = response.get("aggregations") or {}
        if request.facets and aggregations:
            page.kind_counts = {
                b["key"]: int(b["doc_count"]) for b in aggregations["kinds"]["buckets"]
            }
            page.facets = facet_counts(aggregations["facets"]["labels"]["buckets"])
        return page

    def suggest(self, request: SuggestRequest) -> list[Hit]:
        if not request.prefixes or not request.kinds or request.per_kind < 1:
            return []
        self.ensure_index()
        response = self.client.search(index=index_name(), body=suggest_search(request).to_dict())
        buckets = ((response.get("aggregations") or {}).get("kinds") or {}).get("buckets", [])
        return [
            Hit(
                entry_id=zlib.crc32(raw["_id"].encode()),
                kind=raw["_source"]["kind"],
                object_id=int(raw["_source"]["object_id"]),
                score=0.0,
                title=raw["_source"].get("title", ""),
                url=raw["_source"].get("url", ""),
            )
            for bucket in buckets
            for raw in bucket["best"]["hits"]["hits"]
        ]

    def snippets(self, query: ParsedQuery, entry_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        known = getattr(self, "_ids", {})
        ids = {known[i]: i for i in entry_ids if i in known}
        if not ids or query.is_empty:
            return {}
        response = self.client.search(
            index=index_name(), body=snippet_search(query, list(ids)).to_dict()
        )
        found: dict[int, tuple[str, str]] = {}
        for raw in response["hits"]["hits"]:
            highlight = raw.get("highlight") or {}
            found[ids[raw["_id"]]] = (
                "".join(highlight.get("title", [])),
                "".join(highlight.get("body", [])),
            )
        return found

    def indexed_counts(self) -> dict[str, int]:
        self.ensure_index()
        body = Search(index=index_name()).extra(size=0)
        body.aggs.bucket("kinds", A("terms", field="kind", size=20))
        response = self.client.search(index=index_name(), body=body.to_dict())
        return {b["key"]: int(b["doc_count"]) for b in response["aggregations"]["kinds"]["buckets"]}


def facet_counts(buckets: list[dict[str, Any]]) -> dict[str, list[FacetCount]]:
    facets: dict[str, list[FacetCount]] = {}
    for bucket in buckets:
        name, value, label = (str(bucket["key"]).split(LABEL_SEPARATOR) + ["", ""])[:3]
        facets.setdefault(name, []).append(FacetCount(value, label, int(bucket["doc_count"])))
    return facets


SearchBackend = ElasticsearchSearchBackend
