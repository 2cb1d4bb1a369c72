"""Shared fixtures. State is made by calling actions, as the product does."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from groups import actions as group_actions
from groups.models import Community
from profiles import actions as profile_actions
from profiles.models import Organisation, Person
from realtime.publish import capture_events

from .profiles.identity_providers import OIDCProvider, SAMLProvider


@contextmanager
def sent_events() -> Iterator[list]:
    """Every event broadcast by the block, with the after-commit callbacks run at its end as a
    real commit would run them."""
    from django.test import TestCase

    with capture_events() as captured, TestCase.captureOnCommitCallbacks(execute=True):
        yield captured


def flush_database() -> None:
    """Empty every table after a module-wide network. The search index goes first: its text
    tables are not models, so ``flush`` alone would leave text under ids that, its sequences
    reset, it hands out again (SQLite's FTS5 then refuses the next entry with that id)."""
    import io

    from django.core.management import call_command

    call_command("search_index", "clear", stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)


_counter = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """Run the browser tier last: it is the slowest, and it owns the main thread's event loop
    while Chromium is driven."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


@pytest.fixture
def make_organisation(db) -> Callable[..., Organisation]:
    def make(name: str = "", domain: str = "", region: str = "north-west") -> Organisation:
        n = next(_counter)
        name = name or f"Testshire Council {n}"
        slug = f"org-{n}"
        return profile_actions.organisation_create(
            name=name,
            slug=slug,
            kind=Organisation.Kind.COUNTY,
            region=region,
            domains=[domain or f"org{n}.gov.example"],
        )

    return make


@pytest.fixture
def make_person(db) -> Callable[..., Person]:
    def make(
        name: str = "",
        organisation: Organisation | None = None,
        email: str = "",
        expertise: list[str] | None = None,
        password: str = "a-long-test-password",
    ) -> Person:
        n = next(_counter)
        if not email:
            domain = organisation.domains.first().domain if organisation else "guest.example"
            email = f"person{n}@{domain}"
        person = profile_actions.person_create(
            email=email,
            display_name=name or f"Person {n}",
            password=password,
            email_verified=True,
        )
        if expertise:
            profile_actions.profile_update(
                person=person, display_name=person.display_name, expertise=expertise
            )
        return person

    return make


@pytest.fixture
def organisation(make_organisation) -> Organisation:
    return make_organisation(name="Northmoor County Council", domain="northmoor.gov.example")


@pytest.fixture
def owner(make_person, organisation) -> Person:
    return make_person(name="Olive Owner", organisation=organisation)


@pytest.fixture
def outsider(make_person, make_organisation) -> Person:
    return make_person(name="Oscar Outsider", organisation=make_organisation())


@pytest.fixture
def make_community(owner) -> Callable[..., Community]:
    def make(visibility: str = "open", name: str = "", creator: Person | None = None, **kw):
        n = next(_counter)
        return group_actions.community_create(
            creator=creator or owner,
            name=name or f"{visibility.title()} community {n}",
            visibility=visibility,
            **kw,
        )

    return make


# Real identity providers for federated sign-in (tests/profiles/, tests/browser/), started once per
# session on free ports.
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
