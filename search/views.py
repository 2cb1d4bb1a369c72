"""The search page: a thin caller of search.selectors.search."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hub.params import text_param
from search import selectors
from search.index import searchable_types
from search.query import MAX_CHARACTERS


def _page_number(request: HttpRequest) -> int:
    value = text_param(request, "page", 6, "1")
    return int(value) if value.isdigit() else 1


def _url(request: HttpRequest, **changes: Any) -> str:
    """This search with ``changes`` applied (an empty value removes a parameter); any change
    but the page goes back to page one."""
    params = {k: v for k, v in request.GET.items() if v}
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value in ("", None):
            params.pop(name, None)
        else:
            params[name] = str(value)
    return "?" + urlencode(sorted(params.items()))


def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").replace("\x00", "")[: MAX_CHARACTERS * 5]
    filters = {name: text_param(request, name, 100) for name in selectors.FACET_NAMES}
    results = selectors.search(
        user=request.user,
        text=text,
        kind=text_param(request, "type", 20),
        filters={k: v for k, v in filters.items() if v},
        sort=text_param(request, "sort", 20, "relevance"),
        page=_page_number(request),
    )
    tabs = [
        {
            "label": "Everything",
            "count": sum(results.kind_counts.values()),
            "href": _url(request, type=""),
            "current": not results.kind,
        }
    ] + [
        {
            "label": s.label,
            "count": results.kind_counts.get(s.kind, 0),
            "href": _url(request, type=s.kind),
            "current": results.kind == s.kind,
        }
        for s in searchable_types()
    ]
    facets = []
    for name in selectors.FACET_NAMES:
        chosen = results.filters.get(name, "")
        values = [
            {
                "label": f.label,
                "count": f.count,
                "href": _url(request, **{name: "" if f.value == chosen else f.value}),
                "chosen": f.value == chosen,
            }
            for f in results.facets.get(name, [])[:10]
        ]
        if values or chosen:
            facets.append(
                {
                    "name": name,
                    "label": selectors.FACET_LABELS[name],
                    "values": values,
                    "clear": _url(request, **{name: ""}) if chosen else "",
                }
            )
    sorts = [
        {"label": label, "href": _url(request, sort=value), "current": results.sort == value}
        for value, label in (("relevance", "Relevance"), ("newest", "Newest"))
    ]
    return render(
        request,
        "search/results.html",
        {
            "results": results,
            "tabs": tabs,
            "facets": facets,
            "sorts": sorts,
            "q": text[:MAX_CHARACTERS],
            "previous": _url(request, page=results.page - 1) if results.page > 1 else "",
            "next": _url(request, page=results.page + 1) if results.has_next else "",
        },
    )
