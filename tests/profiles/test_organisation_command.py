"""`manage.py organisation add/show/disable`: onboarding an organisation at run time."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.test import override_settings

from profiles.models import Organisation

pytestmark = pytest.mark.django_db


def organisation(*args: str) -> str:
    out = io.StringIO()
    call_command("organisation", *args, stdout=out)
    return out.getvalue()


def idp_metadata(entity_id: str, sso_url: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "adfs.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    body = "".join(cert.public_bytes(serialization.Encoding.PEM).decode().splitlines()[1:-1])
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{body}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{sso_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@override_settings(HUB_BASE_URL="https://hub.example.gov.uk")
def test_add_with_an_oidc_issuer_prints_the_redirect_uri_to_register():
    out = organisation(
        "add",
        "northmoor",
        "--name",
        "Northmoor County Council",
        "--domain",
        "northmoor.gov.example",
        "--domain",
        "northmoor-schools.example",
        "--oidc-issuer",
        "https://login.microsoftonline.com/1111-2222/v2.0",
        "--client-id",
        "client-1",
        "--client-secret",
        "secret-1",
    )
    assert "Redirect URI: https://hub.example.gov.uk/accounts/oidc/northmoor/login/callback/" in out
    app = SocialApp.objects.get(provider_id="northmoor")
    assert app.provider == "openid_connect"
    assert app.settings["server_url"] == "https://login.microsoftonline.com/1111-2222/v2.0"
    assert app.settings["oauth_pkce_enabled"] is True
    assert app.settings["uid_field"] == "sub"
    org = Organisation.objects.get(slug="northmoor")
    assert org.identity_provider.social_app == app
    assert sorted(org.domains.values_list("domain", flat=True)) == [
        "northmoor-schools.example",
        "northmoor.gov.example",
    ]


@override_settings(HUB_BASE_URL="https://hub.example.gov.uk")
def test_add_with_a_saml_metadata_file_prints_what_adfs_needs(tmp_path: Path):
    metadata = tmp_path / "FederationMetadata.xml"
    metadata.write_text(
        idp_metadata("http://adfs.eastwick.example/adfs/services/trust", "https://adfs/ls/")
    )
    out = organisation(
        "add",
        "eastwick",
        "--name",
        "Eastwick Borough Council",
        "--domain",
        "eastwick.gov.example",
        "--saml-metadata-file",
        str(metadata),
    )
    assert "SP entity ID: https://hub.example.gov.uk/accounts/saml/eastwick/metadata/" in out
    assert "ACS URL: https://hub.example.gov.uk/accounts/saml/eastwick/acs/" in out
    assert "Metadata URL: https://hub.example.gov.uk/accounts/saml/eastwick/metadata/" in out
    settings = SocialApp.objects.get(provider_id="eastwick").settings
    assert settings["idp"]["entity_id"] == "http://adfs.eastwick.example/adfs/services/trust"
    assert settings["idp"]["sso_url"] == "https://adfs/ls/"
    assert settings["advanced"]["want_assertion_signed"] is True
    assert settings["advanced"]["reject_idp_initiated_sso"] is True


def test_add_refuses_a_domain_of_another_organisation():
    organisation("add", "northmoor", "--name", "Northmoor", "--domain", "northmoor.gov.example")
    with pytest.raises(CommandError, match="already belongs to Northmoor"):
        organisation("add", "copycat", "--name", "Copycat", "--domain", "NORTHMOOR.gov.example")


def test_add_refuses_unreadable_metadata(tmp_path: Path):
    bad = tmp_path / "metadata.xml"
    bad.write_text("<not-metadata/>")
    with pytest.raises(CommandError, match="metadata"):
        organisation(
            "add", "eastwick", "--name", "E", "--domain", "e.gov.example",
            "--saml-metadata-file", str(bad),
        )  # fmt: skip


def test_add_refuses_two_kinds_of_provider_at_once():
    with pytest.raises(CommandError, match="Choose one"):
        organisation(
            "add", "x", "--name", "X", "--domain", "x.gov.example",
            "--oidc-issuer", "https://idp.example", "--saml-metadata-url", "https://idp.example/m",
        )  # fmt: skip


def test_add_again_repoints_the_provider_without_a_second_app():
    base = ["add", "northmoor", "--name", "Northmoor", "--domain", "northmoor.gov.example"]
    organisation(
        *base, "--oidc-issuer", "https://a.example", "--client-id", "a", "--client-secret", "s"
    )
    organisation(
        *base, "--oidc-issuer", "https://b.example", "--client-id", "b", "--client-secret", "s"
    )
    app = SocialApp.objects.get()
    assert (app.client_id, app.settings["server_url"]) == ("b", "https://b.example")


def test_show_for_an_organisation_without_a_provider_says_local_accounts():
    organisation("add", "westbury", "--name", "Westbury", "--domain", "westbury.gov.example")
    assert "Sign-in: local accounts" in organisation("show", "westbury")


def test_disable_stops_the_organisation():
    organisation("add", "westbury", "--name", "Westbury", "--domain", "westbury.gov.example")
    organisation("disable", "westbury")
    assert not Organisation.objects.get(slug="westbury").is_active
    assert "Active: no" in organisation("show", "westbury")


def test_show_of_an_unknown_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="No organisation"):
        organisation("show", "nowhere")
