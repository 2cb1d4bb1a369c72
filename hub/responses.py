"""How views answer when an action refuses: a 4xx page that carries the action's message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import ActionError


def refused(request: HttpRequest, error: ActionError, back: str) -> HttpResponse:
    """The refusal's message, with its status (400, 403, 404 or 409) and a link back."""
    return render(
        request, "action_error.html", {"message": error.message, "back": back}, status=error.status
    )


def run_action(
    request: HttpRequest, back: str, success: str, call: Callable[[], object]
) -> HttpResponse:
    """Call an action; on success flash ``success`` and redirect to ``back``, on refusal
    answer with the refusal."""
    try:
        call()
    except ActionError as error:
        return refused(request, error, back)
    if success:
        messages.success(request, success)
    return redirect(back)
