"""Ephemeral realtime notices: nothing is stored, so they are sent at once, not after a commit."""

from __future__ import annotations

from channels.layers import get_channel_layer

from profiles.models import Person

from .events import conversation_group, envelope


async def typing_notice(*, person: Person, conversation_id: int) -> None:
    """Tell a conversation's subscribers that ``person`` is typing. Precondition: the caller
    has checked that the person may read the conversation."""
    layer = get_channel_layer()
    if layer is None:
        return
    group = conversation_group(conversation_id)
    await layer.group_send(
        group,
        {"group": group}
        | envelope(
            {
                "type": "typing",
                "conversation": conversation_id,
                "person": {"id": person.pk, "name": person.display_name},
            }
        ),
    )
