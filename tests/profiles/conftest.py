"""Fixtures for federated sign-in: real identity providers started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .identity_providers import OIDCProvider, SAMLProvider


def _oidc_provider(live_server, slug: str) -> Iterator[OIDCProvider]:
    provider = OIDCProvider(
        client_id=f"hub-at-{slug}",
        client_secret=f"secret-of-{slug}-for-tests",
        redirect_uri=f"{live_server.url}/accounts/oidc/{slug}/login/callback/",
    ).start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def north_idp(live_server) -> Iterator[OIDCProvider]:
    """Northmoor County Council's OpenID Connect provider (the org slug is ``northmoor``)."""
    yield from _oidc_provider(live_server, "northmoor")


@pytest.fixture(scope="session")
def south_idp(live_server) -> Iterator[OIDCProvider]:
    """Southdale District Council's OpenID Connect provider (slug ``southdale``)."""
    yield from _oidc_provider(live_server, "southdale")


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[SAMLProvider]:
    """Eastwick Borough Council's SAML IdP (pysaml2; signs with Debian's xmlsec1)."""
    provider = SAMLProvider().start()
    yield provider
    provider.stop()
