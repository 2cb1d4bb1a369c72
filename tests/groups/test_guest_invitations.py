"""Guests: a community's owner or facilitator invites someone outside every organisation by
email; they create a local account for that address, even while the network's sign-up is
closed, and join as a guest of the network."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from groups import actions
from groups.models import Invitation
from profiles import actions as profile_actions
from profiles.models import Person

pytestmark = pytest.mark.django_db

GUEST = "pat.rowe@consultancy.example"


def signup(client, email: str = GUEST):
    return client.post(
        reverse("account_signup"),
        {
            "display_name": "Pat Rowe",
            "email": email,
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        },
    )


def invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/communities/invitations/\S+)", message.body).group(1)


@override_settings(SIGNUP_OPEN=False)
def test_invited_guest_signs_up_while_sign_up_is_closed_and_joins(
    client, make_community, django_capture_on_commit_callbacks
):
    community = make_community("private", name="Procurement reform")
    with django_capture_on_commit_callbacks(execute=True):
        actions.invitation_create(actor=community.created_by, community=community, email=GUEST)
    signup(client)  # before opening the invitation, sign-up is closed
    assert not Person.objects.filter(email=GUEST).exists()

    opened = client.get(invitation_link(mail.outbox[-1]))
    assert opened.status_code == 302
    assert opened.url.startswith(reverse("account_signup"))
    assert client.get(opened.url).status_code == 200
    assert signup(client).status_code == 302
    guest = Person.objects.get(email=GUEST)
    assert guest.is_guest

    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    client.post(confirm.group(1))
    invitation = Invitation.objects.get(email=GUEST)
    url = reverse("groups:invitation", kwargs={"token": invitation.token})
    assert b"Procurement reform" in client.get(url).content
    assert client.post(url, {"answer": "accept"}).status_code == 302
    assert community.memberships.filter(person=guest).exists()


@override_settings(SIGNUP_OPEN=False)
def test_invitation_opens_sign_up_only_for_the_address_it_was_sent_to(
    client, make_community, django_capture_on_commit_callbacks
):
    community = make_community("private")
    with django_capture_on_commit_callbacks(execute=True):
        actions.invitation_create(actor=community.created_by, community=community, email=GUEST)
    client.get(invitation_link(mail.outbox[-1]))
    response = signup(client, email="someone.else@consultancy.example")
    assert response.status_code == 200
    assert b"Use the email address your invitation was sent to." in response.content
    assert (
        not Person.objects.exists()
        or not Person.objects.filter(email="someone.else@consultancy.example").exists()
    )


@override_settings(SIGNUP_OPEN=False)
def test_sign_up_stays_closed_without_an_invitation(client):
    response = signup(client)
    assert not Person.objects.filter(email=GUEST).exists()
    assert response.status_code == 200


@override_settings(SIGNUP_OPEN=False)
def test_answered_or_revoked_invitation_opens_nothing(client, make_community):
    community = make_community("private")
    invitation = actions.invitation_create(
        actor=community.created_by, community=community, email=GUEST
    )
    actions.invitation_revoke(actor=community.created_by, invitation=invitation)
    opened = client.get(reverse("groups:invitation", kwargs={"token": invitation.token}))
    assert opened.url.startswith(reverse("sign_in"))
    signup(client)
    assert not Person.objects.filter(email=GUEST).exists()


def test_staff_of_an_organisation_with_its_own_sign_in_are_sent_there(
    client, make_community, make_organisation
):
    council = make_organisation(domain="eastwick.gov.example")
    profile_actions.organisation_connect_oidc(
        organisation=council,
        issuer="https://idp.eastwick.example",
        client_id="c",
        client_secret="s",
    )
    community = make_community("private")
    invitation = actions.invitation_create(
        actor=community.created_by, community=community, email="kim@eastwick.gov.example"
    )
    opened = client.get(reverse("groups:invitation", kwargs={"token": invitation.token}))
    assert opened.url.startswith(reverse("sign_in"))
