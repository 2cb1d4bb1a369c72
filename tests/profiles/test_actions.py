import pytest

from hub.errors import ActionError, Conflict
from profiles import actions
from profiles.models import Topic


def test_topics_are_normalised_into_one_vocabulary(db):
    first = actions.topics_from_names(
        ["Damp  and Mould", "damp and mould", " Temporary accommodation "]
    )
    again = actions.topics_from_names(["DAMP AND MOULD"])
    assert [t.slug for t in first] == ["damp-and-mould", "temporary-accommodation"]
    assert again[0].pk == first[0].pk
    assert Topic.objects.count() == 2


def test_too_many_topics_are_refused(db):
    with pytest.raises(ActionError):
        actions.topics_from_names([f"topic {n}" for n in range(actions.MAX_TOPICS + 1)])


def test_verified_person_is_placed_in_the_organisation_of_their_domain(organisation, make_person):
    person = make_person(email="priya@northmoor.gov.example")
    assert person.organisation == organisation
    assert not person.is_guest


def test_unverified_person_stays_a_guest_until_verified(organisation):
    person = actions.person_create(
        email="sam@northmoor.gov.example", display_name="Sam", email_verified=False
    )
    assert person.is_guest
    actions.person_place_in_organisation(person=person, verified_email=person.email)
    person.refresh_from_db()
    assert person.organisation == organisation


def test_person_with_unknown_domain_is_a_guest(make_person, organisation):
    assert make_person(email="consultant@consultancy.example").is_guest


def test_disabled_organisation_does_not_receive_new_people(organisation, make_person):
    organisation.is_active = False
    organisation.save()
    assert make_person(email="late@northmoor.gov.example").is_guest


def test_a_domain_belongs_to_one_organisation_only(organisation, make_organisation):
    other = make_organisation()
    with pytest.raises(Conflict):
        actions.organisation_add_domain(organisation=other, domain="NorthMoor.gov.example")


def test_malformed_domain_is_refused(organisation):
    with pytest.raises(ActionError):
        actions.organisation_add_domain(organisation=organisation, domain="not a domain")


def test_duplicate_email_is_refused(make_person):
    make_person(email="a@guest.example")
    with pytest.raises(Conflict):
        actions.person_create(email="A@guest.example", display_name="Again")


def test_profile_update_sets_expertise_and_refuses_a_blank_name(make_person):
    person = make_person()
    actions.profile_update(
        person=person, display_name="  Priya   Shah ", job_title="Lead", expertise=["Libraries"]
    )
    person.refresh_from_db()
    assert person.display_name == "Priya Shah"
    assert [t.name for t in person.expertise.all()] == ["Libraries"]
    with pytest.raises(ActionError):
        actions.profile_update(person=person, display_name="   ")
