"""Presence: who in a community is online now. Each socket keeps a row fresh with its
heartbeat; a person's first socket coming up, or last going away, is announced to the
communities they belong to. A socket whose server process died says no goodbye: its row goes
stale, and the next sweep (run by any live process) removes it and announces the person
offline if they have no other socket."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from groups.models import Membership, Presence
from groups.selectors import ONLINE_WINDOW
from profiles.models import Person
from realtime.events import community_group, envelope
from realtime.publish import publish_on_commit

# The most people one sweep announces offline; the next sweep takes the rest.
SWEEP_LIMIT = 500


def _lock_people(ids: list[int]) -> list[Person]:
    """Lock the people's rows, in id order so that two sweeps cannot deadlock: a person's
    presence changes (connect, disconnect, sweep) are made one at a time, so an announcement
    never contradicts the rows it was decided on. NO KEY: a presence row's insert, which
    takes a key-share lock on its person, is not blocked by it."""
    return list(Person.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))


def _online_elsewhere(person: Person, channel_name: str) -> bool:
    return (
        Presence.objects.filter(person=person, last_seen__gte=timezone.now() - ONLINE_WINDOW)
        .exclude(channel_name=channel_name)
        .exists()
    )


def _announce(people: list[Person], online: bool) -> None:
    memberships = Membership.objects.filter(person__in=people).values_list(
        "person_id", "community_id"
    )
    by_id = {person.pk: person for person in people}
    for person_id, community_id in memberships:
        person = by_id[person_id]
        publish_on_commit(
            community_group(community_id),
            envelope(
                {
                    "type": "presence",
                    "community": community_id,
                    "person": {"id": person.pk, "name": person.display_name},
                    "online": online,
                }
            ),
        )


@transaction.atomic
def presence_connect(*, person: Person, channel_name: str) -> None:
    _lock_people([person.pk])
    first = not _online_elsewhere(person, channel_name)
    Presence.objects.update_or_create(
        channel_name=channel_name, defaults={"person": person, "last_seen": timezone.now()}
    )
    if first:
        _announce([person], True)


@transaction.atomic
def presence_heartbeat(*, person: Person, channel_name: str) -> None:
    updated = Presence.objects.filter(channel_name=channel_name, person=person).update(
        last_seen=timezone.now()
    )
    if not updated:
        # Swept meanwhile (or never stored): the socket comes online again.
        presence_connect(person=person, channel_name=channel_name)


@transaction.atomic
def presence_disconnect(*, person: Person, channel_name: str) -> None:
    _lock_people([person.pk])
    Presence.objects.filter(channel_name=channel_name).delete()
    if not _online_elsewhere(person, channel_name):
        _announce([person], False)


@transaction.atomic
def presence_sweep() -> int:
    """Remove the rows of sockets not seen within the window (their process died or lost its
    database) and announce offline the people left with no fresh row. A row a heartbeat is
    refreshing meanwhile is not removed: PostgreSQL re-checks its time once the heartbeat
    commits. Returns the rows removed."""
    cutoff = timezone.now() - ONLINE_WINDOW
    ids = list(
        Presence.objects.filter(last_seen__lt=cutoff)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()[:SWEEP_LIMIT]
    )
    if not ids:
        return 0
    people = _lock_people(ids)
    removed, _ = Presence.objects.filter(person__in=people, last_seen__lt=cutoff).delete()
    still_online = set(
        Presence.objects.filter(person__in=people).values_list("person_id", flat=True)
    )
    _announce([p for p in people if p.pk not in still_online], False)
    return removed
