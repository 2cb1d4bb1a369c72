"""The search page's reads: what a person may find for what they typed, and what to suggest
as they type it.

Permission is applied twice. The backend filters inside its query by the searcher's
``Access`` (computed here from the database on every call); then every hit on the page is
re-checked against its app's permission-filtered selector, because an index can be stale.
Facet counts come from the same permitted query; snippets and people's "why" are built only
from hits that passed both checks.
"""

from __future__ import annotations

import datetime
import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from groups.models import Community
from groups.selectors import communities_readable
from profiles.models import Person, Topic
from profiles.selectors import expertise_topics
from search.backends import get_search_backend
from search.backends.base import Access, FacetCount, Hit, SearchRequest, SuggestRequest
from search.index import MARK_END, MARK_START, is_registered, searchable, searchable_types
from search.prepared import readable_ids, readable_query
from search.query import ParsedQuery, explain_empty, parse, prefixes

AnyUser = Person | AnonymousUser

SORTS = ("relevance", "newest")
FACET_NAMES = ("organisation", "region", "service_area", "community", "year")
FACET_LABELS = {
    "organisation": "Organisation",
    "region": "Region",
    "service_area": "Service area",
    "community": "Community",
    "year": "Year",
}
PER_PAGE = 20
MAX_PAGE = 50
# How many permitted practice and message hits count as evidence for people search.
EVIDENCE_DEPTH = 300

# Suggestions as someone types: titles of these kinds, then declared expertise.
SUGGESTED_KINDS = {"practice": "Practice", "community": "Community", "person": "Person"}
SUGGESTIONS = 8
MAX_SUGGESTIONS = 10


@dataclass
class Result:
    kind: str
    kind_label: str
    object_id: int
    url: str
    title: SafeString
    snippet: SafeString
    date: datetime.datetime | None = None
    person: Person | None = None
    why: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    text: str
    query: ParsedQuery
    kind: str
    sort: str
    page: int
    results: list[Result]
    has_next: bool
    message: str = ""
    notes: tuple[str, ...] = ()
    kind_counts: dict[str, int] = field(default_factory=dict)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)


def _communities_readable(user: AnyUser) -> QuerySet[Community]:
    return communities_readable(user=user)


def access_for(*, user: AnyUser, as_query: bool = False) -> Access:
    """What ``user`` may read, from the database now: their id and every readable community,
    by the communities selector's own SQL. ``as_query`` (for a backend that
    ``reads_communities_query``) hands that SQL to the backend to run inside its query;
    otherwise it is run here (one prepared query) and the backend is given the ids."""
    if not user.is_authenticated:
        return Access(person_id=0, community_ids=())
    if as_query:
        query = readable_query(_communities_readable, user)
        if query is not None:
            return Access(person_id=int(user.pk), communities_query=query)
    ids = readable_ids(_communities_readable, user)
    return Access(person_id=int(user.pk), community_ids=tuple(sorted(ids)))


_NOTHING = SafeString("")


def marked(text: str) -> SafeString:
    """Escape the text, then turn the backend's markers into <mark> elements."""
    if not text:
        return _NOTHING
    safe = html.escape(text)  # what django.utils.html.escape does, without its lazy wrapper
    if MARK_START in safe:
        safe = (
            safe.replace(MARK_END + MARK_START, "")
            .replace(MARK_START, "<mark>")
            .replace(MARK_END, "</mark>")
        )
    return SafeString(safe)  # escaped above; only our own markers became tags


