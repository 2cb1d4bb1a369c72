"""Presence: who in a community is online now. Each socket keeps a row fresh with its
heartbeat; a person's first socket coming up, or last going away, is announced to the
communities they belong to."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from groups.models import Membership, Presence
from profiles.models import Person
from realtime.events import community_group, envelope
from realtime.publish import publish_on_commit

ONLINE_WINDOW = datetime.timedelta(seconds=60)


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
    # Rows older than the window belong to sockets that died without saying goodbye.
    Presence.objects.filter(last_seen__lt=timezone.now() - ONLINE_WINDOW * 10).delete()
    if not _online_elsewhere(person, channel_name):
        _announce(person, False)
