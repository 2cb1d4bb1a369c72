"""Every write about people, organisations and the topic vocabulary."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from hub.errors import ActionError, Conflict, NotAllowed

from .models import Organisation, OrganisationDomain, OrganisationIdentityProvider, Person, Topic
from .selectors import organisation_for_email

MAX_TOPICS = 20
_SPACES = re.compile(r"\s+")


def topic_normalise(name: str) -> tuple[str, str]:
    """Return the display name and slug of a topic as typed: one space between words, no case
    difference, so "Damp  and Mould" and "damp and mould" are one topic."""
    display = _SPACES.sub(" ", name).strip()[:60]
    return display, slugify(display)[:60]


def topics_from_names(names: Iterable[str]) -> list[Topic]:
    """The topics for these names, creating any the vocabulary lacks. Blank names are ignored."""
    wanted: dict[str, str] = {}
    for raw in names:
        display, slug = topic_normalise(raw)
        if slug and slug not in wanted:
            wanted[slug] = display
    if len(wanted) > MAX_TOPICS:
        raise ActionError(f"Choose at most {MAX_TOPICS} topics.")
    existing = {t.slug: t for t in Topic.objects.filter(slug__in=wanted)}
    missing = [Topic(slug=s, name=n) for s, n in wanted.items() if s not in existing]
    if missing:
        Topic.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.slug: t for t in Topic.objects.filter(slug__in=wanted)}
    return [existing[s] for s in wanted]


def parse_topic_list(text: str) -> list[str]:
    return [part for part in re.split(r"[,;\n]", text) if part.strip()]


def domain_normalise(domain: str) -> str:
    domain = domain.strip().lower().lstrip("@")
    if not re.fullmatch(
        r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", domain
    ):
        raise ActionError(f"“{domain}” is not an email domain such as example.gov.uk.")
    return domain


@transaction.atomic
def organisation_create(
    *, name: str, slug: str, kind: str, region: str = "", domains: Iterable[str] = ()
) -> Organisation:
    if Organisation.objects.filter(slug=slug).exists():
        raise Conflict(f"An organisation with the slug “{slug}” already exists.")
    organisation = Organisation.objects.create(name=name, slug=slug, kind=kind, region=region)
    for domain in domains:
        organisation_add_domain(organisation=organisation, domain=domain)
    return organisation


def organisation_add_domain(*, organisation: Organisation, domain: str) -> OrganisationDomain:
    domain = domain_normalise(domain)
    owner = OrganisationDomain.objects.filter(domain=domain).select_related("organisation").first()
    if owner is not None:
        if owner.organisation_id == organisation.pk:
            return owner
        raise Conflict(f"The domain {domain} already belongs to {owner.organisation.name}.")
    return OrganisationDomain.objects.create(organisation=organisation, domain=domain)


def person_place_in_organisation(*, person: Person, verified_email: str) -> Organisation | None:
    """Place a person in the organisation that owns the domain of an email they have just
    verified. Precondition: the caller has proven the person controls ``verified_email``."""
    organisation = organisation_for_email(verified_email)
    if organisation is not None and person.organisation_id != organisation.pk:
        person.organisation = organisation
        person.save(update_fields=["organisation"])
    return organisation


@transaction.atomic
def person_create(
    *,
    email: str,
    display_name: str,
    password: str | None = None,
    job_title: str = "",
    email_verified: bool = False,
) -> Person:
    """Create a member of the network with a primary email address. Only a verified email
    places them in the organisation that owns its domain; until then they are a guest."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    if Person.objects.filter(email__iexact=email).exists():
        raise Conflict("An account with this email address already exists.")
    person = Person.objects.create_user(email=email, password=password)
    profile_update(person=person, display_name=display_name, job_title=job_title)
    EmailAddress.objects.create(user=person, email=email, primary=True, verified=email_verified)
    if email_verified:
        person_place_in_organisation(person=person, verified_email=email)
    return person


@transaction.atomic
def profile_update(
    *,
    person: Person,
    display_name: str,
    job_title: str = "",
    bio: str = "",
    expertise: Iterable[str] | None = None,
) -> Person:
    display_name = _SPACES.sub(" ", display_name).strip()
    if not display_name:
        raise ActionError("Give the name colleagues know you by.")
    person.display_name = display_name[:120]
    person.job_title = job_title.strip()[:120]
    person.bio = bio.strip()[:1000]
    person.save(update_fields=["display_name", "job_title", "bio"])
    if expertise is not None:
        person.expertise.set(topics_from_names(expertise))
    return person


def person_set_organisation_admin(*, person: Person, is_admin: bool) -> Person:
    """Make a person an administrator of their organisation on the hub, or stop them being one.
    With a local account they must then turn on two-factor authentication before going on."""
    if is_admin and person.organisation_id is None:
        raise ActionError("Only staff of an organisation can administer it; guests cannot.")
    person.is_organisation_admin = is_admin
    person.save(update_fields=["is_organisation_admin"])
    return person


