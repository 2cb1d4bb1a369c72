"""The Django admin shows organisations' identity providers and what to give them."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from profiles import actions
from profiles.models import Organisation, Person

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


def _organisation_form(**fields: str) -> dict[str, str]:
    return {
        "name": "Eastwick Borough Council",
        "slug": "eastwick",
        "kind": "metropolitan",
        "region": "",
        "is_active": "on",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-0-domain": "eastwick.gov.example",
        "identity_provider-TOTAL_FORMS": "0",
        "identity_provider-INITIAL_FORMS": "0",
        **fields,
    }


def test_admin_adds_an_organisation_with_its_oidc_provider(client):
    from allauth.socialaccount.models import SocialApp

    client.force_login(Person.objects.create_superuser(email="ops@hub.example", password="x"))
    response = client.post(
        reverse("admin:profiles_organisation_add"),
        _organisation_form(
            oidc_issuer="https://login.microsoftonline.com/tenant/v2.0",
            client_id="client",
            client_secret="secret",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    app = SocialApp.objects.get(provider_id="eastwick")
    assert app.organisation_link.organisation.domains.get().domain == "eastwick.gov.example"
    assert app.settings["oauth_pkce_enabled"] is True


def test_admin_refuses_an_oidc_provider_without_its_secret(client):
    client.force_login(Person.objects.create_superuser(email="ops@hub.example", password="x"))
    response = client.post(
        reverse("admin:profiles_organisation_add"),
        _organisation_form(oidc_issuer="https://idp.example", client_id="client"),
    )
    assert response.status_code == 200
    assert "needs its client ID and secret" in response.content.decode()


def test_admin_refuses_a_domain_that_differs_from_another_only_in_case(client, make_organisation):
    make_organisation(name="Northmoor County Council", domain="northmoor.gov.example")
    client.force_login(Person.objects.create_superuser(email="ops@hub.example", password="x"))
    taken = client.post(
        reverse("admin:profiles_organisation_add"),
        _organisation_form(**{"domains-0-domain": "NorthMoor.GOV.example"}),
    )
    assert taken.status_code == 200
    assert "already exists" in taken.content.decode()
    twice = client.post(
        reverse("admin:profiles_organisation_add"),
        _organisation_form(
            **{
                "domains-TOTAL_FORMS": "2",
                "domains-0-domain": "Eastwick.gov.example",
                "domains-1-domain": "eastwick.GOV.example",
            }
        ),
    )
    assert twice.status_code == 200
    assert "Please correct the duplicate data" in twice.content.decode()
    assert not Organisation.objects.filter(slug="eastwick").exists()
