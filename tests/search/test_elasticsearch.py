"""The Elasticsearch backend, offline: no Elasticsearch server can run on our CI machine, so
the mapping, the documents and the query bodies it generates are checked here, and the shared
contract tests (test_backends.py) run against a server only where ELASTICSEARCH_URL is set."""

from __future__ import annotations

import datetime
import json

from search.backends.base import Access, SearchRequest
from search.backends.elasticsearch import (
    SearchEntry,
    build_search,
    bulk_actions,
    facet_counts,
    snippet_search,
)
from search.index import MARK_END, MARK_START, Facet, SearchDocument
from search.query import parse


def request(text: str, **kwargs) -> SearchRequest:
    return SearchRequest(
        query=parse(text), access=Access(person_id=7, community_ids=(3, 5)), **kwargs
    )


def test_mapping_analyses_text_in_english_and_keeps_permission_fields_exact():
    properties = SearchEntry._doc_type.mapping.to_dict()["properties"]
    assert properties["title"] == {"type": "text", "analyzer": "english"}
    assert properties["body"] == {"type": "text", "analyzer": "english"}
    assert properties["network_wide"]["type"] == "boolean"
    assert properties["community_id"]["type"] == "long"
    assert properties["readers"]["type"] == "long"
    for facet in ("organisation", "region", "service_area", "community", "year", "kind"):
        assert properties[facet]["type"] == "keyword"


def test_every_query_carries_the_permission_filter_where_missing_fields_deny():
    body = build_search(request("damp")).to_dict()
    [permitted] = body["query"]["bool"]["filter"]
    open_branch, readers_branch = permitted["bool"]["should"]
    assert permitted["bool"]["minimum_should_match"] == 1
    assert readers_branch == {"term": {"readers": 7}}
    assert open_branch["bool"]["must_not"] == [{"exists": {"field": "readers"}}]
    [either] = open_branch["bool"]["filter"]
    assert either["bool"]["should"] == [
        {"term": {"network_wide": True}},
        {"terms": {"community_id": [3, 5]}},
    ]


def test_words_are_ored_phrases_required_and_excluded_words_ruled_out():
    body = build_search(request('damp mould "housing disrepair" -fire')).to_dict()
    text = body["query"]["bool"]["must"][0]["bool"]
    [ored] = text["should"]
    assert ored["multi_match"]["operator"] == "or"
    assert ored["multi_match"]["fields"] == ["title^2", "body^1"]
    assert ored["multi_match"]["query"] == "damp mould housing disrepair"
    assert text["must"][0]["multi_match"] == {
        "query": "housing disrepair",
        "type": "phrase",
        "fields": ["title", "body"],
    }
    assert text["must_not"][0]["multi_match"]["query"] == "fire"


def test_operators_and_fragments_typed_never_reach_the_query_body_as_syntax():
    body = json.dumps(build_search(request('NEAR(a b) * OR "x title:y \\ {}')).to_dict())
    assert "NEAR(" not in body and "title:y" not in body and "\\\\" not in body
    assert "query_string" not in body and "simple_query_string" not in body


def test_type_is_a_post_filter_so_type_counts_cover_every_type():
    body = build_search(request("damp", kind="message", facets=True)).to_dict()
    assert body["post_filter"] == {"term": {"kind": "message"}}
    assert body["aggs"]["kinds"] == {"terms": {"field": "kind", "size": 20}}
    assert body["aggs"]["facets"]["filter"] == {"term": {"kind": "message"}}


def test_facet_filters_and_newest_sort():
    body = build_search(request("damp", filters={"region": "london"}, sort="newest")).to_dict()
    assert {"term": {"region": "london"}} in body["query"]["bool"]["filter"]
    assert body["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}


def test_highlights_use_the_markers_the_page_escapes_around():
    body = snippet_search(parse("damp"), ["practice-1"]).to_dict()
    assert body["highlight"]["pre_tags"] == [MARK_START]
    assert body["highlight"]["post_tags"] == [MARK_END]
    assert body["query"]["bool"]["filter"] == [{"ids": {"values": ["practice-1"]}}]


def test_bulk_actions_carry_ids_permission_fields_and_facets():
    document = SearchDocument(
        kind="practice",
        object_id=12,
        title="Damp \x02surveys",
        body="Body",
        url="/practice/12/",
        date=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
        readers=(4, 9),
        author_ids=(4,),
        facets=(Facet("region", "london", "London"),),
    )
    [action] = list(bulk_actions([document]))
    assert action["_id"] == "practice-12" and action["_index"] == "knowledge-hub"
    source = action["_source"]
    assert source["readers"] == [4, 9] and source["network_wide"] is False
    assert source["title"] == "Damp  surveys"
    assert source["region"] == ["london"]
    assert source["facet_labels"] == ["region\x1flondon\x1fLondon"]


def test_facet_buckets_become_counts_with_labels():
    facets = facet_counts([{"key": "region\x1flondon\x1fLondon", "doc_count": 3}])
    assert [(f.value, f.label, f.count) for f in facets["region"]] == [("london", "London", 3)]