@transaction.atomic
def person_deactivate(*, person: Person) -> Person:
    """Stop a person signing in; what they vouched for stops counting towards promotion."""
    from practice.actions import reevaluate_promotions_for

    person.is_active = False
    person.save(update_fields=["is_active"])
    reevaluate_promotions_for(person)
    return person


@transaction.atomic
def person_delete(*, person: Person) -> None:
    """Delete an account. Their endorsements go with it, so promotions are re-evaluated."""
    from practice.actions import evaluate_promotion
    from practice.models import PracticePost

    vouched = set(
        PracticePost.objects.filter(endorsements__person=person).values_list("pk", flat=True)
    ) | set(PracticePost.objects.filter(repeats__person=person).values_list("pk", flat=True))
    person.delete()
    for post in PracticePost.objects.filter(pk__in=vouched):
        evaluate_promotion(post)


# Federated sign-in ------------------------------------------------------------------------------
#
# Each organisation's identity provider is one allauth SocialApp whose provider_id is the
# organisation's slug. The rules below decide what a completed sign-in may do; the allauth
# adapters in profiles/adapters.py only call them.


def _social_app_replace(
    *, organisation: Organisation, protocol: str, provider: str, fields: dict[str, Any]
) -> OrganisationIdentityProvider:
    from allauth.socialaccount.models import SocialApp

    link = OrganisationIdentityProvider.objects.filter(organisation=organisation).first()
    if link is not None:
        app = link.social_app
        for name, value in fields.items():
            setattr(app, name, value)
        app.provider = provider
        app.save()
        link.protocol = protocol
        link.save(update_fields=["protocol"])
        return link
    if SocialApp.objects.filter(provider_id=organisation.slug).exists():
        raise Conflict(f"An identity provider named “{organisation.slug}” already exists.")
    app = SocialApp.objects.create(provider=provider, provider_id=organisation.slug, **fields)
    return OrganisationIdentityProvider.objects.create(
        organisation=organisation, social_app=app, protocol=protocol
    )


@transaction.atomic
def organisation_connect_oidc(
    *, organisation: Organisation, issuer: str, client_id: str, client_secret: str
) -> OrganisationIdentityProvider:
    """Connect (or re-point) an organisation's OpenID Connect provider, e.g. Microsoft Entra ID
    with its tenant-specific issuer. PKCE is always on and ``sub`` identifies a person."""
    issuer = issuer.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", issuer):
        raise ActionError(f"“{issuer}” is not an issuer URL such as https://login.example/v2.0.")
    if not client_id.strip() or not client_secret.strip():
        raise ActionError("Give the client ID and client secret the identity provider issued.")
    return _social_app_replace(
        organisation=organisation,
        protocol=OrganisationIdentityProvider.Protocol.OIDC,
        provider="openid_connect",
        fields={
            "name": organisation.name,
            "client_id": client_id.strip(),
            "secret": client_secret.strip(),
            "settings": {
                "server_url": issuer,
                "oauth_pkce_enabled": True,
                "uid_field": "sub",
                "fetch_userinfo": True,
            },
        },
    )


@transaction.atomic
def organisation_connect_saml(
    *, organisation: Organisation, metadata_url: str = "", metadata_xml: str = ""
) -> OrganisationIdentityProvider:
    """Connect (or re-point) an organisation's SAML 2.0 identity provider (ADFS and others) from
    its metadata, by URL (fetched at each sign-in) or as a document (read now). Assertions must
    be signed; sign-in starts at the hub only (IdP-initiated responses are refused)."""
    idp: dict[str, Any]
    if metadata_url:
        if not re.fullmatch(r"https?://\S+", metadata_url.strip()):
            raise ActionError(f"“{metadata_url}” is not a metadata URL.")
        idp = {"metadata_url": metadata_url.strip(), "entity_id": ""}
    elif metadata_xml:
        idp = saml_idp_from_metadata(metadata_xml)
    else:
        raise ActionError("Give the identity provider's metadata, by URL or as a file.")
    return _social_app_replace(
        organisation=organisation,
        protocol=OrganisationIdentityProvider.Protocol.SAML,
        provider="saml",
        fields={
            "name": organisation.name,
            "client_id": organisation.slug,
            "secret": "",
            "settings": {
                "idp": idp,
                "attribute_mapping": SAML_ATTRIBUTE_MAPPING,
                "advanced": {
                    "strict": True,
                    "want_assertion_signed": True,
                    "want_message_signed": False,
                    "reject_idp_initiated_sso": True,
                    "reject_deprecated_algorithm": True,
                },
            },
        },
    )


# Claims as ADFS and Entra ID send them, then the standard OIDs.
SAML_ATTRIBUTE_MAPPING = {
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "email",
    ],
    "name": [
        "http://schemas.microsoft.com/identity/claims/displayname",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "urn:oid:2.16.840.1.113730.3.1.241",
        "displayName",
    ],
    "first_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "urn:oid:2.5.4.42",
        "givenName",
    ],
    "last_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "urn:oid:2.5.4.4",
        "sn",
    ],
    "job_title": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/title",
        "urn:oid:2.5.4.12",
        "title",
    ],
}


