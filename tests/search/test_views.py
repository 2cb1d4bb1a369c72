"""The search page over HTTP: a box on every page, results with tabs, facets, sorting and
pagination, and a clear message (never an error page) for any input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from search import views

from .conftest import committed


@pytest.fixture
def signed_in(client, outsider):
    client.force_login(outsider)
    return client


def test_every_page_has_a_search_box_in_its_header(signed_in):
    for url in ["/", "/practice/", "/communities/", "/people/"]:
        html = signed_in.get(url).content.decode()
        assert 'role="search"' in html and 'action="/search/"' in html, url


def test_results_page_shows_tabs_facets_and_highlighted_snippets(signed_in, publish):
    publish(title="Landlord liaison", summary="Pairing officers with landlords cut B&B stays.")
    response = signed_in.get("/search/", {"q": "landlords"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Landlord</mark> liaison" in html
    assert "<mark>landlords</mark>" in html
    assert 'aria-current="page">Everything' in html
    assert "Service area" in html and "Housing" in html


def test_a_facet_link_narrows_the_results(signed_in, publish):
    publish(title="Gritting plan", service_area="highways-transport")
    publish(title="Gritting salt in housing estates", service_area="housing")
    html = signed_in.get("/search/", {"q": "gritting", "service_area": "housing"}).content.decode()
    assert "salt in housing estates" in html and "</mark> plan" not in html
    assert "Remove filter" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unbalanced'},
        {"q": "NEAR(a b) * OR"},
        {"q": "x" * 10_000},
        {"q": "🙂"},
        {"q": "damp", "page": "999999999"},
        {"q": "damp", "page": "-1"},
        {"q": "damp", "sort": "'; drop"},
        {"q": "damp", "type": "nonsense"},
        {"q": "damp", "region": "\x00"},
        {"q": ""},
    ],
)
def test_any_input_gives_a_page_not_an_error(signed_in, publish, params):
    publish(title="Damp surveys")
    response = signed_in.get("/search/", params)
    assert response.status_code == 200


def test_empty_and_stop_word_searches_explain_themselves(signed_in):
    assert "Type a word" in signed_in.get("/search/", {"q": ""}).content.decode()
    assert "too common" in signed_in.get("/search/", {"q": "the of and"}).content.decode()


def test_people_tab_says_why_someone_is_suggested(signed_in, publish, make_person):
    with committed():
        writer = make_person(name="Wren Writer")
    publish(author=writer, title="Damp and mould claims")
    html = signed_in.get("/search/", {"q": "damp mould", "type": "person"}).content.decode()
    assert "Wren Writer" in html.replace("<mark>", "").replace("</mark>", "")
    assert "wrote 1 practice post on damp mould" in html


def test_pages_link_forward_and_back(signed_in, publish):
    for n in range(21):
        publish(title=f"Pothole {n}")
    first = signed_in.get("/search/", {"q": "pothole"}).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = signed_in.get("/search/", {"q": "pothole", "page": "2"}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/search/", {"q": "damp"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("sign_in"))


# ---- suggestions as you type ----------------------------------------------------------------


def suggestions(client, text: str, **params) -> list[dict]:
    response = client.get("/search/suggest", {"q": text, **params})
    assert response.status_code == 200, response.content
    return response.json()["suggestions"]


def test_every_header_box_asks_for_suggestions_and_still_works_as_a_plain_form(signed_in):
    html = signed_in.get("/practice/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html and ">Search</button>" in html
    assert 'data-suggest-url="/search/suggest"' in html
    # The limits the script applies are the endpoint's own.
    assert f'data-suggest-min="{views.SUGGEST_MIN_CHARACTERS}"' in html
    assert f'data-suggest-max="{views.SUGGEST_MAX_CHARACTERS}"' in html
    assert "js/suggest.js" in html
    # The combobox roles are the script's to add: without it the box is a plain search box.
    assert 'role="combobox"' not in html


def test_suggestions_are_json_with_where_each_leads(signed_in, publish, make_person):
    with committed():
        make_person(name="Lena Landlord", expertise=["Landlord liaison"])
    post = publish(title="Landlord liaison in practice")
    found = suggestions(signed_in, "landl")
    assert found == [
        {
            "kind": "practice",
            "label": "Practice",
            "title": "Landlord liaison in practice",
            "url": post.get_absolute_url(),
            "detail": "",
        },
        {
            "kind": "person",
            "label": "Person",
            "title": "Lena Landlord",
            "url": found[1]["url"],
            "detail": "",
        },
        {
            "kind": "expertise",
            "label": "Expertise",
            "title": "Landlord liaison",
            "url": "/search/?q=Landlord+liaison&type=person",
            "detail": "People who know about it",
        },
    ]
    response = signed_in.get("/search/suggest", {"q": "landl"})
    assert "no-store" in response["Cache-Control"]


def test_suggestions_are_limited_and_every_kind_gets_a_turn(signed_in, publish, make_community):
    for n in range(12):
        publish(title=f"Verge cutting {n}")
    with committed():
        make_community("open", name="Verge cutting network")
    found = suggestions(signed_in, "verge")
    assert len(found) == 8
    assert [s["kind"] for s in found].count("community") == 1
    assert len(suggestions(signed_in, "verge", limit="3")) == 3


def test_suggestions_never_show_hidden_communities_private_posts_or_others_drafts(
    signed_in, publish, make_community, owner
):
    with committed():
        make_community("hidden", name="Flood wardens inner circle")
        private = make_community("private", name="Flood wardens")
    publish(title="Flood warden rota", community=private)
    publish(title="Flood warden draft", publish=False)
    assert [(s["kind"], s["title"]) for s in suggestions(signed_in, "flood ward")] == [
        ("community", "Flood wardens")
    ]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 400, "q parameter"),
        ({"q": ""}, 400, "at least 2 characters"),
        ({"q": " d "}, 400, "at least 2 characters"),
        ({"q": "x" * 101}, 400, "up to 100 characters"),
        ({"q": "damp " * 2000}, 400, "up to 100 characters"),
        ({"q": "damp", "limit": "0"}, 400, "limit"),
        ({"q": "damp", "limit": "11"}, 400, "limit"),
        ({"q": "damp", "limit": "two"}, 400, "limit"),
        ({"q": "damp", "limit": "9" * 5000}, 400, "limit"),
        ({"q": "damp", "limit": "-1"}, 400, "limit"),
    ],
)
def test_input_the_endpoint_cannot_use_is_refused_with_a_reason(signed_in, params, status, message):
    response = signed_in.get("/search/suggest", params)
    assert response.status_code == status
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "dam*",
        "NEAR(damp mould)",
        "damp OR mould AND NOT",
        "title:damp",
        "'; DROP TABLE search_suggest; --",
        "dam:* & mou:*",
        "🙂🏠",
        "🙂 dam",
        "dam\x00p",
        '""',
        "((((((",
        "a b c d e f g h i j k l",
    ],
)
def test_any_other_input_gives_suggestions_or_none(signed_in, publish, text):
    publish(title="Damp and mould")
    response = signed_in.get("/search/suggest", {"q": text})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_suggestions_answer_signed_out_visitors_with_json_not_a_page(client):
    response = client.get("/search/suggest", {"q": "damp"})
    assert response.status_code == 403
    assert response.json() == {"error": "Sign in to get search suggestions."}


def test_suggestions_are_read_only(signed_in):
    assert signed_in.post("/search/suggest", {"q": "damp"}).status_code == 405
