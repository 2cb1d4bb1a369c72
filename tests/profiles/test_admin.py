"""The Django admin shows organisations' identity providers and what to give them."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from profiles import actions
from profiles.models import Person

pytestmark = pytest.mark.django_db


@override_settings(HUB_BASE_URL="https://hub.example.gov.uk")
def test_admin_shows_the_redirect_uri_of_an_organisations_provider(client, make_organisation):
    organisation = make_organisation(name="Northmoor County Council")
    link = actions.organisation_connect_oidc(
        organisation=organisation,
        issuer="https://login.microsoftonline.com/tenant/v2.0",
        client_id="client",
        client_secret="secret",
    )
    client.force_login(Person.objects.create_superuser(email="ops@hub.example", password="x"))
    page = client.get(reverse("admin:profiles_organisationidentityprovider_change", args=[link.pk]))
    assert page.status_code == 200
    callback = f"https://hub.example.gov.uk/accounts/oidc/{organisation.slug}/login/callback/"
    assert callback in page.content.decode()
    assert (
        client.get(
            reverse("admin:profiles_organisation_change", args=[organisation.pk])
        ).status_code
        == 200
    )
