"""The Elasticsearch backend, offline: no Elasticsearch server can run on our CI machine, so
the mapping, the documents and the query bodies it generates are checked here, and the shared
contract tests (test_backends.py) run against a server only where ELASTICSEARCH_URL is set."""

from __future__ import annotations

import datetime
import json

import pytest

from search.backends.base import Access, SearchRequest, SuggestRequest
from search.backends.elasticsearch import (
    SearchEntry,
    build_search,
    bulk_actions,
    facet_counts,
    permission_filter,
    snippet_search,
    suggest_search,
)
from search.index import MARK_END, MARK_START, Facet, SearchDocument
from search.query import parse, prefixes


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


def test_readable_communities_must_be_given_as_ids_not_as_sql():
    with pytest.raises(NotImplementedError, match="community ids"):
        permission_filter(Access(person_id=7, communities_query=("SELECT 3", ())))


def test_mapping_keeps_titles_unstemmed_with_word_beginnings_for_suggestions():
    properties = SearchEntry._doc_type.mapping.to_dict()["properties"]
    assert properties["title_words"] == {
        "type": "text",
        "analyzer": "standard",
        "index_prefixes": {"min_chars": 2, "max_chars": 10},
    }


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
    assert source["title_words"] == "Damp  surveys"
    assert source["region"] == ["london"]
    assert source["facet_labels"] == ["region\x1flondon\x1fLondon"]


def test_facet_buckets_become_counts_with_labels():
    facets = facet_counts([{"key": "region\x1flondon\x1fLondon", "doc_count": 3}])
    assert [(f.value, f.label, f.count) for f in facets["region"]] == [("london", "London", 3)]


def suggest_request(*prefixes: str, **kwargs) -> SuggestRequest:
    values = {"kinds": ("practice", "community", "person"), "per_kind": 4, **kwargs}
    return SuggestRequest(
        prefixes=prefixes, access=Access(person_id=7, community_ids=(3, 5)), **values
    )


def test_suggestions_ask_for_every_prefix_inside_the_permission_filter():
    body = suggest_search(suggest_request("dam", "mou")).to_dict()
    filters = body["query"]["bool"]["filter"]
    assert filters[:2] == [
        {"prefix": {"title_words": {"value": "dam"}}},
        {"prefix": {"title_words": {"value": "mou"}}},
    ]
    [permitted] = [f for f in filters if "should" in f.get("bool", {})]
    assert permitted == build_search(request("damp")).to_dict()["query"]["bool"]["filter"][0]
    assert {"terms": {"kind": ["practice", "community", "person"]}} in filters
    assert "must" not in body["query"]["bool"] and "should" not in body["query"]["bool"]


def test_suggestions_come_back_as_the_newest_few_of_each_kind():
    body = suggest_search(suggest_request("dam", per_kind=4)).to_dict()
    assert body["size"] == 0
    kinds = body["aggs"]["kinds"]
    assert kinds["terms"] == {"field": "kind", "size": 3}
    best = kinds["aggs"]["best"]["top_hits"]
    assert best["size"] == 4
    assert best["sort"] == [{"date": {"order": "desc", "missing": "_last"}}]
    assert set(best["_source"]) == {"kind", "object_id", "title", "url", "date"}


def test_typed_operators_never_reach_the_suggestion_query_as_syntax():
    body = json.dumps(suggest_search(suggest_request(*prefixes('dam* "mou OR title:x'))).to_dict())
    assert "dam*" not in body and "title:x" not in body and "query_string" not in body
