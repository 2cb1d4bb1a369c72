"""What every page's header shows of conversations: the person's unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a page's header shows it (never for a JSON answer).
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.unread_notification_count(user=user)
        )
    }
