"""Typed schemas of every event broadcast through the channel layer (as Zulip's event_types).

Each is sent as ``{"type": "hub.event", "event": <one of these>}`` so a consumer needs one
handler, ``hub_event``, that forwards the inner event to its socket."""

from __future__ import annotations

from typing import Any, Literal, TypedDict


class PracticeCommentEvent(TypedDict):
    kind: Literal["practice.comment"]
    op: Literal["created", "edited", "deleted"]
    post: int
    comment: int
    parent: int | None
    author: int | None


class PracticeEndorsementEvent(TypedDict):
    kind: Literal["practice.endorsement"]
    op: Literal["added", "withdrawn"]
    post: int
    person: int
    endorsements: int


class PracticeRepeatEvent(TypedDict):
    kind: Literal["practice.repeat"]
    op: Literal["recorded", "updated"]
    post: int
    organisation: int
    status: str


class PracticePromotionEvent(TypedDict):
    kind: Literal["practice.promotion"]
    op: Literal["promoted", "unpromoted"]
    post: int
    promotion: str


def post_group(post_id: int) -> str:
    """The Channels group of everyone looking at one practice post."""
    return f"practice.post.{post_id}"


def envelope(event: Any) -> dict[str, Any]:
    return {"type": "hub.event", "event": dict(event)}


def conversation_group(conversation_id: int) -> str:
    """The Channels group of every socket subscribed to one conversation."""
    return f"conversation.{conversation_id}"


def person_group(person_id: int) -> str:
    """The Channels group of every socket one person has open (notifications, read marks)."""
    return f"person.{person_id}"


def community_group(community_id: int) -> str:
    """The Channels group for presence and membership changes in one community."""
    return f"community.{community_id}"
