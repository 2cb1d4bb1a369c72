"""Reads about people and organisations. People and organisations are visible to every signed-in
member of the network; the communities shown beside a person obey the viewer's rights."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Organisation, OrganisationIdentityProvider, Person, Topic


def organisation_for_email(email: str) -> Organisation | None:
    """The active organisation that owns this email's domain, or None."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return Organisation.objects.filter(domains__domain=domain, is_active=True).first()


def person_must_set_up_mfa(person: Person) -> bool:
    """Whether this person may use the hub only after turning on two-factor authentication:
    an organisation administrator with a local password, while the setting requires it."""
    from allauth.mfa.models import Authenticator

    from . import app_settings

    return (
        person.is_organisation_admin
        and person.has_usable_password()
        and app_settings.require_mfa_for_organisation_admins()
        and not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    )


def identity_provider_for_email(email: str) -> OrganisationIdentityProvider | None:
    """The identity provider of the active organisation owning this email's domain, or None.
    Callers must answer the same way for an unknown domain and a domain without a provider."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return (
        OrganisationIdentityProvider.objects.select_related("social_app", "organisation")
        .filter(organisation__domains__domain=domain, organisation__is_active=True)
        .first()
    )


def identity_provider_endpoints(
    *, identity_provider: OrganisationIdentityProvider, base_url: str
) -> dict[str, str]:
    """What an organisation's IT team gives its identity provider about the hub."""
    from django.urls import reverse

    base = base_url.rstrip("/")
    slug = identity_provider.social_app.provider_id
    if identity_provider.protocol == OrganisationIdentityProvider.Protocol.OIDC:
        return {
            "Redirect URI": base + reverse("openid_connect_callback", kwargs={"provider_id": slug}),
            "Issuer": identity_provider.social_app.settings.get("server_url", ""),
        }
    metadata = base + reverse("saml_metadata", kwargs={"organization_slug": slug})
    return {
        "SP entity ID": identity_provider.social_app.settings.get("sp", {}).get("entity_id")
        or metadata,
        "ACS URL": base + reverse("saml_acs", kwargs={"organization_slug": slug}),
        "Metadata URL": metadata,
    }


def people_directory(
    *,
    user: Person,
    q: str = "",
    organisation: str = "",
    region: str = "",
    expertise: str = "",
) -> QuerySet[Person]:
    people = Person.objects.filter(is_active=True).select_related("organisation")
    if q:
        people = people.filter(
            Q(display_name__icontains=q)
            | Q(job_title__icontains=q)
            | Q(expertise__name__icontains=q)
        ).distinct()
    if organisation:
        people = people.filter(organisation__slug=organisation)
    if region:
        people = people.filter(organisation__region=region)
    if expertise:
        people = people.filter(expertise__slug=expertise)
    return people.prefetch_related("expertise")


def people_by_emails(emails: list[str]) -> dict[str, Person]:
    """Active members of the network with these (lower-case) emails, by email."""
    return {p.email: p for p in Person.objects.filter(email__in=emails, is_active=True)}


def person_get(*, user: Person, pk: int) -> Person:
    return (
        Person.objects.filter(is_active=True)
        .select_related("organisation")
        .prefetch_related("expertise")
        .get(pk=pk)
    )


def organisations_list(*, user: Person, region: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True).annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    )
    if region:
        organisations = organisations.filter(region=region)
    return organisations.order_by("name")


def organisation_get(*, user: Person, slug: str) -> Organisation:
    return Organisation.objects.prefetch_related("domains").get(slug=slug, is_active=True)


def expertise_topics() -> QuerySet[Topic]:
    """Topics that at least one active person declares, for the people directory's menu."""
    return Topic.objects.filter(experts__is_active=True).distinct().order_by("name")
