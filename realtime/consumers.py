"""The one WebSocket of a browser tab. It only translates the protocol: connect() checks the
session, receive_json() validates a frame and calls an action or a selector, and the event
handler forwards broadcasts in sequence order, filling any gap from the database."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.sessions import InstanceSessionWrapper
from uvicorn.protocols.utils import ClientDisconnected

from groups import actions as group_actions
from groups import selectors as group_selectors
from groups.models import Conversation, Message
from hub.errors import ActionError

from . import protocol, ratelimit
from .actions import typing_notice
from .db import database_sync_to_async
from .events import community_group, conversation_group, person_group
from .fanout import (
    GROUP_REFRESH_SECONDS,
    INBOX_LIMIT,
    LAYER_LOST,
    RESYNC,
    fanout,
    receive_forever,
    run_eagerly,
)

logger = logging.getLogger(__name__)

ERROR_CODES = {400: "invalid", 403: "not_allowed", 404: "not_found", 409: "conflict"}
TYPING_INTERVAL_SECONDS = 3.0
# How often a process removes presence rows left by dead processes (see frame_ping).
PRESENCE_SWEEP_SECONDS = 30.0
# Conversation broadcasts that carry no place in the conversation's sequence.
UNSEQUENCED = frozenset({"typing", "presence", "read", "notification", "access.check"})


@dataclass
class Subscription:
    community_id: int
    last_sent: int
    # Read when the subscription was checked; sends use it instead of reading it again (an
    # action still checks membership on every send).
    conversation: Conversation | None = None


def _readable_conversation(user: Any, pk: int) -> Conversation:
    try:
        return group_selectors.conversation_get(user=user, pk=pk)
    except Conversation.DoesNotExist:
        raise protocol.ProtocolError("not_found", "There is no such conversation.") from None


def _readable_message(user: Any, pk: int) -> Message:
    message = group_selectors.message_readable(user=user, pk=pk)
    if message is None:
        raise protocol.ProtocolError("not_found", "There is no such message.")
    return message


def _subscribe_state(
    user: Any, pk: int, last_seq: int | None
) -> tuple[Conversation, list, bool, list]:
    conversation = _readable_conversation(user, pk)
    online = group_selectors.online_in_community(user=user, community=conversation.community)
    if last_seq is None:
        return conversation, [], False, online
    events, more = group_selectors.events_after(
        user=user, conversation=conversation, after_seq=last_seq
    )
    return conversation, events, more, online


def _still_readable(user: Any, conversation_ids: list[int]) -> set[int]:
    return set(
        group_selectors.conversations_readable(user=user)
        .filter(pk__in=conversation_ids)
        .values_list("pk", flat=True)
    )


class HubConsumer(AsyncJsonWebsocketConsumer):
    """Messages from the socket, from the channel layer (this socket's person and community
    groups) and from the process's fan-out (its conversations) all go through one inbox and
    are handled one at a time, in arrival order, as Channels' own consumer loop does."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Channels' AsyncConsumer.__call__, with one queue instead of a task per message per
        # source, so the fan-out can hand broadcasts straight to this socket.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.base_send = send
        self.send_broadcast = _beneath_session_middleware(send)
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.resync_pending = False
        self.idle = False
        pumps = [
            asyncio.create_task(self._pump(receive)),
            asyncio.create_task(self._pump_layer()),
            asyncio.create_task(self._refresh_groups()),
        ]
        try:
            while True:
                self.idle = True
                message = await self.inbox.get()
                self.idle = False
                if message["type"] == "hub.failed":
                    raise message["error"]
                await self.dispatch(message)
        except StopConsumer:
            pass
        finally:
            for pump in pumps:
                pump.cancel()
            for conversation_id in list(getattr(self, "subscriptions", {})):
                await fanout().leave(conversation_group(conversation_id), self)

    async def _pump(self, source: Any) -> None:
        try:
            while True:
                self.inbox.put_nowait(await source())
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.inbox.put_nowait({"type": "hub.failed", "error": error})

    async def _pump_layer(self) -> None:
        """This socket's channel-layer messages (its person's notifications, its communities'
        access checks). A channel layer that fails for a moment does not end the socket: after
        each failure it re-checks its access and catches up from the database."""

        async def recheck() -> None:
            self.inbox.put_nowait(LAYER_LOST)

        await receive_forever(
            self.channel_layer, self.channel_name, self.inbox.put_nowait, recheck, "A socket"
        )

    async def _refresh_groups(self) -> None:
        """A socket open for days keeps its person's and its communities' groups (see
        GROUP_REFRESH_SECONDS)."""
        while True:
            await asyncio.sleep(GROUP_REFRESH_SECONDS)
            user = getattr(self, "user", None)
            if user is None:
                continue
            groups = [person_group(user.pk)]
            groups += [
                community_group(c) for c in {s.community_id for s in self.subscriptions.values()}
            ]
            try:
                for group in groups:
                    await self.channel_layer.group_add(group, self.channel_name)
            except Exception:
                logger.warning("A socket could not refresh its groups", exc_info=True)

    def deliver(self, message: dict[str, Any]) -> None:
        """Called by the fan-out for each broadcast of a subscribed conversation."""
        if self.idle and self.inbox.empty() and self._forward_now(message):
            return
        if self.inbox.qsize() >= INBOX_LIMIT:
            # A socket this far behind catches up from the database instead.
            if not self.resync_pending:
                self.resync_pending = True
                self.inbox.put_nowait(RESYNC)
            return
        self.inbox.put_nowait(message)

    def _forward_now(self, message: dict[str, Any]) -> bool:
        """The common case without a hop through the inbox: this socket is idle, nothing is
        queued for it, and the broadcast is the next event of a conversation it follows. Sends
        it at once and says True; says False when the inbox loop must handle it (a gap to fill
        from the database, typing, anything that is not the next event in sequence)."""
        event = message.get("event")
        text = message.get("text")
        if not isinstance(event, dict) or text is None or event.get("type") in UNSEQUENCED:
            return False
        sub = self.subscriptions.get(event.get("conversation"))  # type: ignore[arg-type]
        seq = event.get("seq")
        if sub is None or not isinstance(seq, int) or seq != sub.last_sent + 1:
            return False
        sub.last_sent = seq
        run_eagerly(self.send_broadcast({"type": "websocket.send", "text": text}), self._failed)
        return True

    def _failed(self, error: BaseException) -> None:
        # The socket is gone: end the consumer through its loop, as a failed receive does.
        self.inbox.put_nowait({"type": "hub.failed", "error": error})

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Frames and broadcasts are handled without Channels' per-message "close old database
        # connections" hop to the database thread: these handlers touch the database only
        # through realtime.db's database_sync_to_async, which looks after connections itself
        # (the hop also reset Django's health check, so every frame paid a SELECT 1).
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
            return
        if message["type"] == "hub.event":
            await self.hub_event(message)
            return
        if message["type"] == "hub.resync":
            await self.hub_resync()
            return
        if message["type"] == LAYER_LOST["type"]:
            for community_id in {sub.community_id for sub in self.subscriptions.values()}:
                await self._recheck_access(community_id)
            await self.hub_resync()
            return
        await super().dispatch(message)

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.subscriptions: dict[int, Subscription] = {}
        self.typing_sent: dict[int, float] = {}
        await self.accept()
        if user is None or not user.is_authenticated or not user.is_active:
            await self.send_json(protocol.error("unauthenticated", "Sign in to go live."))
            await self.close(code=4401)
            return
        self.user = user
        await self.channel_layer.group_add(person_group(user.pk), self.channel_name)
        await database_sync_to_async(group_actions.presence_connect)(
            person=user, channel_name=self.channel_name
        )
        await self.send_json(
            {
                "v": protocol.VERSION,
                "type": "hello",
                "person": user.pk,
                "limits": {
                    "message_chars": group_actions.MESSAGE_MAX_CHARS,
                    "catch_up": group_selectors.CATCH_UP_LIMIT,
                },
            }
        )

    async def disconnect(self, code: int) -> None:
        user = getattr(self, "user", None)
        if user is None:
            return
        await self.channel_layer.group_discard(person_group(user.pk), self.channel_name)
        for conversation_id, sub in list(self.subscriptions.items()):
            await self._leave(conversation_id, sub)
        await database_sync_to_async(group_actions.presence_disconnect)(
            person=user, channel_name=self.channel_name
        )

    # ---- client frames ------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            await self._receive_frame(text_data)
        except ClientDisconnected:
            # The browser went away while its frame was answered: nothing to tell anyone.
            logger.debug("A socket closed while its frame was answered")

    async def _receive_frame(self, text_data: str | None) -> None:
        if not hasattr(self, "user"):
            return
        # Every frame counts, malformed ones too: a flood of them must not pass unlimited.
        wait = ratelimit.take(self.user.pk)
        if wait:
            await self.send_json(
                protocol.error(
                    "rate_limited",
                    "Too many frames: slow down.",
                    _ref_in(text_data),
                    retry_after=math.ceil(wait * 100) / 100,
                )
            )
            return
        if text_data is None:
            await self.send_json(protocol.error("bad_frame", "Frames are JSON text."))
            return
        if (
            len(text_data) > protocol.MAX_FRAME_BYTES
            or len(text_data.encode()) > protocol.MAX_FRAME_BYTES
        ):
            await self.send_json(
                protocol.error(
                    "too_long", f"Frames are limited to {protocol.MAX_FRAME_BYTES} bytes."
                )
            )
            return
        try:
            data = json.loads(text_data)
        except ValueError:
            await self.send_json(protocol.error("bad_json", "That frame is not valid JSON."))
            return
        await self.receive_json(data)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            frame = protocol.parse(content)
            await getattr(self, f"frame_{frame.type}")(frame)
        except protocol.ProtocolError as problem:
            await self.send_json(protocol.error(problem.code, problem.message, _ref(content)))
        except ActionError as refusal:
            code = ERROR_CODES.get(refusal.status, "invalid")
            await self.send_json(protocol.error(code, refusal.message, _ref(content)))
        except ClientDisconnected:
            raise  # no answer can reach it (see receive)
        except Exception:
            logger.exception("Realtime frame failed")
            await self.send_json(
                protocol.error("internal", "Something went wrong; nothing was lost.", _ref(content))
            )

    async def frame_ping(self, frame: protocol.Frame) -> None:
        """Also the heartbeat that keeps the person shown as online, and the clock of this
        process's presence sweep (see groups/actions/presence.py)."""
        await database_sync_to_async(group_actions.presence_heartbeat)(
            person=self.user, channel_name=self.channel_name
        )
        if _presence_sweep_due():
            try:
                await database_sync_to_async(group_actions.presence_sweep)()
            except Exception:
                logger.warning("The presence sweep failed; the next one retries", exc_info=True)
        await self.send_json({"v": protocol.VERSION, "type": "pong", "ref": frame.ref})

    async def frame_subscribe(self, frame: protocol.Frame) -> None:
        conversation_id = frame.int_field("conversation", minimum=1)
        last_seq = frame.int_field("last_seq") if frame.data.get("last_seq") is not None else None
        # Join the group before reading the log, so nothing committed in between is missed;
        # anything seen twice is dropped by sequence number.
        await fanout().join(conversation_group(conversation_id), self)
        try:
            conversation, events, more, online = await database_sync_to_async(_subscribe_state)(
                self.user, conversation_id, last_seq
            )
        except protocol.ProtocolError:
            # Not (or no longer) readable: a subscription held from before ends here too.
            sub = self.subscriptions.pop(conversation_id, None)
            if sub is not None:
                await self._leave(conversation_id, sub)
            else:
                await fanout().leave(conversation_group(conversation_id), self)
            raise
        await self.channel_layer.group_add(
            community_group(conversation.community_id), self.channel_name
        )
        sub = Subscription(conversation.community_id, conversation.last_seq, conversation)
        if last_seq is not None and not more:
            sub.last_sent = last_seq
            for event in events:
                await self._forward(sub, event)
        self.subscriptions[conversation_id] = sub
        reply = {
            "v": protocol.VERSION,
            "type": "subscribed",
            "conversation": conversation_id,
            "last_seq": sub.last_sent,
            "online": online,
            "ref": frame.ref,
        }
        if more:
            reply["reload"] = True
        await self.send_json(reply)

    async def frame_unsubscribe(self, frame: protocol.Frame) -> None:
        conversation_id = frame.int_field("conversation", minimum=1)
        sub = self.subscriptions.pop(conversation_id, None)
        if sub is not None:
            await self._leave(conversation_id, sub)
        await self.send_json(
            {
                "v": protocol.VERSION,
                "type": "unsubscribed",
                "conversation": conversation_id,
                "ref": frame.ref,
            }
        )

    async def frame_send(self, frame: protocol.Frame) -> None:
        conversation_id = frame.int_field("conversation", minimum=1)
        client_id = frame.str_field("client_id", max_length=64)
        body = frame.str_field("body", max_length=group_actions.MESSAGE_MAX_CHARS)
        reply_to = frame.optional_int("reply_to")
        sub = self.subscriptions.get(conversation_id)
        message, created = await database_sync_to_async(_send)(
            self.user, conversation_id, body, client_id, reply_to, sub.conversation if sub else None
        )
        await self.send_json(
            {
                "v": protocol.VERSION,
                "type": "ack",
                "ref": frame.ref,
                "client_id": client_id,
                "conversation": conversation_id,
                "message": message.pk,
                "seq": message.seq,
                "duplicate": not created,
            }
        )

    async def frame_edit(self, frame: protocol.Frame) -> None:
        message_id = frame.int_field("message", minimum=1)
        body = frame.str_field("body", max_length=group_actions.MESSAGE_MAX_CHARS)
        await database_sync_to_async(_edit)(self.user, message_id, body)
        await self._ack(frame)

    async def frame_delete(self, frame: protocol.Frame) -> None:
        await database_sync_to_async(_delete)(self.user, frame.int_field("message", minimum=1))
        await self._ack(frame)

    async def frame_reaction(self, frame: protocol.Frame) -> None:
        message_id = frame.int_field("message", minimum=1)
        emoji = frame.str_field("emoji", max_length=32)
        await database_sync_to_async(_react)(self.user, message_id, emoji, frame.bool_field("add"))
        await self._ack(frame)

    async def frame_pin(self, frame: protocol.Frame) -> None:
        message_id = frame.int_field("message", minimum=1)
        await database_sync_to_async(_pin)(self.user, message_id, frame.bool_field("pinned"))
        await self._ack(frame)

    async def frame_read(self, frame: protocol.Frame) -> None:
        conversation_id = frame.int_field("conversation", minimum=1)
        seq = frame.int_field("seq")
        # Where the reader's page starts: mentions before it were not seen (0: all were).
        seen_from = frame.int_field("from") if frame.data.get("from") is not None else 0
        stored = await database_sync_to_async(_read)(self.user, conversation_id, seq, seen_from)
        await self.send_json(
            {
                "v": protocol.VERSION,
                "type": "ack",
                "ref": frame.ref,
                "conversation": conversation_id,
                "seq": stored,
            }
        )

    async def frame_typing(self, frame: protocol.Frame) -> None:
        conversation_id = frame.int_field("conversation", minimum=1)
        if conversation_id not in self.subscriptions:
            raise protocol.ProtocolError("not_subscribed", "Subscribe to the conversation first.")
        now = time.monotonic()
        if now - self.typing_sent.get(conversation_id, 0.0) < TYPING_INTERVAL_SECONDS:
            return
        self.typing_sent[conversation_id] = now
        await typing_notice(person=self.user, conversation_id=conversation_id)

    async def _ack(self, frame: protocol.Frame) -> None:
        await self.send_json({"v": protocol.VERSION, "type": "ack", "ref": frame.ref})

    async def _leave(self, conversation_id: int, sub: Subscription) -> None:
        await fanout().leave(conversation_group(conversation_id), self)
        if not any(s.community_id == sub.community_id for s in self.subscriptions.values()):
            await self.channel_layer.group_discard(
                community_group(sub.community_id), self.channel_name
            )

    # ---- broadcasts ---------------------------------------------------------------------

    async def hub_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        kind = event.get("type")
        if kind == "access.check":
            await self._recheck_access(event["community"])
            return
        conversation_id = event.get("conversation")
        if kind == "presence":
            if any(s.community_id == event["community"] for s in self.subscriptions.values()):
                await self.send_json({"v": protocol.VERSION, **event})
            return
        if kind == "typing":
            if conversation_id in self.subscriptions and event["person"]["id"] != self.user.pk:
                await self.send_json({"v": protocol.VERSION, **event})
            return
        if "seq" in event and kind != "read" and kind != "notification":
            sub = self.subscriptions.get(conversation_id)
            if sub is not None:
                await self._forward(sub, event, message.get("text"))
            return
        await self.send_json({"v": protocol.VERSION, **event})

    async def hub_resync(self) -> None:
        """Catch every subscription up from the database: the fan-out lost the channel layer
        for a while, or this socket fell too far behind."""
        self.resync_pending = False
        for conversation_id, sub in list(self.subscriptions.items()):
            events, more = await database_sync_to_async(_events_between)(
                self.user, conversation_id, sub.last_sent, 2**62
            )
            if more:
                await self.send_json(
                    {"v": protocol.VERSION, "type": "reload", "conversation": conversation_id}
                )
                continue
            for event in events:
                await self._forward(sub, event)

    async def _forward(
        self, sub: Subscription, event: dict[str, Any], text: str | None = None
    ) -> None:
        """Send a conversation event exactly once and in order, fetching any missed ones."""
        seq = event["seq"]
        if seq <= sub.last_sent:
            return
        if seq > sub.last_sent + 1:
            missed, more = await database_sync_to_async(_events_between)(
                self.user, event["conversation"], sub.last_sent, seq
            )
            if more:
                await self.send_json(
                    {"v": protocol.VERSION, "type": "reload", "conversation": event["conversation"]}
                )
                sub.last_sent = seq
                return
            for earlier in missed:
                if earlier["seq"] > sub.last_sent:
                    await self.send_json({"v": protocol.VERSION, **earlier})
                    sub.last_sent = earlier["seq"]
            if seq <= sub.last_sent:
                return
        if text is not None:
            await self.send_broadcast({"type": "websocket.send", "text": text})
        else:
            await self.send_json({"v": protocol.VERSION, **event})
        sub.last_sent = seq

    async def _recheck_access(self, community_id: int) -> None:
        mine = [cid for cid, sub in self.subscriptions.items() if sub.community_id == community_id]
        if not mine:
            return
        still = await database_sync_to_async(_still_readable)(self.user, mine)
        for conversation_id in mine:
            if conversation_id in still:
                continue
            sub = self.subscriptions.pop(conversation_id)
            await self._leave(conversation_id, sub)
            await self.send_json(
                {
                    "v": protocol.VERSION,
                    "type": "unsubscribed",
                    "conversation": conversation_id,
                    "reason": "access_lost",
                }
            )


