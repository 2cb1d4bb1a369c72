"""The realtime protocol's client frames, validated into typed values (docs/realtime-protocol.md).

A frame that does not validate raises ProtocolError with a code and a sentence; the consumer
answers with an error frame and keeps the socket open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VERSION = 1
MAX_FRAME_BYTES = 64 * 1024


class ProtocolError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Frame:
    type: str
    ref: str | None
    data: dict[str, Any]

    def int_field(self, name: str, *, minimum: int = 0) -> int:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ProtocolError("bad_frame", f"“{name}” must be a whole number ≥ {minimum}.")
        if value > 2**62:
            raise ProtocolError("bad_frame", f"“{name}” is too large.")
        return value

    def optional_int(self, name: str) -> int | None:
        return None if self.data.get(name) is None else self.int_field(name, minimum=1)

    def str_field(self, name: str, *, max_length: int) -> str:
        value = self.data.get(name)
        if not isinstance(value, str):
            raise ProtocolError("bad_frame", f"“{name}” must be text.")
        if len(value) > max_length:
            raise ProtocolError("too_long", f"“{name}” is limited to {max_length:,} characters.")
        return value

    def bool_field(self, name: str, default: bool = True) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise ProtocolError("bad_frame", f"“{name}” must be true or false.")
        return value


CLIENT_TYPES = {
    "subscribe",
    "unsubscribe",
    "send",
    "edit",
    "delete",
    "reaction",
    "pin",
    "typing",
    "read",
    "ping",
}


def parse(data: Any) -> Frame:
    """Validate the envelope of a decoded client frame."""
    if not isinstance(data, dict):
        raise ProtocolError("bad_frame", "A frame is a JSON object.")
    version = data.get("v", VERSION)
    if version != VERSION:
        raise ProtocolError("bad_version", f"This server speaks protocol version {VERSION}.")
    kind = data.get("type")
    if kind not in CLIENT_TYPES:
        raise ProtocolError("unknown_type", f"Unknown frame type {str(kind)[:40]!r}.")
    ref = data.get("ref")
    if ref is not None and (not isinstance(ref, str) or len(ref) > 64):
        raise ProtocolError("bad_frame", "“ref” must be text of at most 64 characters.")
    return Frame(type=kind, ref=ref, data=data)


def error(code: str, message: str, ref: str | None = None, **extra: Any) -> dict[str, Any]:
    frame = {"v": VERSION, "type": "error", "code": code, "message": message, **extra}
    if ref is not None:
        frame["ref"] = ref
    return frame
