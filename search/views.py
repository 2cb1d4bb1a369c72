"""The search page and its suggestions as you type: thin callers of search.selectors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub.params import text_param
from search import selectors
from search.index import searchable_types
from search.query import MAX_CHARACTERS

# Suggestions as you type: what the header box's script asks for (data-suggest-min and
# data-suggest-max in base.html say the same), and what anything else is told.
SUGGEST_MIN_CHARACTERS = 2
SUGGEST_MAX_CHARACTERS = 100


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


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@login_not_required  # answered here, in JSON, rather than redirected to the sign-in page
@never_cache  # what someone may read is decided on every request
@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """GET /search/suggest?q=TEXT[&limit=N]: suggestions for a half-typed search, as JSON
    ``{"q": ..., "suggestions": [{"kind", "label", "title", "url", "detail"}]}``. Input it
    cannot use is refused with 400 and a sentence saying why; signed-out visitors get 403."""
    if not request.user.is_authenticated:
        return _refused("Sign in to get search suggestions.", 403)
    text = request.GET.get("q")
    if text is None:
        return _refused("Send the text typed so far as the q parameter.", 400)
    text = text.replace("\x00", "").lstrip()
    if len(text.strip()) < SUGGEST_MIN_CHARACTERS:
        return _refused(f"Type at least {SUGGEST_MIN_CHARACTERS} characters for suggestions.", 400)
    if len(text) > SUGGEST_MAX_CHARACTERS:
        return _refused(
            f"Suggestions are for up to {SUGGEST_MAX_CHARACTERS} characters: search instead.", 400
        )
    limit = selectors.SUGGESTIONS
    if "limit" in request.GET:
        value = request.GET["limit"]
        whole = value.isascii() and value.isdigit() and len(value) <= 2
        if not whole or not 1 <= int(value) <= selectors.MAX_SUGGESTIONS:
            return _refused(
                f"limit must be a whole number from 1 to {selectors.MAX_SUGGESTIONS}.", 400
            )
        limit = int(value)
    suggestions = selectors.suggest(user=request.user, text=text, limit=limit)
    return JsonResponse(
        {
            "q": text,
            "suggestions": [
                {
                    "kind": s.kind,
                    "label": s.label,
                    "title": s.title,
                    "url": s.url,
                    "detail": s.detail,
                }
                for s in suggestions
            ],
        }
    )