def _beneath_session_middleware(send: Any) -> Any:
    """The server's send beneath Channels' session middleware. That wrapper saves the session
    when a response or an accept goes out and checks it on every frame; a broadcast frame never
    changes the session, and on a busy conversation the check is a tenth of the server's work
    per delivery, so broadcasts skip it."""
    wrapper = getattr(send, "__self__", None)
    if isinstance(wrapper, InstanceSessionWrapper):
        return wrapper.real_send
    return send


_last_presence_sweep = time.monotonic()


def _presence_sweep_due() -> bool:
    """True at most once every PRESENCE_SWEEP_SECONDS in this process."""
    global _last_presence_sweep
    now = time.monotonic()
    if now - _last_presence_sweep < PRESENCE_SWEEP_SECONDS:
        return False
    _last_presence_sweep = now
    return True


def _ref_in(text: str | None) -> str | None:
    """The ref of a refused frame, when it is small enough to be worth reading for it."""
    if text is None or len(text) > protocol.MAX_FRAME_BYTES:
        return None
    try:
        return _ref(json.loads(text))
    except ValueError:
        return None


def _ref(content: Any) -> str | None:
    ref = content.get("ref") if isinstance(content, dict) else None
    return ref if isinstance(ref, str) and len(ref) <= 64 else None


