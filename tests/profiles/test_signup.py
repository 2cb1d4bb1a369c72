import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from profiles.models import Person

SIGNUP = {
    "display_name": "Priya Shah",
    "job_title": "Housing options officer",
    "email": "Priya.Shah@northmoor.gov.example",
    "password1": "a-long-pass-phrase-2026",
    "password2": "a-long-pass-phrase-2026",
}


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", message.body).group(1)


def test_signup_requires_verification_then_places_person_in_their_organisation(
    client, organisation
):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    person = Person.objects.get(email="priya.shah@northmoor.gov.example")
    assert person.display_name == "Priya Shah"
    assert person.job_title == "Housing options officer"
    assert person.is_guest, "an unverified email must not place anyone in an organisation"
    # Mandatory verification: the account cannot be used yet.
    assert (
        client.get(reverse("home")).context is None
        or not client.get(reverse("home")).wsgi_request.user.is_authenticated
    )
    link = confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    person.refresh_from_db()
    assert person.organisation == organisation
    assert EmailAddress.objects.get(user=person).verified
    home = client.get(reverse("home"))
    assert home.wsgi_request.user == person


def test_signup_with_an_unknown_domain_makes_a_guest(client, organisation):
    client.post(reverse("account_signup"), {**SIGNUP, "email": "pat@consultancy.example"})
    client.post(confirmation_link(mail.outbox[-1]))
    person = Person.objects.get(email="pat@consultancy.example")
    assert person.is_guest


def test_unverified_person_cannot_sign_in(client, organisation):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
    )
    assert response.status_code == 302
    assert "confirm-email" in response.url
    assert not client.get(reverse("profiles:directory")).wsgi_request.user.is_authenticated


def test_verified_person_signs_in_with_email(client, make_person):
    person = make_person(email="sam@guest.example", password="a-long-test-password")
    response = client.post(
        reverse("account_login"), {"login": "SAM@guest.example", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == person


def test_password_reset_sends_a_link(client, make_person):
    make_person(email="forgetful@guest.example")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@guest.example"})
    assert response.status_code == 302
    assert "password/reset/key" in mail.outbox[-1].body


def test_signup_with_a_blank_name_is_refused_with_a_message(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": ""})
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert b"This field is required" in response.content


def test_staff_of_a_disabled_organisation_cannot_sign_in_with_a_password(
    client, make_person, organisation
):
    from profiles import actions

    person = make_person(organisation=organisation)
    actions.organisation_disable(organisation=organisation)
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": "a-long-test-password"}
    )
    assert response.status_code == 403
    assert b"cannot sign in to the hub at the moment" in response.content
    assert client.get(reverse("home")).wsgi_request.user.is_anonymous
