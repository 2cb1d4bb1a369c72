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


def _online_elsewhere(person: Person, channel_name: str) -> bool:
    return (
        Presence.objects.filter(person=person, last_seen__gte=timezone.now() - ONLINE_WINDOW)
        .exclude(channel_name=channel_name)
        .exists()
    )


def _announce(person: Person, online: bool) -> None:
    for community_id in Membership.objects.filter(person=person).values_list(
        "community_id", flat=True
    ):
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
    first = not _online_elsewhere(person, channel_name)
    Presence.objects.update_or_create(
        channel_name=channel_name, defaults={"person": person, "last_seen": timezone.now()}
    )
    if first:
        _announce(person, True)


@transaction.atomic
def presence_heartbeat(*, person: Person, channel_name: str) -> None:
    updated = Presence.objects.filter(channel_name=channel_name, person=person).update(
        last_seen=timezone.now()
    )
    if not updated:
        presence_connect(person=person, channel_name=channel_name)


@transaction.atomic
def presence_disconnect(*, person: Person, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()
    if not _online_elsewhere(person, channel_name):
        _announce(person, False)


@transaction.atomic
def presence_sweep() -> int:
    """Remove the rows of sockets not seen within the window (their process died or lost its
    database) and announce offline the people left with no fresh row. Several processes may
    sweep at once: each takes only rows no other sweep has locked. Returns the rows removed."""
    stale = list(
        Presence.objects.select_for_update(skip_locked=True)
        .filter(last_seen__lt=timezone.now() - ONLINE_WINDOW)
        .values_list("pk", "person_id")
    )
    if not stale:
        return 0
    Presence.objects.filter(pk__in=[pk for pk, _ in stale]).delete()
    gone = Person.objects.filter(pk__in={person_id for _, person_id in stale}).exclude(
        presences__last_seen__gte=timezone.now() - ONLINE_WINDOW
    )
    for person in gone:
        _announce(person, False)
    return len(stale)
