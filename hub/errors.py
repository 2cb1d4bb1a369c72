"""Errors that actions raise for reasons a person can act on. Views turn them into a 4xx page
carrying the message; consumers (later) into an error frame."""


class ActionError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(ActionError):
    status = 403


class Conflict(ActionError):
    status = 409


class NotFound(ActionError):
    """Raised instead of NotAllowed where admitting that a thing exists would leak it."""

    status = 404
