"""Chromium signs in through a council's real OpenID Connect provider and comes back placed in
that council."""

from __future__ import annotations

from profiles import actions
from profiles.models import Organisation, Person


def test_work_email_sends_chromium_through_the_councils_provider_and_back(
    new_page, live_server, north_idp, transactional_db
):
    northmoor = actions.organisation_create(
        name="Northmoor County Council",
        slug="northmoor",
        kind=Organisation.Kind.COUNTY,
        domains=["northmoor.gov.example"],
    )
    actions.organisation_connect_oidc(
        organisation=northmoor,
        issuer=north_idp.issuer,
        client_id=north_idp.client_id,
        client_secret=north_idp.client_secret,
    )
    north_idp.set_claims(
        email="olu.ade@northmoor.gov.example",
        email_verified=True,
        name="Olu Ade",
        job_title="Community Safety Officer",
    )
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Work email address").fill("olu.ade@northmoor.gov.example")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Welcome, Olu Ade").wait_for()
    assert page.url == f"{live_server.url}/"
    assert north_idp.last_authorize()["login_hint"] == "olu.ade@northmoor.gov.example"
    olu = Person.objects.get(email="olu.ade@northmoor.gov.example")
    assert (olu.organisation, olu.job_title) == (northmoor, "Community Safety Officer")
