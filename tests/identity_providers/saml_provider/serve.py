"""A real SAML 2.0 identity provider for the sign-in tests: pysaml2 in its own process.

Configured by the environment: IDP_PORT and IDP_WORKDIR (where it writes the signing keys it
makes at start). It publishes its metadata at ``/metadata`` and answers HTTP-Redirect
AuthnRequests at ``/sso/redirect`` with an auto-submitting HTTP-POST form, signed with RSA-SHA256
and SHA-256 digests, naming the person with the persistent NameID "1".

``POST /control`` (JSON) sets the attributes and how the next responses misbehave, for the
security tests: ``mode`` is one of ``normal``, ``wrong_key`` (signed with a key that is not in
the metadata), ``unsigned_assertion`` (response signed, assertion not), ``expired`` and
``wrong_audience``. ``GET /idp-initiated?sp=ENTITY&acs=URL&relay_state=...`` posts an
unsolicited response, as an IdP-initiated sign-in would."""

from __future__ import annotations

import datetime
import html
import json
import os
import sys
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT, saml, samlp, xmldsig
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import decode_base64_and_inflate
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

PORT = int(os.environ["IDP_PORT"])
WORKDIR = Path(os.environ["IDP_WORKDIR"])
BASE = f"http://127.0.0.1:{PORT}"
ENTITY_ID = f"{BASE}/metadata"

STATE: dict[str, object] = {
    "mode": "normal",
    "attributes": {
        "mail": ["staff@example.gov.uk"],
        "displayName": ["A Member of Staff"],
        "title": ["Officer"],
    },
}


def make_key_pair(name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test idp {name}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = WORKDIR / f"{name}.key", WORKDIR / f"{name}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


def make_server_for(key_file: str, cert_file: str, lifetime_minutes: int) -> Server:
    config = IdPConfig()
    config.load(
        {
            "entityid": ENTITY_ID,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "key_file": key_file,
            "cert_file": cert_file,
            "metadata": {},
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
        }
    )
    return Server(config=config)


GOOD = make_key_pair("good")
WRONG = make_key_pair("wrong")
IDP = make_server_for(*GOOD, lifetime_minutes=15)
EXPIRED_IDP = make_server_for(*GOOD, lifetime_minutes=-10)
WRONG_KEY_IDP = make_server_for(*WRONG, lifetime_minutes=15)
METADATA = create_metadata_string(None, IDP.config, valid=24, sign=False).decode()


OTHER_AUDIENCE = "https://someone-else.example/saml"
KNOWN_SPS: set[str] = set()


def know_sp(entity_id: str) -> None:
    """Load the SP's metadata (the hub publishes it at its entity ID), and a copy under another
    entity ID for the wrong-audience case: pysaml2 only answers SPs it has metadata for."""
    if entity_id in KNOWN_SPS:
        return
    with urllib.request.urlopen(entity_id, timeout=10) as response:  # noqa: S310 - 127.0.0.1
        xml = response.read().decode()
    for server in (IDP, EXPIRED_IDP, WRONG_KEY_IDP):
        server.metadata.load("inline", xml)
        server.metadata.load("inline", xml.replace(entity_id, OTHER_AUDIENCE))
    KNOWN_SPS.add(entity_id)


def authn_response(*, in_response_to: str | None, acs: str, sp_entity_id: str) -> str:
    know_sp(sp_entity_id)
    mode = STATE["mode"]
    server = {"expired": EXPIRED_IDP, "wrong_key": WRONG_KEY_IDP}.get(str(mode), IDP)
    audience = OTHER_AUDIENCE if mode == "wrong_audience" else sp_entity_id
    response = server.create_authn_response(
        identity=STATE["attributes"],
        in_response_to=in_response_to,
        destination=acs,
        sp_entity_id=audience,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text="1"),
        authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": ENTITY_ID},
        sign_response=True,
        sign_assertion=mode != "unsigned_assertion",
        sign_alg=xmldsig.SIG_RSA_SHA256,
        digest_alg=xmldsig.DIGEST_SHA256,
    )
    return str(response)


def post_form(acs: str, saml_response: str, relay_state: str) -> bytes:
    import base64

    encoded = base64.b64encode(saml_response.encode()).decode()
    return (
        "<!doctype html><html><body>"
        f'<form method="post" action="{html.escape(acs)}">'
        f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<input type="submit" value="Continue"></form>'
        "<script>document.forms[0].submit()</script></body></html>"
    ).encode()


def app(environ, start_response):  # type: ignore[no-untyped-def]
    path = environ["PATH_INFO"]
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    try:
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [METADATA.encode()]
        if path == "/control":
            if environ["REQUEST_METHOD"] == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                STATE.update(json.loads(environ["wsgi.input"].read(length)))
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(STATE).encode()]
        if path == "/sso/redirect":
            # Parsed by hand: pysaml2's parser wants the SP in its metadata, and this IdP
            # trusts any SP on 127.0.0.1.
            request = samlp.authn_request_from_string(
                decode_base64_and_inflate(query["SAMLRequest"])
            )
            body = post_form(
                request.assertion_consumer_service_url,
                authn_response(
                    in_response_to=request.id,
                    acs=request.assertion_consumer_service_url,
                    sp_entity_id=request.issuer.text,
                ),
                query.get("RelayState", ""),
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body]
        if path == "/idp-initiated":
            body = post_form(
                query["acs"],
                authn_response(in_response_to=None, acs=query["acs"], sp_entity_id=query["sp"]),
                query.get("relay_state", ""),
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body]
    except Exception as error:  # a test IdP: show the tests what went wrong
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        return [repr(error).encode()]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # type: ignore[no-untyped-def]
        pass


if __name__ == "__main__":
    server = make_server("127.0.0.1", PORT, app, ThreadingServer, QuietHandler)
    print(f"SAML identity provider listening on {PORT}", file=sys.stderr, flush=True)
    server.serve_forever()
