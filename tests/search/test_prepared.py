"""Reads on the search path: the selectors' own SQL, run as prepared statements on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F

from practice.models import PracticePost
from practice.selectors import posts_readable
from search.prepared import AnyOf, fetch, primary_keys
from search.selectors import search


def test_primary_keys_are_those_the_selector_itself_reads(publish, owner, outsider):
    shared = publish(title="Shared gritting plan")
    draft = publish(title="Draft gritting plan", publish=False)
    ids = [shared.pk, draft.pk, 10**9]
    for who in (owner, outsider):
        expected = set(posts_readable(user=who).filter(pk__in=ids).values_list("pk", flat=True))
        narrowed = posts_readable(user=who).filter(AnyOf(F("pk"), ids))
        assert set(primary_keys(narrowed)) == expected
    assert set(primary_keys(posts_readable(user=outsider).filter(AnyOf(F("pk"), ids)))) == {
        shared.pk
    }


def test_no_ids_and_empty_selectors_read_nothing(publish, outsider):
    publish(title="Gritting")
    assert primary_keys(posts_readable(user=outsider).filter(AnyOf(F("pk"), []))) == []
    assert primary_keys(PracticePost.objects.none()) == []


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
