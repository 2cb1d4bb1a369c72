"""Two-factor authentication (allauth.mfa: TOTP and recovery codes) for local accounts, required
of organisation administrators."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from profiles import actions

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 with allauth's defaults: SHA-1, 30 seconds, six digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def password_sign_in(client, person):
    return client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})


def activate_totp(client) -> str:
    """Confirm the password again (allauth asks before security changes), then set up an
    authenticator app; return its secret."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": totp(secret)}).status_code == 302
    return secret


@pytest.fixture
def administrator(make_person, organisation):
    return actions.person_set_organisation_admin(
        person=make_person(organisation=organisation), is_admin=True
    )


def test_organisation_admin_must_set_up_an_authenticator_before_anything_else(
    client, administrator
):
    password_sign_in(client, administrator)
    for url in (reverse("home"), reverse("profiles:directory"), reverse("groups:directory")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")

    activate_totp(client)
    assert client.get(reverse("home")).status_code == 200
    kinds = set(Authenticator.objects.filter(user=administrator).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_after_set_up_signing_in_asks_for_the_code(client, administrator):
    password_sign_in(client, administrator)
    secret = activate_totp(client)
    client.post(reverse("account_logout"))

    response = password_sign_in(client, administrator)
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("home")).wsgi_request.user.is_anonymous
    # The next period's code, so it is not a replay of the one just used to activate.
    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret, time.time() + 30)})
    if response.status_code == 200:  # a period boundary is near: the current code is fresh
        response = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == administrator


def test_a_recovery_code_signs_in_once(client, administrator):
    password_sign_in(client, administrator)
    activate_totp(client)
    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    client.post(reverse("account_logout"))

    password_sign_in(client, administrator)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    client.post(reverse("account_logout"))
    password_sign_in(client, administrator)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200


def test_staff_who_are_not_administrators_are_not_forced(client, make_person, organisation):
    person = make_person(organisation=organisation)
    password_sign_in(client, person)
    assert client.get(reverse("home")).status_code == 200


def test_administrators_without_a_local_password_rely_on_their_provider(client, administrator):
    administrator.set_unusable_password()
    administrator.save()
    client.force_login(administrator)
    assert client.get(reverse("home")).status_code == 200


@override_settings(REQUIRE_MFA_FOR_ORGANISATION_ADMINS=False)
def test_the_requirement_can_be_switched_off(client, administrator):
    password_sign_in(client, administrator)
    assert client.get(reverse("home")).status_code == 200


def test_guests_cannot_be_made_organisation_administrators(make_person):
    from hub.errors import ActionError

    with pytest.raises(ActionError, match="guests cannot"):
        actions.person_set_organisation_admin(person=make_person(), is_admin=True)
