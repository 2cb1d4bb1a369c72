"""Two-factor authentication required of organisation administrators with local accounts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import selectors

# What someone who must set up two-factor authentication can still reach.
_ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/")


class MfaRequiredMiddleware:
    """Send an organisation administrator who signs in with a password and has no
    authenticator app to the page that sets one up, whatever page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "is_organisation_admin", False)
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and selectors.person_must_set_up_mfa(user)  # type: ignore[arg-type]
        ):
            messages.info(
                request,
                "As an administrator of your organisation you need two-factor authentication. "
                "Set up an authenticator app to carry on.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