def _recheck(user: AnyUser, hits: Sequence[Hit]) -> set[tuple[str, int]]:
    """The (kind, id) of the hits that the app's own selector still lets ``user`` read: one
    query per kind, the selector's queryset narrowed to the hits' ids."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit.object_id)
    found: set[tuple[str, int]] = set()
    for kind, ids in by_kind.items():
        found.update((kind, pk) for pk in readable_ids(searchable(kind).readable, user, ids))
    return found


def search(
    *,
    user: AnyUser,
    text: str,
    kind: str = "",
    filters: dict[str, str] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
    snippets: bool = True,
) -> SearchResults:
    """One page of results for ``text``; never raises for anything typed."""
    query = parse(text)
    kinds = {s.kind for s in searchable_types()}
    kind = kind if kind in kinds else ""
    sort = sort if sort in SORTS else "relevance"
    filters = {k: v[:100] for k, v in (filters or {}).items() if k in FACET_NAMES and v}
    page = min(max(page, 1), MAX_PAGE)
    results = SearchResults(
        text=text,
        query=query,
        kind=kind,
        sort=sort,
        page=page,
        results=[],
        has_next=False,
        notes=query.notes,
        filters=filters,
    )
    if not user.is_authenticated:
        results.message = "Sign in to search."
        return results
    if query.is_empty:
        results.message = explain_empty(text, query)
        return results
    if kind == "person" and sort == "relevance" and not filters:
        return _people(user=user, query=query, results=results, per_page=per_page)
    backend = get_search_backend()
    access = access_for(user=user, as_query=backend.reads_communities_query)
    wanted = page * per_page + 1
    found = backend.search(
        SearchRequest(
            query=query,
            access=access,
            kind=kind,
            filters=filters,
            sort=sort,
            limit=wanted,
            facets=facets,
        )
    )
    results.kind_counts = found.kind_counts
    results.facets = found.facets
    window = found.hits[(page - 1) * per_page : page * per_page]
    results.has_next = len(found.hits) > page * per_page
    readable = _recheck(user, window)
    shown = [h for h in window if (h.kind, h.object_id) in readable]
    marks = backend.snippets(query, [h.entry_id for h in shown]) if snippets else {}
    for hit in shown:
        title, excerpt = marks.get(hit.entry_id, (hit.title, ""))
        results.results.append(
            Result(
                kind=hit.kind,
                kind_label=searchable(hit.kind).label,
                object_id=hit.object_id,
                url=hit.url,
                title=marked(title or hit.title),
                snippet=marked(excerpt),
                date=hit.date,
            )
        )
    if not results.results and page == 1:
        results.message = "Nothing you can read matches that search."
    return results


def _people(
    *, user: AnyUser, query: ParsedQuery, results: SearchResults, per_page: int
) -> SearchResults:
    """People ranked by declared expertise (their profile) and by evidence: practice posts they
    wrote or co-wrote, endorsements those posts received, and messages they wrote, counting only
    posts and messages the searcher may read. Each result says why."""
    backend = get_search_backend()
    access = access_for(user=user, as_query=backend.reads_communities_query)

    def hits(kind: str, limit: int) -> list[Hit]:
        return backend.search(
            SearchRequest(query=query, access=access, kind=kind, limit=limit)
        ).hits

    profile_hits = hits("person", 200)
    practice_hits = hits("practice", EVIDENCE_DEPTH)
    message_hits = hits("message", EVIDENCE_DEPTH)
    # Evidence counts only what the searcher can still read.
    readable = _recheck(user, practice_hits + message_hits)
    posts: Counter[int] = Counter()
    endorsements: Counter[int] = Counter()
    messages: Counter[int] = Counter()
    for hit in practice_hits:
        if ("practice", hit.object_id) in readable:
            for author in hit.author_ids:
                posts[author] += 1
                endorsements[author] += hit.endorsement_count
    for hit in message_hits:
        if ("message", hit.object_id) in readable:
            for author in hit.author_ids:
                messages[author] += 1
    best_profile = max((h.score for h in profile_hits), default=0.0) or 1.0
    scores: dict[int, float] = {}
    for hit in profile_hits:
        # A matching profile (declared expertise) is worth as much as two matching posts.
        scores[hit.object_id] = 2.0 * hit.score / best_profile
    for person_id in set(posts) | set(messages):
        scores[person_id] = (
            scores.get(person_id, 0.0)
            + 1.0 * posts[person_id]
            + 0.25 * endorsements[person_id]
            + 0.2 * messages[person_id]
        )
    ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))
    start = (results.page - 1) * per_page
    window = ranked[start : start + per_page]
    results.has_next = len(ranked) > start + per_page
    people = {
        p.pk: p
        for p in searchable("person")
        .readable(user)
        .filter(pk__in=window)
        .prefetch_related("expertise")
    }
    words = " ".join(query.positive_words)
    profile_ids = {h.object_id for h in profile_hits}
    for pk in window:
        person = people.get(pk)
        if person is None:
            continue
        why = []
        if pk in profile_ids:
            why.append("their profile matches your search")
        if posts[pk]:
            why.append(f"wrote {posts[pk]} practice post{'s' if posts[pk] != 1 else ''} on {words}")
        if endorsements[pk]:
            n = endorsements[pk]
            why.append(f"received {n} endorsement{'s' if n != 1 else ''} for them")
        if messages[pk]:
            n = messages[pk]
            why.append(
                f"wrote {n} message{'s' if n != 1 else ''} on {words} in communities you can read"
            )
        results.results.append(
            Result(
                kind="person",
                kind_label="People",
                object_id=person.pk,
                url=person.get_absolute_url(),
                title=marked(person.display_name),
                snippet=marked(person.job_title),
                person=person,
                why=why,
            )
        )
    results.kind_counts = {"person": len(ranked)}
    if not results.results and results.page == 1:
        results.message = "Nobody matches that search yet."
    return results


@dataclass(frozen=True)
class Suggestion:
    """One suggestion as someone types: where it leads and what to show. ``kind`` is a
    searchable kind, or ``expertise`` for a topic people declare (it leads to the people who
    know about it)."""

    kind: str
    label: str
    title: str
    url: str
    detail: str = ""


def suggest(*, user: AnyUser, text: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Up to ``limit`` suggestions for a half-typed search: titles of practice posts,
    communities and people in which every typed word begins a word, and matching declared
    expertise. Titles come from the search backend, filtered inside its query by what
    ``user`` may read, and are re-checked against each app's selector like search hits.
    Each kind gets its turn, so none crowds out the others. Never raises for anything typed."""
    words = prefixes(text)
    limit = min(max(limit, 1), MAX_SUGGESTIONS)
    if not user.is_authenticated or not words:
        return []
    kinds = tuple(kind for kind in SUGGESTED_KINDS if is_registered(kind))
    backend = get_search_backend()
    access = access_for(user=user, as_query=backend.reads_communities_query)
    hits = backend.suggest(
        SuggestRequest(prefixes=words, access=access, kinds=kinds, per_kind=limit)
    )
    readable = _recheck(user, hits)
    shown = [h for h in hits if (h.kind, h.object_id) in readable]
    people = _person_details(user, [h.object_id for h in shown if h.kind == "person"])
    groups: dict[str, list[Suggestion]] = {kind: [] for kind in kinds}
    for hit in shown:
        groups[hit.kind].append(
            Suggestion(
                kind=hit.kind,
                label=SUGGESTED_KINDS[hit.kind],
                title=hit.title,
                url=hit.url,
                detail=people.get(hit.object_id, "") if hit.kind == "person" else "",
            )
        )
    groups["expertise"] = [
        Suggestion(
            kind="expertise",
            label="Expertise",
            title=topic.name,
            url=reverse("search:search") + "?" + urlencode({"q": topic.name, "type": "person"}),
            detail="People who know about it",
        )
        for topic in _topics_beginning(words)[:limit]
    ]
    return _in_turn(list(groups.values()), limit)


