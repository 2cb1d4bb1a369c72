"""allauth adapters: thin hooks that call profiles.actions."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from hub.errors import ActionError, NotAllowed
from hub.responses import refused

from . import actions


def _refuse(request: HttpRequest, error: ActionError) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(refused(request, error, back=reverse("sign_in")))


def _guest_invitation(request: HttpRequest | None) -> Any:
    """The pending email invitation this browser opened (groups.views.invitation), if any."""
    from groups.selectors import pending_email_invitation
    from groups.views import GUEST_INVITATION_SESSION_KEY

    if request is None or not hasattr(request, "session"):
        return None
    return pending_email_invitation(token=request.session.get(GUEST_INVITATION_SESSION_KEY, ""))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # A community's invitation opens sign-up for the address it was sent to.
        if getattr(settings, "SIGNUP_OPEN", True):
            return True
        return _guest_invitation(request) is not None

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not getattr(settings, "SIGNUP_OPEN", True):
            invitation = _guest_invitation(self.request)
            if invitation is not None and invitation.email.lower() != email.strip().lower():
                raise ValidationError("Use the email address your invitation was sent to.")
        return email

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            actions.person_place_in_organisation(
                person=email_address.user, verified_email=email_address.email
            )
        return confirmed

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        organisation = getattr(user, "organisation", None)
        if organisation is not None and not organisation.is_active:
            raise _refuse(
                request, NotAllowed(f"{organisation.name} cannot sign in to the hub at the moment.")
            )
        return super().pre_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """The provider that completed the sign-in decides the organisation (its SocialApp's
    provider_id is the organisation's slug); profiles.actions holds the rules."""

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        try:
            vetted = actions.federated_sign_in_vet(
                provider_id=sociallogin.account.provider,
                emails=[address.email for address in sociallogin.email_addresses],
                existing_person=sociallogin.user if sociallogin.is_existing else None,
                connecting=sociallogin.state.get("process") == AuthProcess.CONNECT,
            )
        except ActionError as error:
            raise _refuse(request, error) from error
        for address in sociallogin.email_addresses:
            address.email = address.email.strip().lower()
            address.verified = address.email in vetted.verified_emails
        if vetted.link_to is not None:
            sociallogin.connect(request, vetted.link_to)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        person = super().populate_user(request, sociallogin, data)
        person.email = (person.email or "").strip().lower()  # as every other address is kept
        return person

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # The organisation's provider vouches for its staff, whatever SIGNUP_OPEN says.
        return True

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        person = super().save_user(request, sociallogin, form)
        vetted = actions.federated_sign_in_vet(
            provider_id=sociallogin.account.provider,
            emails=[address.email for address in sociallogin.email_addresses],
            existing_person=person,
        )
        data = sociallogin.account.extra_data or {}
        # OIDC keeps the ID token and userinfo apart (Entra puts optional claims in the token
        # only); SAML keeps its attributes at the top level.
        claims = {**data.get("id_token", {}), **data.get("userinfo", {})} or data
        return actions.person_join_from_identity_provider(
            person=person, organisation=vetted.organisation, claims=_flatten(claims)
        )


def _flatten(claims: dict[str, Any]) -> dict[str, Any]:
    """SAML attributes arrive as lists under their claim URIs: map them to plain names."""
    flat = dict(claims)
    for key, names in actions.SAML_ATTRIBUTE_MAPPING.items():
        for name in names:
            if name in claims and key not in flat:
                flat[key] = claims[name]
    return flat
