"""Reads on the search path: the selectors' own SQL, run as prepared statements on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import QuerySet

from practice.models import PracticePost
from practice.selectors import posts_readable
from profiles import actions as profile_actions
from profiles.models import Person
from search import prepared
from search.index import searchable_types
from search.prepared import fetch, readable_ids
from search.selectors import _communities_readable, search

from .conftest import add_member


def _posts(user: object) -> QuerySet[PracticePost]:
    return posts_readable(user=user)  # type: ignore[arg-type]


def _no_posts(user: object) -> QuerySet[PracticePost]:
    return PracticePost.objects.none()


def test_primary_keys_are_those_the_selector_itself_reads(publish, owner, outsider):
    shared = publish(title="Shared gritting plan")
    draft = publish(title="Draft gritting plan", publish=False)
    ids = [shared.pk, draft.pk, 10**9]
    for who in (owner, outsider):
        expected = set(posts_readable(user=who).filter(pk__in=ids).values_list("pk", flat=True))
        assert set(readable_ids(_posts, who, ids)) == expected
    assert set(readable_ids(_posts, outsider, ids)) == {shared.pk}


def test_no_ids_and_empty_selectors_read_nothing(publish, outsider):
    publish(title="Gritting")
    assert readable_ids(_posts, outsider, []) == []
    assert readable_ids(_no_posts, outsider) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_search_reads_are_prepared_once_per_connection(publish, make_community, outsider):
    publish(title="Gritting routes")
    for text in ("gritting", "routes", "gritting routes"):
        search(user=outsider, text=text)
    rows = fetch("SELECT statement FROM pg_prepared_statements WHERE from_sql = false", [])
    statements = [row[0] for row in rows]
    assert any("search_posting" in s for s in statements)  # the ranking
    assert any('"groups_community"' in s for s in statements)  # the searcher's communities
    assert any('"practice_practicepost"' in s for s in statements)  # the re-check
    # The re-check's text is the same for any number of hits: one statement, not one per size.
    assert sum('"practice_practicepost"."id" = ANY' in s for s in statements) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_preparing_can_be_turned_off_for_connection_poolers(settings, db):
    settings.SEARCH_PREPARED_STATEMENTS = False
    fetch("SELECT 1 AS not_prepared_here", [])
    rows = fetch(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
        ["%not_prepared_here%"],
    )
    assert rows == [(0,)]


# ---- selectors compiled once per shape of user ----------------------------------------------


@pytest.fixture
def fresh_statements() -> Iterator[None]:
    """Each test compiles its own statements, so that it sees which user they came from."""
    saved = dict(prepared._compiled)
    prepared._compiled.clear()
    yield
    prepared._compiled.clear()
    prepared._compiled.update(saved)


def _fresh(selector: prepared.Selector, user: object, among: list[int] | None = None) -> list[int]:
    """What the selector reads for ``user``, built and compiled by Django now."""
    queryset = selector(user)
    if among is not None:
        queryset = queryset.filter(pk__in=among)
    return sorted(queryset.values_list("pk", flat=True))


def test_a_statement_compiled_for_one_user_reads_for_another_what_their_own_would(
    fresh_statements, publish, say, make_community, make_person, owner, outsider
):
    """Every selector the search path reuses, for people of every shape (members and not,
    authors of drafts, staff, superusers, someone deactivated, a signed-out visitor), each
    after the statement was compiled for someone else of their shape: the rows are those of
    the selector compiled afresh for them, whole and narrowed to ids."""
    open_one = make_community("open")
    private = make_community("private")
    hidden = make_community("hidden")
    member = make_person(name="Mina Member")
    add_member(owner, private, member)
    add_member(owner, hidden, member)
    publish(title="Everyone's gritting")
    publish(title="Open gritting", community=open_one)
    publish(title="Private gritting", community=private)
    publish(title="Hidden gritting", community=hidden)
    publish(title="Owner's draft", publish=False)
    publish(title="Member's draft", author=member, publish=False)
    for community in (open_one, private, hidden):
        say(community, "Gritting tonight")
    staff = [
        Person.objects.create_user(email=f"staff{n}@hub.example", is_staff=True) for n in (1, 2)
    ]
    superusers = [Person.objects.create_superuser(email=f"root{n}@hub.example") for n in (1, 2)]
    gone = [make_person(name=f"Gone {n}") for n in (1, 2)]
    for person in gone:
        add_member(owner, private, person)
        profile_actions.person_deactivate(person=person)
    people = [
        owner,
        outsider,
        member,
        *staff,
        *superusers,
        *gone,
        AnonymousUser(),
        AnonymousUser(),
    ]
    selectors = [_communities_readable, *(t.readable for t in searchable_types())]
    for selector in selectors:
        everything = sorted(_all_ids(selector)) + [10**9]
        for person in people:
            assert sorted(prepared.readable_ids(selector, person)) == _fresh(selector, person)
            narrowed = prepared.readable_ids(selector, person, everything[::2])
            assert sorted(narrowed) == _fresh(selector, person, everything[::2])
    # Every one of them was reused, not compiled afresh at each call.
    assert prepared._compiled
    assert all(compiled is not None for compiled in prepared._compiled.values())
    shapes = {key[4:] for key in prepared._compiled}
    assert len(shapes) == 5  # member, staff, superuser, deactivated, signed out


def _all_ids(selector: prepared.Selector) -> list[int]:
    model = selector(AnonymousUser()).model
    return list(model._default_manager.values_list("pk", flat=True))


def _drafts_by_query(user: object) -> QuerySet[PracticePost]:
    # Reads the database while it is built: its SQL depends on the data.
    ids = list(PracticePost.objects.filter(authors=user).values_list("pk", flat=True))
    return PracticePost.objects.filter(pk__in=ids)


def _readers_as_text(user: object) -> QuerySet[PracticePost]:
    # The id inside a longer parameter: not a place where the id alone is bound.
    return PracticePost.objects.filter(title__contains=f"#{getattr(user, 'pk', 0)}#")


def _everything_for_staff(user: object) -> QuerySet[PracticePost]:
    if getattr(user, "is_staff", False):
        return PracticePost.objects.all()
    return posts_readable(user=user)  # type: ignore[arg-type]


def _colleagues(user: object) -> QuerySet[Person]:
    # Depends on a field of the user other than the id, read without a query.
    return Person.objects.filter(organisation_id=getattr(user, "organisation_id", None))


def _colleagues_by_relation(user: object) -> QuerySet[Person]:
    # The same through the related object, which the user may have cached.
    return Person.objects.filter(organisation=getattr(user, "organisation", None))


def test_a_selector_that_uses_more_of_the_user_than_the_id_is_never_reused(
    fresh_statements, make_organisation, make_person
):
    """Two people of one shape in different organisations (or none) each read their own
    colleagues: the statement compiled for one is not bound for another."""
    north, south = make_organisation(domain="north.example"), make_organisation(domain="s.example")
    nina, noel = make_person(organisation=north), make_person(organisation=north)
    sam, guest = make_person(organisation=south), make_person()
    for person in (nina, noel, sam, guest):
        assert person.organisation is not None or person is guest  # the relation is cached
    for selector in (_colleagues, _colleagues_by_relation):
        for person in (guest, nina, sam, noel):
            expected = sorted(selector(person).values_list("pk", flat=True))
            assert sorted(prepared.readable_ids(selector, person)) == expected
    assert all(
        compiled is None
        for key, compiled in prepared._compiled.items()
        if key[0] in (_colleagues, _colleagues_by_relation)
    )


def test_selectors_that_cannot_be_reused_are_compiled_for_each_user(
    fresh_statements, publish, make_person, owner, outsider
):
    """A selector whose SQL depends on the data, or on the user's id other than as a
    parameter of its own, is built afresh at every call; one whose SQL depends on the user's
    shape gets one statement per shape."""
    mine = publish(title=f"Gritting #{owner.pk}#", publish=False)
    theirs = publish(title=f"Gritting #{outsider.pk}#", author=outsider, publish=False)
    staff = Person.objects.create_user(email="staff@hub.example", is_staff=True)
    nobody = make_person(name="Nobody")
    for selector, expected in (
        (_drafts_by_query, {nobody: [], owner: [mine.pk], outsider: [theirs.pk]}),
        (_readers_as_text, {nobody: [], owner: [mine.pk], outsider: [theirs.pk]}),
        (_everything_for_staff, {nobody: [], staff: sorted([mine.pk, theirs.pk])}),
    ):
        for person, ids in expected.items():
            assert sorted(prepared.readable_ids(selector, person)) == ids
            assert sorted(prepared.readable_ids(selector, person, [mine.pk, theirs.pk])) == ids
    reused = {key[0] for key, compiled in prepared._compiled.items() if compiled is not None}
    assert reused == {_everything_for_staff}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_a_reused_statement_is_prepared_once_for_every_user(fresh_statements, publish, make_person):
    """Compiled once per shape, the re-check is one prepared statement whoever searches."""
    publish(title="Gritting routes")
    for n in range(3):
        search(user=make_person(name=f"Searcher {n}"), text="gritting")
    rows = fetch("SELECT statement FROM pg_prepared_statements WHERE from_sql = false", [])
    assert sum('"practice_practicepost"."id" = ANY' in row[0] for row in rows) == 1