def saml_idp_from_metadata(metadata_xml: str) -> dict[str, Any]:
    """The entity ID, sign-in URL and signing certificate from an IdP metadata document."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata_xml).get("idp", {})
    except Exception as error:  # the parser raises bare Exceptions on bad XML
        raise ActionError(f"The metadata could not be read: {error}") from error
    cert = parsed.get("x509cert") or (parsed.get("x509certMulti", {}).get("signing") or [""])[0]
    sso = parsed.get("singleSignOnService", {}).get("url", "")
    if not (parsed.get("entityId") and sso and cert):
        raise ActionError(
            "The metadata lacks an entity ID, a sign-in URL or a signing certificate."
        )
    return {"entity_id": parsed["entityId"], "sso_url": sso, "x509cert": cert}


@transaction.atomic
def organisation_disable(*, organisation: Organisation) -> Organisation:
    """Stop everyone of an organisation signing in, by password or through its provider."""
    organisation.is_active = False
    organisation.save(update_fields=["is_active"])
    return organisation


@dataclass(frozen=True)
class FederatedSignIn:
    """What a completed federated sign-in may do: which organisation it is for, which of the
    asserted emails are trusted as verified, and the existing person to link, if any."""

    organisation: Organisation
    verified_emails: frozenset[str]
    link_to: Person | None = None


def federated_sign_in_vet(
    *,
    provider_id: str,
    emails: Iterable[str],
    existing_person: Person | None,
    connecting: bool = False,
) -> FederatedSignIn:
    """Apply the trust rules to a sign-in an identity provider has just completed, before
    anything is written. The provider decides the organisation, never the email.
    ``connecting`` is true when a signed-in person asked to attach the provider's account to
    theirs: only an organisation's migration switch joins accounts, so that is refused."""
    from allauth.account.models import EmailAddress

    if connecting:
        raise NotAllowed(
            "An organisation's sign-in cannot be attached to an existing account by hand. "
            "Sign out, then sign in with your work email."
        )

    link = (
        OrganisationIdentityProvider.objects.select_related("organisation")
        .filter(social_app__provider_id=provider_id)
        .first()
    )
    if link is None:
        raise NotAllowed("This identity provider is not connected to any organisation.")
    organisation = link.organisation
    if not organisation.is_active:
        raise NotAllowed(f"{organisation.name} cannot sign in to the hub at the moment.")
    emails = [e.strip().lower() for e in emails if e]
    if not emails:
        raise NotAllowed(
            f"{organisation.name}'s identity provider did not send an email address, so you "
            "were not signed in. Ask your IT team to release the email claim to the hub."
        )
    owners = dict(
        OrganisationDomain.objects.filter(
            domain__in=[e.rsplit("@", 1)[-1] for e in emails]
        ).values_list("domain", "organisation_id")
    )
    verified = set()
    for email in emails:
        owner = owners.get(email.rsplit("@", 1)[-1])
        if owner is not None and owner != organisation.pk:
            raise NotAllowed(
                f"{organisation.name}'s identity provider gave an email address of another "
                "organisation, so you were not signed in. Ask your IT team to check the email "
                "it sends."
            )
        if owner == organisation.pk:
            verified.add(email)
    if existing_person is not None:
        if not existing_person.is_active:
            raise NotAllowed("This account is disabled.")
        return FederatedSignIn(organisation=organisation, verified_emails=frozenset(verified))

    holder = (
        Person.objects.filter(emailaddress__email__in=emails).first()
        or Person.objects.filter(email__in=emails).first()
    )
    if holder is None:
        return FederatedSignIn(organisation=organisation, verified_emails=frozenset(verified))
    may_link = (
        link.link_existing_accounts
        and holder.is_active
        and holder.organisation_id == organisation.pk
        and EmailAddress.objects.filter(
            user=holder, email__in=verified & set(emails), verified=True
        ).exists()
    )
    if not may_link:
        raise Conflict(
            "An account with this email address already exists and is not connected to "
            f"{organisation.name}'s sign-in. Sign in with your password, or ask your "
            "organisation to turn on account linking."
        )
    return FederatedSignIn(
        organisation=organisation, verified_emails=frozenset(verified), link_to=holder
    )


def _claim(claims: dict[str, Any], *names: str) -> str:
    for name in names:
        value = claims.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value:
            return str(value).strip()
    return ""


@transaction.atomic
def person_join_from_identity_provider(
    *, person: Person, organisation: Organisation, claims: dict[str, Any]
) -> Person:
    """Just-in-time membership: place a person an organisation's provider has just created in
    that organisation, with the name and job title its claims give."""
    person.organisation = organisation
    person.save(update_fields=["organisation"])
    given = _claim(claims, "given_name", "first_name")
    family = _claim(claims, "family_name", "last_name")
    name = _claim(claims, "name", "displayName") or " ".join(p for p in (given, family) if p)
    return profile_update(
        person=person,
        display_name=name or person.email.split("@", 1)[0],
        job_title=_claim(claims, "job_title", "jobTitle", "title"),
    )
