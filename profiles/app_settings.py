"""The profiles app's settings, read when asked for (never at import) so override_settings works."""

from django.conf import settings


def require_mfa_for_organisation_admins() -> bool:
    """Whether organisation administrators with a local account must use two-factor
    authentication (people who sign in through their organisation's provider use its MFA)."""
    return bool(getattr(settings, "REQUIRE_MFA_FOR_ORGANISATION_ADMINS", True))
