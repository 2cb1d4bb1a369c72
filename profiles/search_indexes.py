"""What of people is searchable: active people, by name, role, organisation and expertise."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from profiles.models import Organisation, Person
from search.index import Facet, SearchableType, SearchDocument, register


def person_document(person: Person) -> SearchDocument | None:
    if not person.is_active:
        return None
    organisation = person.organisation
    facets = []
    if organisation is not None:
        facets.append(Facet("organisation", str(organisation.pk), organisation.name))
        if organisation.region:
            facets.append(Facet("region", organisation.region, organisation.get_region_display()))
    expertise = ", ".join(t.name for t in person.expertise.all())
    return SearchDocument(
        kind="person",
        object_id=person.pk,
        title=person.display_name,
        body="\n".join(
            part
            for part in [person.job_title, organisation.name if organisation else "", expertise]
            if part
        )
        + ("\n" + person.bio if person.bio else ""),
        url=person.get_absolute_url(),
        date=person.date_joined,
        network_wide=True,
        author_ids=(person.pk,),
        facets=tuple(facets),
    )


def _people() -> QuerySet[Person]:
    return (
        Person.objects.select_related("organisation").prefetch_related("expertise").order_by("pk")
    )


def _readable(user: Any) -> QuerySet[Person]:
    if not user.is_authenticated:
        return Person.objects.none()
    return Person.objects.filter(is_active=True).select_related("organisation")


register(
    SearchableType(
        kind="person",
        label="People",
        model=Person,
        document=person_document,
        objects=_people,
        readable=_readable,
        watch=[
            (Organisation, lambda organisation: organisation.people.values_list("pk", flat=True))
        ],
        m2m=[Person.expertise.through],
        order=4,
    )
)