def _person_details(user: AnyUser, ids: Sequence[int]) -> dict[int, str]:
    """Each of these people's job title and organisation, "Housing officer · Northmoor", read
    through the people selector."""
    if not ids:
        return {}
    rows = (
        searchable("person")
        .readable(user)
        .filter(pk__in=ids)
        .values_list("pk", "job_title", "organisation__name")
    )
    return {pk: " · ".join(part for part in parts if part) for pk, *parts in rows}


def _topics_beginning(words: Sequence[str]) -> QuerySet[Topic]:
    """Declared expertise in whose name every word begins a word."""
    topics = expertise_topics()
    for word in words:
        topics = topics.filter(Q(name__istartswith=word) | Q(name__icontains=f" {word}"))
    return topics


def _in_turn(groups: list[list[Suggestion]], limit: int) -> list[Suggestion]:
    """Up to ``limit`` suggestions taken from the groups in turn, one from each while any
    remain, and shown group by group."""
    taken = [0] * len(groups)
    total = 0
    while total < limit and any(n < len(g) for n, g in zip(taken, groups, strict=True)):
        for index, group in enumerate(groups):
            if taken[index] < len(group) and total < limit:
                taken[index] += 1
                total += 1
    return [s for n, group in zip(taken, groups, strict=True) for s in group[:n]]
