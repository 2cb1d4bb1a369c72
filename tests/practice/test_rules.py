"""The promotion rule, edge by edge."""

import pytest

from practice import actions
from practice.models import PracticePost
from profiles import actions as profile_actions


@pytest.fixture
def vouchers(make_person, make_organisation):
    """People from four organisations other than the author's."""
    return [make_person(organisation=make_organisation()) for _ in range(4)]


def promotion(post):
    post.refresh_from_db()
    return post.promotion


def test_three_other_organisations_endorsing_promote_the_post(make_post, vouchers):
    post = make_post()
    for person in vouchers[:2]:
        actions.endorse(person=person, post=post)
    assert promotion(post) == ""
    actions.endorse(person=vouchers[2], post=post)
    assert promotion(post) == PracticePost.Promotion.PEERS
    assert post.promoted_at is not None


def test_endorsements_and_repeat_records_count_together_by_organisation(make_post, vouchers):
    post = make_post()
    actions.endorse(person=vouchers[0], post=post)
    actions.repeat_record(person=vouchers[1], post=post, status="trying")
    assert promotion(post) == ""
    actions.repeat_record(person=vouchers[2], post=post, status="adopted")
    assert promotion(post) == PracticePost.Promotion.PEERS


def test_people_from_the_same_organisation_count_once(make_post, make_person, vouchers):
    post = make_post()
    colleague = make_person(organisation=vouchers[0].organisation)
    actions.endorse(person=vouchers[0], post=post)
    actions.endorse(person=colleague, post=post)
    actions.repeat_record(person=colleague, post=post, status="planning")
    actions.endorse(person=vouchers[1], post=post)
    assert promotion(post) == ""


def test_the_authors_organisations_do_not_count(make_post, make_person, owner, vouchers):
    post = make_post(co_authors=[vouchers[0]])
    actions.endorse(person=make_person(organisation=owner.organisation), post=post)
    actions.endorse(person=make_person(organisation=vouchers[0].organisation), post=post)
    actions.endorse(person=vouchers[1], post=post)
    actions.endorse(person=vouchers[2], post=post)
    assert promotion(post) == ""
    actions.endorse(person=vouchers[3], post=post)
    assert promotion(post) == PracticePost.Promotion.PEERS


def test_guests_do_not_count(make_post, make_person, vouchers):
    post = make_post()
    actions.endorse(person=vouchers[0], post=post)
    actions.endorse(person=vouchers[1], post=post)
    actions.endorse(person=make_person(email="guest@consultancy.example"), post=post)
    assert promotion(post) == ""


def test_withdrawn_endorsement_takes_a_peer_promotion_away(make_post, vouchers):
    post = make_post()
    for person in vouchers[:3]:
        actions.endorse(person=person, post=post)
    actions.endorsement_withdraw(person=vouchers[0], post=post)
    assert promotion(post) == ""


def test_deactivated_account_stops_counting(make_post, vouchers):
    post = make_post()
    for person in vouchers[:3]:
        actions.endorse(person=person, post=post)
    profile_actions.person_deactivate(person=vouchers[1])
    assert promotion(post) == ""


def test_deleted_account_stops_counting(make_post, vouchers):
    post = make_post()
    for person in vouchers[:3]:
        actions.endorse(person=person, post=post)
    profile_actions.person_delete(person=vouchers[2])
    assert promotion(post) == ""


def test_facilitator_promotion_stands_without_peers(make_post, make_community, owner, vouchers):
    community = make_community("open")
    post = make_post(community=community)
    actions.promote_by_hand(actor=owner, post=post, reason="Our best example this year")
    actions.endorse(person=vouchers[0], post=post)
    actions.endorsement_withdraw(person=vouchers[0], post=post)
    post.refresh_from_db()
    assert post.promotion == PracticePost.Promotion.FACILITATOR
    assert post.promotion_reason == "Our best example this year"


def test_drafts_are_never_promoted(make_post, vouchers):
    post = make_post(publish=False)
    from practice import rules

    assert not rules.earns_peer_promotion(post)