# ---- the synchronous halves, run through database_sync_to_async ---------------------------


def _send(  # type: ignore[no-untyped-def]
    user: Any,
    conversation_id: int,
    body: str,
    client_id: str,
    reply_to: int | None,
    subscribed: Conversation | None = None,
):
    # A conversation this socket follows was found readable when it subscribed, and the socket
    # is unsubscribed the moment that changes; message_send checks membership regardless.
    conversation = subscribed or _readable_conversation(user, conversation_id)
    parent = _readable_message(user, reply_to) if reply_to else None
    return group_actions.message_send(
        author=user, conversation=conversation, body=body, client_id=client_id, reply_to=parent
    )


def _edit(user: Any, message_id: int, body: str) -> None:
    group_actions.message_edit(actor=user, message=_readable_message(user, message_id), body=body)


def _delete(user: Any, message_id: int) -> None:
    group_actions.message_delete(actor=user, message=_readable_message(user, message_id))


def _react(user: Any, message_id: int, emoji: str, add: bool) -> None:
    group_actions.reaction_set(
        person=user, message=_readable_message(user, message_id), emoji=emoji, add=add
    )


def _pin(user: Any, message_id: int, pinned: bool) -> None:
    group_actions.message_pin(
        actor=user, message=_readable_message(user, message_id), pinned=pinned
    )


def _read(user: Any, conversation_id: int, seq: int, seen_from: int) -> int:
    return group_actions.read_mark(
        person=user,
        conversation=_readable_conversation(user, conversation_id),
        seq=seq,
        seen_from=seen_from,
    )


def _events_between(user: Any, conversation_id: int, after: int, upto: int) -> tuple[list, bool]:
    conversation = _readable_conversation(user, conversation_id)
    events, more = group_selectors.events_after(
        user=user, conversation=conversation, after_seq=after
    )
    return [e for e in events if e["seq"] < upto], more
