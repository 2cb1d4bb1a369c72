"""The demo network: the right size and shape, safe to run twice, every person able to sign in."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from groups.models import Community, Role, Visibility
from hub import demo_data
from hub.management.commands.seed_demo import SIZES, build_plan, network_counts
from profiles.models import Person
from profiles.selectors import organisation_for_email


def seed(size: str = "small") -> str:
    out = StringIO()
    call_command("seed_demo", size=size, stdout=out)
    return out.getvalue()


def test_plan_is_the_same_on_every_call() -> None:
    first, second = build_plan("small"), build_plan("small")
    assert [p.email for p in first.people] == [p.email for p in second.people]
    assert [(c.slug, c.roles) for c in first.communities] == [
        (c.slug, c.roles) for c in second.communities
    ]


@pytest.mark.parametrize("size", list(SIZES))
def test_plan_names_are_unique_and_topics_come_from_the_vocabulary(size: str) -> None:
    plan = build_plan(size)
    expected = SIZES[size]
    assert len(plan.organisations) == expected.organisations
    assert len(plan.people) == expected.people + 1  # the demo login
    assert len(plan.communities) == expected.communities
    for values in (
        [o.slug for o in plan.organisations],
        [o.domain for o in plan.organisations],
        [p.email for p in plan.people],
        [c.slug for c in plan.communities],
    ):
        assert len(values) == len(set(values))
    community_topics = {t for c in plan.communities for t in c.topics}
    assert community_topics <= set(demo_data.TOPICS)
    assert all(2 <= len(p.topics) <= 4 for p in plan.people)


@pytest.mark.django_db
def test_small_network_has_about_the_requested_counts() -> None:
    output = seed()
    counts = network_counts()
    assert counts["organisations"] == 25
    assert counts["people"] == 301
    assert counts["communities"] == 30
    assert 500 <= counts["memberships"] <= 1500
    assert counts["pending join requests"] > 0
    assert counts["pending invitations"] > 0
    assert demo_data.PASSWORD in output
    assert "demo@northmoor.gov.example" in output


@pytest.mark.django_db
def test_every_community_has_an_owner_and_a_facilitator() -> None:
    seed()
    assert not Community.objects.exclude(memberships__role=Role.OWNER).exists()
    assert not Community.objects.exclude(memberships__role=Role.FACILITATOR).exists()


@pytest.mark.django_db
def test_all_four_visibilities_are_present_mostly_open() -> None:
    seed()
    visibilities = list(Community.objects.values_list("visibility", flat=True))
    assert set(visibilities) == set(Visibility.values)
    assert 0.4 <= visibilities.count(Visibility.OPEN) / len(visibilities) <= 0.6


@pytest.mark.django_db
def test_running_twice_adds_nothing_the_second_time() -> None:
    seed()
    before = network_counts()
    output = seed()
    assert network_counts() == before
    assert "added 0 organisations, 0 people and 0 communities" in output


@pytest.mark.django_db
def test_second_run_does_not_undo_what_someone_did_in_the_demo() -> None:
    seed()
    demo = Person.objects.get(email="demo@northmoor.gov.example")
    demo.memberships.filter(role=Role.MEMBER).delete()
    left = network_counts()["memberships"]
    seed()
    assert network_counts()["memberships"] == left


@pytest.mark.django_db
def test_demo_people_can_sign_in_and_belong_to_their_email_domains_organisation() -> None:
    seed()
    people = list(Person.objects.select_related("organisation"))
    verified = set(
        EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)
    )
    assert {p.email for p in people} == verified
    for person in people:
        assert person.organisation == organisation_for_email(person.email)
    guests = [p for p in people if p.is_guest]
    assert 1 <= len(guests) <= 10
    assert all(p.email.endswith(".example") for p in people)
    assert people[0].check_password(demo_data.PASSWORD)


@pytest.mark.django_db
def test_demo_login_takes_part_in_communities_of_every_visibility() -> None:
    seed()
    demo = Person.objects.get(email="demo@northmoor.gov.example")
    assert demo.check_password(demo_data.PASSWORD)
    assert demo.organisation is not None
    assert demo.organisation.name == "Northmoor County Council"
    roles = set(demo.memberships.values_list("community__visibility", "role"))
    assert {visibility for visibility, _ in roles} == set(Visibility.values)
    assert {role for _, role in roles} == set(Role.values)
    assert demo.join_requests.filter(status="pending").exists()
    assert demo.invitations.filter(status="pending").exists()
