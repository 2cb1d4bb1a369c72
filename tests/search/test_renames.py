"""Renaming what a document shows about its context re-indexes the documents that show it:
facet labels never keep an old name. A save that cannot change those fields (a message send
moving a conversation's counter) re-indexes nothing else."""

from __future__ import annotations

import pytest

from groups import actions as group_actions
from search import index as search_index
from search.selectors import search

from .conftest import committed

pytestmark = pytest.mark.django_db


def facet_labels(user, text: str, name: str) -> list[str]:
    return [f.label for f in search(user=user, text=text).facets.get(name, [])]


def test_a_renamed_community_relabels_its_messages_and_posts(make_community, owner, publish, say):
    community = make_community("open", name="Waste leads")
    say(community, "Our kerbside glass trial halved contamination")
    publish(title="Kerbside glass collections", community=community)
    assert facet_labels(owner, "kerbside glass", "community") == ["Waste leads"]
    with committed():
        group_actions.community_update(
            actor=owner,
            community=community,
            name="Waste and recycling leads",
            description="",
            visibility="open",
            topics=[],
        )
    assert facet_labels(owner, "kerbside glass", "community") == ["Waste and recycling leads"]
    counts = {f.label: f.count for f in search(user=owner, text="kerbside").facets["community"]}
    assert counts == {"Waste and recycling leads": 2}


def test_a_renamed_organisation_relabels_its_posts(organisation, owner, publish):
    publish(title="Damp and mould triage", organisations=[organisation])
    assert "Northmoor County Council" in facet_labels(owner, "damp triage", "organisation")
    organisation.name = "Northmoor Council"
    with committed():
        organisation.save()
    assert facet_labels(owner, "damp triage", "organisation") == ["Northmoor Council"]


def test_sending_a_message_indexes_that_message_only(make_community, owner, say, monkeypatch):
    community = make_community("open")
    first = say(community, "The first word on gritting routes")
    indexed: list[tuple[str, list[int]]] = []
    original = search_index.index_objects

    def recording(kind, ids):
        indexed.append((kind, list(ids)))
        return original(kind, ids)

    monkeypatch.setattr(search_index, "index_objects", recording)
    with committed():
        message, _ = group_actions.message_send(
            author=owner, conversation=first.conversation, body="And a second", client_id="m2"
        )
    assert [ids for kind, ids in indexed if kind == "message"] == [[message.pk]]
