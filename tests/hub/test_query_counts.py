"""Every list page, rendered over the large demo network, stays within a fixed number of
queries: a page of 24 items must cost what a page of 1 costs (no N+1)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from groups import actions as group_actions
from groups.models import Community, Conversation, Membership, Message
from practice.selectors import posts_readable
from profiles.models import Organisation, Person
from tests.conftest import flush_database

DEMO_EMAIL = "demo@northmoor.gov.example"


@pytest.fixture(scope="module")
def large_network(django_db_setup, django_db_blocker):
    """The large demo network, with the demo person a member of ten communities."""
    with django_db_blocker.unblock():
        call_command("seed_demo", size="large", stdout=io.StringIO())
        viewer = Person.objects.get(email=DEMO_EMAIL)
        joined = Membership.objects.filter(person=viewer).count()
        extra = Community.objects.filter(visibility="open").exclude(memberships__person=viewer)
        for community in extra[: max(0, 10 - joined)]:
            group_actions.community_join(person=viewer, community=community)
        yield
        flush_database()


def page_url(label: str) -> str:
    viewer = Person.objects.get(email=DEMO_EMAIL)
    owned = Community.objects.filter(memberships__person=viewer, memberships__role="owner")
    busiest = (
        Community.objects.filter(visibility="open")
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )
    post = (
        posts_readable(user=viewer)
        .filter(status="published")
        .annotate(n=Count("comments"))
        .order_by("-n", "pk")
        .first()
    )
    urls = {
        "home": lambda: "/",
        "communities": lambda: "/communities/",
        "communities filtered": lambda: "/communities/?visibility=open&q=a&page=2",
        "my communities": lambda: "/communities/?mine=1",
        "community (owner)": lambda: owned.order_by("pk").first().get_absolute_url(),
        "members (owner)": lambda: owned.order_by("pk").first().get_absolute_url() + "members/",
        "community (busiest open)": lambda: busiest.get_absolute_url(),
        "members (busiest open)": lambda: busiest.get_absolute_url() + "members/",
        "people": lambda: "/people/",
        "people filtered": lambda: "/people/?region=london&page=2",
        "people by expertise": lambda: "/people/?q=housing",
        "person": lambda: (
            Person.objects.exclude(pk=viewer.pk).order_by("pk").first().get_absolute_url()
        ),
        "organisations": lambda: "/organisations/",
        "organisation": lambda: Organisation.objects.order_by("pk").first().get_absolute_url(),
        "practice library": lambda: "/practice/",
        "practice most endorsed": lambda: "/practice/?sort=most-endorsed&page=2",
        "practice filtered": lambda: "/practice/?region=london&promoted=1",
        "practice post (most comments)": lambda: post.get_absolute_url(),
        "practice revisions": lambda: post.get_absolute_url() + "revisions/",
        "conversation (longest)": lambda: longest().get_absolute_url(),
        "conversation (earlier page)": lambda: longest().get_absolute_url() + "?before=20",
        "notifications": lambda: "/notifications/",
        "message history": lambda: history_url(),
    }

    def longest() -> Conversation:
        return (
            Conversation.objects.filter(community__memberships__person=viewer)
            .order_by("-message_count", "pk")
            .first()
        )

    def history_url() -> str:
        edited = (
            Message.objects.filter(edited_at__isnull=False, conversation__community__in=owned)
            .select_related("conversation__community")
            .order_by("pk")
            .first()
        )
        return f"{edited.conversation.get_absolute_url()}messages/{edited.pk}/history/"

    return urls[label]()


PAGES = [
    "home",
    "communities",
    "communities filtered",
    "my communities",
    "community (owner)",
    "members (owner)",
    "community (busiest open)",
    "members (busiest open)",
    "people",
    "people filtered",
    "people by expertise",
    "person",
    "organisations",
    "organisation",
    "practice library",
    "practice most endorsed",
    "practice filtered",
    "practice post (most comments)",
    "practice revisions",
    "conversation (longest)",
    "conversation (earlier page)",
    "notifications",
    "message history",
]
MAX_QUERIES = 16
# Opening a conversation's latest page also records the read position and reads the mentions
# it shows (a savepoint and five statements), whatever the number of messages.
BUDGETS = {"conversation (longest)": 20}


@pytest.mark.usefixtures("large_network")
@pytest.mark.parametrize("label", PAGES)
def test_list_page_has_a_fixed_query_budget(client, db, django_assert_max_num_queries, label):
    client.force_login(Person.objects.get(email=DEMO_EMAIL))
    url = page_url(label)
    with django_assert_max_num_queries(BUDGETS.get(label, MAX_QUERIES)):
        response = client.get(url)
    assert response.status_code == 200, (label, url)
