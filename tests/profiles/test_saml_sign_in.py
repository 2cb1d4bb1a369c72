"""Federated sign-in over a real SAML 2.0 IdP (pysaml2, signing with xmlsec1) on 127.0.0.1.

The Makefile leaves this module out, saying why, when xmlsec1 cannot be installed."""

from __future__ import annotations

import re
from html import unescape

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from profiles import actions
from profiles.models import Organisation, Person

pytestmark = [pytest.mark.saml, pytest.mark.django_db(transaction=True)]

EMAIL = "erin.price@eastwick.gov.example"


@pytest.fixture
def eastwick(saml_idp) -> Organisation:
    organisation = actions.organisation_create(
        name="Eastwick Borough Council",
        slug="eastwick",
        kind=Organisation.Kind.METROPOLITAN,
        domains=["eastwick.gov.example"],
    )
    actions.organisation_connect_saml(organisation=organisation, metadata_url=saml_idp.metadata_url)
    saml_idp.control(
        mode="normal",
        attributes={"mail": [EMAIL], "displayName": ["Erin Price"], "title": ["Planning Officer"]},
    )
    return organisation


def submit_form(browser: requests.Session, page: requests.Response) -> requests.Response:
    """Do what the IdP page's script does: post its hidden form."""
    assert page.status_code == 200, page.text[:2000]
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text
        )
    }
    return browser.post(action, data=fields, timeout=30)


def is_signed_in(browser: requests.Session, hub: str) -> bool:
    return browser.get(f"{hub}/profile/edit/", allow_redirects=False, timeout=30).status_code == 200


def start_sign_in(browser: requests.Session, hub: str, email: str = EMAIL) -> requests.Response:
    browser.get(f"{hub}/sign-in/", timeout=30)
    return browser.post(
        f"{hub}/sign-in/",
        data={"email": email, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=30,
    )


def assert_refused(browser: requests.Session, hub: str, response: requests.Response) -> None:
    assert response.url != f"{hub}/"
    assert not is_signed_in(browser, hub)
    assert not Person.objects.exists()
    assert not SocialAccount.objects.exists()


def test_staff_sign_in_through_their_councils_saml_idp(live_server, eastwick, saml_idp):
    browser = requests.Session()
    idp_page = start_sign_in(browser, live_server.url)
    assert idp_page.url.startswith(saml_idp.url)
    response = submit_form(browser, idp_page)
    assert response.url == f"{live_server.url}/", response.text[:3000]
    assert is_signed_in(browser, live_server.url)
    person = Person.objects.get(email=EMAIL)
    assert (person.organisation, person.display_name, person.job_title) == (
        eastwick,
        "Erin Price",
        "Planning Officer",
    )
    assert person.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=person).provider == "eastwick"


def test_replayed_saml_response_is_refused(live_server, eastwick, saml_idp):
    browser = requests.Session()
    idp_page = start_sign_in(browser, live_server.url)
    submit_form(browser, idp_page)
    assert is_signed_in(browser, live_server.url)
    # An eavesdropper replays the same response from another browser...
    thief = requests.Session()
    response = submit_form(thief, idp_page)
    assert response.status_code == 403
    assert not is_signed_in(thief, live_server.url)
    # ...and even the same browser cannot use it twice.
    browser.post(
        f"{live_server.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=30,
    )
    assert not is_signed_in(browser, live_server.url)
    assert submit_form(browser, idp_page).status_code == 403
    assert not is_signed_in(browser, live_server.url)
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_key", "Signature validation failed"),
        ("unsigned_assertion", "The Assertion of the Response is not signed"),
        ("expired", "Could not validate timestamp: expired"),
        ("wrong_audience", "is not a valid audience"),
    ],
)
def test_bad_saml_response_is_refused(live_server, eastwick, saml_idp, caplog, mode, reason):
    """Signed with a key not in the metadata, an unsigned assertion inside a signed response,
    an expired assertion, an assertion for another audience: each is refused, for that reason."""
    saml_idp.control(mode=mode)
    browser = requests.Session()
    response = submit_form(browser, start_sign_in(browser, live_server.url))
    assert_refused(browser, live_server.url, response)
    assert reason in caplog.text


def test_idp_initiated_response_with_hostile_relay_state_is_refused(
    live_server, eastwick, saml_idp, caplog
):
    acs = f"{live_server.url}/accounts/saml/eastwick/acs/"
    sp = f"{live_server.url}/accounts/saml/eastwick/metadata/"
    browser = requests.Session()
    page = browser.get(
        f"{saml_idp.url}/idp-initiated",
        params={"sp": sp, "acs": acs, "relay_state": "https://evil.example/steal"},
        timeout=30,
    )
    response = submit_form(browser, page)
    assert "evil.example" not in response.url
    assert all("evil.example" not in r.headers.get("Location", "") for r in response.history)
    assert_refused(browser, live_server.url, response)
    assert "IdP initiated SSO rejected" in caplog.text


def test_saml_idp_asserting_another_councils_email_is_refused(
    live_server, eastwick, saml_idp, make_organisation
):
    make_organisation(domain="westbury.gov.example")
    saml_idp.control(
        attributes={"mail": ["mo@westbury.gov.example"], "displayName": ["Mo"], "title": [""]}
    )
    browser = requests.Session()
    response = submit_form(browser, start_sign_in(browser, live_server.url))
    assert response.status_code == 403
    assert_refused(browser, live_server.url, response)
