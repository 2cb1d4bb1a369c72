"""The search page over HTTP: a box on every page, results with tabs, facets, sorting and
pagination, and a clear message (never an error page) for any input."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
