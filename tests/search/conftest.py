"""Search test helpers: state is made by the product's actions, and after-commit indexing runs
as a real commit would run it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.test import TestCase

from groups import actions as group_actions
from groups.models import Community, Membership
from practice import actions as practice_actions
from practice.models import PracticePost
from profiles.models import Person

_ids = itertools.count(1)


@contextmanager
def committed() -> Iterator[None]:
    """Run the block's after-commit callbacks (search indexing among them) at its end."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def add_member(owner: Person, community: Community, person: Person) -> Membership:
    """Bring ``person`` into ``community`` the way its visibility allows."""
    with committed():
        if community.visibility == "open":
            return group_actions.community_join(person=person, community=community)
        invitation = group_actions.invitation_create(
            actor=owner, community=community, person=person
        )
        group_actions.invitation_respond(person=person, invitation=invitation, accept=True)
    return Membership.objects.get(community=community, person=person)


@pytest.fixture
def publish(owner) -> Callable[..., PracticePost]:
    def make(author: Person | None = None, publish: bool = True, **fields: object) -> PracticePost:
        values: dict[str, object] = {
            "title": "Cutting temporary accommodation costs",
            "summary": "We moved families out of bed and breakfasts faster.",
            "service_area": "housing",
            **fields,
        }
        with committed():
            return practice_actions.post_create(author=author or owner, publish=publish, **values)

    return make


@pytest.fixture
def say(owner) -> Callable[..., object]:
    """Start a conversation in a community with a first message; returns the message."""

    def make(community: Community, body: str, author: Person | None = None) -> object:
        with committed():
            _, message = group_actions.conversation_create(
                author=author or owner,
                community=community,
                title=f"Thread {next(_ids)}",
                body=body,
                client_id=f"client-{next(_ids)}",
            )
        return message

    return make
