"""Every write about people, organisations and the topic vocabulary."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from hub.errors import ActionError, Conflict

from .models import Organisation, OrganisationDomain, Person, Topic
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
