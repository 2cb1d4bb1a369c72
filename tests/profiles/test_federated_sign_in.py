"""Federated sign-in over real OpenID Connect providers on 127.0.0.1.

A browser-less client (requests) walks the whole redirect flow: the hub's work-email page, the
council's provider, the hub's callback, and back. Both providers issue ``sub="1"``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from profiles import actions
from profiles.models import Organisation, Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def northmoor(north_idp) -> Organisation:
    organisation = actions.organisation_create(
        name="Northmoor County Council",
        slug="northmoor",
        kind=Organisation.Kind.COUNTY,
        domains=["northmoor.gov.example"],
    )
    actions.organisation_connect_oidc(
        organisation=organisation,
        issuer=north_idp.issuer,
        client_id=north_idp.client_id,
        client_secret=north_idp.client_secret,
    )
    north_idp.set_claims(
        email="nadia.khan@northmoor.gov.example",
        email_verified=True,
        name="Nadia Khan",
        job_title="Head of Housing Options",
    )
    return organisation


@pytest.fixture
def southdale(south_idp) -> Organisation:
    organisation = actions.organisation_create(
        name="Southdale District Council",
        slug="southdale",
        kind=Organisation.Kind.DISTRICT,
        domains=["southdale.gov.example"],
    )
    actions.organisation_connect_oidc(
        organisation=organisation,
        issuer=south_idp.issuer,
        client_id=south_idp.client_id,
        client_secret=south_idp.client_secret,
    )
    south_idp.set_claims(
        email="sam.jones@southdale.gov.example",
        email_verified=True,
        name="Sam Jones",
        job_title="Waste Services Manager",
    )
    return organisation


def start_sign_in(
    browser: requests.Session, hub: str, email: str, next_url: str = "", follow: bool = True
) -> requests.Response:
    """Fill in the hub's work-email page and submit it, as a person would."""
    browser.get(f"{hub}/sign-in/", timeout=30)
    data = {"email": email, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    if next_url:
        data["next"] = next_url
    return browser.post(f"{hub}/sign-in/", data=data, allow_redirects=follow, timeout=30)


def is_signed_in(browser: requests.Session, hub: str) -> bool:
    return browser.get(f"{hub}/profile/edit/", allow_redirects=False, timeout=30).status_code == 200


def test_staff_sign_in_through_their_councils_provider_and_join_it(
    live_server, northmoor, north_idp
):
    north_idp.set_claims(
        email="Nadia.Khan@NorthMoor.gov.example",
        email_verified=True,
        name="Nadia Khan",
        job_title="Head of Housing Options",
    )
    browser = requests.Session()
    response = start_sign_in(browser, live_server.url, "Nadia.Khan@northmoor.gov.example")
    assert response.status_code == 200, response.text[:2000]
    assert response.url == f"{live_server.url}/"
    assert is_signed_in(browser, live_server.url)
    person = Person.objects.get(email="nadia.khan@northmoor.gov.example")
    assert person.organisation == northmoor
    assert person.display_name == "Nadia Khan"
    assert person.job_title == "Head of Housing Options"
    assert person.emailaddress_set.get().verified
    account = SocialAccount.objects.get(user=person)
    assert (account.provider, account.uid) == ("northmoor", "1")
    sent = north_idp.last_authorize()
    assert sent["login_hint"] == "nadia.khan@northmoor.gov.example"
    assert sent["code_challenge_method"] == "S256" and sent["code_challenge"]


def test_same_subject_at_two_councils_gives_two_people(
    live_server, northmoor, southdale, north_idp, south_idp
):
    """Both providers call their user sub="1": the identifiers are per provider, never merged."""
    north_browser, south_browser = requests.Session(), requests.Session()
    start_sign_in(north_browser, live_server.url, "nadia.khan@northmoor.gov.example")
    start_sign_in(south_browser, live_server.url, "sam.jones@southdale.gov.example")
    nadia = Person.objects.get(email="nadia.khan@northmoor.gov.example")
    sam = Person.objects.get(email="sam.jones@southdale.gov.example")
    assert nadia != sam
    assert (nadia.organisation, sam.organisation) == (northmoor, southdale)
    assert sorted(SocialAccount.objects.values_list("provider", "uid")) == [
        ("northmoor", "1"),
        ("southdale", "1"),
    ]
    # And signing in again at each reaches the same person, not the other council's.
    again = requests.Session()
    start_sign_in(again, live_server.url, "sam.jones@southdale.gov.example")
    assert Person.objects.count() == 2


def test_provider_asserting_another_councils_email_is_refused_and_nothing_created(
    live_server, northmoor, southdale, north_idp
):
    north_idp.set_claims(email="sam.jones@southdale.gov.example", email_verified=True, name="X")
    browser = requests.Session()
    response = start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    assert response.status_code == 403
    assert "another organisation" in response.text
    assert not is_signed_in(browser, live_server.url)
    assert not Person.objects.exists()
    assert not SocialAccount.objects.exists()


def test_email_of_a_domain_nobody_owns_is_not_trusted_as_verified(
    live_server, northmoor, north_idp
):
    """The provider decides the organisation; only its own domains count as verified, so an
    address elsewhere must still be verified by mail before the account is used."""
    north_idp.set_claims(email="nadia@home-mail.example", email_verified=True, name="Nadia Khan")
    browser = requests.Session()
    start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    person = Person.objects.get(email="nadia@home-mail.example")
    assert person.organisation == northmoor
    assert not person.emailaddress_set.get().verified
    assert not is_signed_in(browser, live_server.url)


def _authorisation_redirect(browser: requests.Session, hub: str, email: str) -> str:
    """Walk to the provider and stop at its redirect back to the hub's callback."""
    to_provider = start_sign_in(browser, hub, email, follow=False)
    assert to_provider.status_code == 302
    back = browser.get(to_provider.headers["Location"], allow_redirects=False, timeout=30)
    assert back.status_code == 302
    return back.headers["Location"]


def _with_query(url: str, **changes: str | None) -> str:
    parts = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunparse(parts._replace(query=urlencode(query)))


def test_forged_oidc_state_fails(live_server, northmoor, north_idp):
    browser = requests.Session()
    callback = _authorisation_redirect(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    response = browser.get(_with_query(callback, state="forged-state-value"), timeout=30)
    assert "Third-Party Login Failure" in response.text or response.status_code >= 400
    assert not is_signed_in(browser, live_server.url)
    assert not Person.objects.exists()


def test_missing_oidc_state_fails(live_server, northmoor, north_idp):
    browser = requests.Session()
    callback = _authorisation_redirect(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    response = browser.get(_with_query(callback, state=None), timeout=30)
    assert "Third-Party Login Failure" in response.text or response.status_code >= 400
    assert not is_signed_in(browser, live_server.url)
    assert not Person.objects.exists()


def test_callback_from_another_browser_fails(live_server, northmoor, north_idp):
    """A code and state captured from someone else's flow cannot be used in a fresh session."""
    callback = _authorisation_redirect(
        requests.Session(), live_server.url, "nadia.khan@northmoor.gov.example"
    )
    attacker = requests.Session()
    attacker.get(callback, timeout=30)
    assert not is_signed_in(attacker, live_server.url)
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "hostile", ["https://evil.example/steal", "//evil.example/steal", "http:/\\evil.example"]
)
def test_open_redirect_through_next_is_refused(live_server, northmoor, north_idp, hostile):
    browser = requests.Session()
    response = start_sign_in(
        browser, live_server.url, "nadia.khan@northmoor.gov.example", next_url=hostile
    )
    assert response.url == f"{live_server.url}/"
    assert all("evil.example" not in r.headers.get("Location", "") for r in response.history)
    assert is_signed_in(browser, live_server.url)


def test_next_on_the_hub_is_followed_after_sign_in(live_server, northmoor, north_idp):
    browser = requests.Session()
    response = start_sign_in(
        browser, live_server.url, "nadia.khan@northmoor.gov.example", next_url="/communities/"
    )
    assert response.url == f"{live_server.url}/communities/"


def test_disabled_member_is_blocked(live_server, northmoor, north_idp):
    start_sign_in(requests.Session(), live_server.url, "nadia.khan@northmoor.gov.example")
    actions.person_deactivate(person=Person.objects.get(email="nadia.khan@northmoor.gov.example"))
    browser = requests.Session()
    response = start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    assert response.status_code == 403
    assert "disabled" in response.text
    assert not is_signed_in(browser, live_server.url)


def test_disabled_organisation_cannot_sign_in_through_its_provider(
    live_server, northmoor, north_idp
):
    start_sign_in(requests.Session(), live_server.url, "nadia.khan@northmoor.gov.example")
    actions.organisation_disable(organisation=northmoor)
    browser = requests.Session()
    # The work-email page no longer sends anyone there...
    response = start_sign_in(
        browser, live_server.url, "nadia.khan@northmoor.gov.example", follow=False
    )
    assert response.headers["Location"].startswith("/accounts/login/")
    # ...and a sign-in started at the provider's own address is refused on the way back.
    browser.get(f"{live_server.url}/accounts/oidc/northmoor/login/", timeout=30)
    response = browser.post(
        f"{live_server.url}/accounts/oidc/northmoor/login/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=30,
    )
    assert response.status_code == 403
    assert not is_signed_in(browser, live_server.url)


def test_pre_existing_unverified_local_account_is_never_linked(live_server, northmoor, north_idp):
    squatter = actions.person_create(
        email="nadia.khan@northmoor.gov.example",
        display_name="Not Nadia",
        password="a-long-test-password",
        email_verified=False,
    )
    link = northmoor.identity_provider
    link.link_existing_accounts = True  # even with linking on for a migration
    link.save()
    browser = requests.Session()
    response = start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    assert response.status_code == 409
    assert not is_signed_in(browser, live_server.url)
    assert not SocialAccount.objects.exists()
    assert list(Person.objects.all()) == [squatter]


def test_existing_verified_account_is_not_linked_by_email_without_the_migration_switch(
    live_server, northmoor, north_idp
):
    actions.person_create(
        email="nadia.khan@northmoor.gov.example",
        display_name="Nadia Khan",
        password="a-long-test-password",
        email_verified=True,
    )
    browser = requests.Session()
    response = start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    assert response.status_code == 409
    assert not is_signed_in(browser, live_server.url)
    assert not SocialAccount.objects.exists()


def test_migration_switch_links_a_verified_account_of_the_same_organisation(
    live_server, northmoor, north_idp
):
    nadia = actions.person_create(
        email="nadia.khan@northmoor.gov.example",
        display_name="Nadia Khan",
        password="a-long-test-password",
        email_verified=True,
    )
    link = northmoor.identity_provider
    link.link_existing_accounts = True
    link.save()
    browser = requests.Session()
    start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    assert is_signed_in(browser, live_server.url)
    assert SocialAccount.objects.get().user == nadia
    assert Person.objects.count() == 1


def test_sign_in_page_answers_alike_for_unknown_domains_and_domains_without_a_provider(
    live_server, make_organisation
):
    make_organisation(domain="passwords-only.gov.example")
    browser = requests.Session()
    known = start_sign_in(browser, live_server.url, "a@passwords-only.gov.example", follow=False)
    unknown = start_sign_in(browser, live_server.url, "a@nobody-here.example", follow=False)
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"].replace("passwords-only.gov.example", "D") == unknown.headers[
        "Location"
    ].replace("nobody-here.example", "D")
    assert len(known.content) == len(unknown.content)


def test_a_signed_in_person_cannot_attach_a_councils_identity_by_hand(
    live_server, northmoor, north_idp
):
    guest = actions.person_create(
        email="pat@consultancy.example",
        display_name="Pat",
        password="a-long-test-password",
        email_verified=True,
    )
    browser = requests.Session()
    browser.get(f"{live_server.url}/accounts/login/", timeout=30)
    browser.post(
        f"{live_server.url}/accounts/login/",
        data={
            "login": guest.email,
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        timeout=30,
    )
    assert is_signed_in(browser, live_server.url)
    response = browser.post(
        f"{live_server.url}/accounts/oidc/northmoor/login/?process=connect",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=30,
    )
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    guest.refresh_from_db()
    assert guest.organisation is None


def test_provider_that_sends_no_email_is_refused(live_server, northmoor, north_idp):
    north_idp.set_claims(name="Nadia Khan")
    browser = requests.Session()
    response = start_sign_in(browser, live_server.url, "nadia.khan@northmoor.gov.example")
    assert response.status_code == 403
    assert "did not send an email address" in response.text
    assert not Person.objects.exists()
