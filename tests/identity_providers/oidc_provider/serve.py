"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in its own process.

Started by tests/identity_providers/processes.py with its configuration in the environment:
IDP_PORT, IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_REDIRECT_URIS (space separated), IDP_DB (a
SQLite file). Each process makes its own RSA signing key. Its one user has primary key 1, so
every such provider issues ``sub="1"``: the cross-tenant collision the hub must survive.

The user is always signed in at the provider and the hub's application skips consent, as a
council's single sign-on would for a member of staff. ``POST /control/claims`` (JSON) sets the
claims the next sign-ins carry; ``GET /control/last-authorize`` shows the query string of the
last authorisation request, so tests can check ``login_hint`` and PKCE."""

from __future__ import annotations

import json
import os
import sys

import django
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

PORT = int(os.environ["IDP_PORT"])
ISSUER = f"http://127.0.0.1:{PORT}/o"
CLAIMS: dict[str, object] = {
    "email": "staff@example.gov.uk",
    "email_verified": True,
    "name": "A Member of Staff",
    "job_title": "Officer",
}
LAST_AUTHORIZE: dict[str, str] = {}


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


settings.configure(
    DEBUG=False,
    SECRET_KEY="identity-provider-for-tests-only",  # noqa: S106
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "oauth2_provider",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        f"{__name__}.single_sign_on",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DB"]}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    # Every process on 127.0.0.1 shares a cookie jar whatever the port: names of its own.
    SESSION_COOKIE_NAME=f"idp{PORT}_session",
    CSRF_COOKIE_NAME=f"idp{PORT}_csrf",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    USE_TZ=True,
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": private_key_pem(),
        "OIDC_ISS_ENDPOINT": ISSUER,
        "PKCE_REQUIRED": True,
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.Validator",
        "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "Email"},
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    },
)
django.setup()

from django.contrib.auth import login  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402
from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scope: job_title is not standard

    def get_additional_claims(self, request):  # type: ignore[no-untyped-def]
        return dict(CLAIMS)


def single_sign_on(get_response):  # type: ignore[no-untyped-def]
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/o/authorize"):
            LAST_AUTHORIZE.clear()
            LAST_AUTHORIZE.update(request.GET.items())
            if not request.user.is_authenticated:
                login(request, User.objects.get(pk=1))
        return get_response(request)

    return middleware


@csrf_exempt
def control_claims(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        CLAIMS.clear()
        CLAIMS.update(json.loads(request.body))
    return JsonResponse(CLAIMS)


def control_last_authorize(request: HttpRequest) -> HttpResponse:
    return JsonResponse(LAST_AUTHORIZE)


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("control/claims", control_claims),
    path("control/last-authorize", control_last_authorize),
]


def main() -> None:
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(pk=1, username="staff", password="not-used-in-tests")
    Application.objects.create(
        user=user,
        name="Knowledge Hub",
        client_id=os.environ["IDP_CLIENT_ID"],
        client_secret=os.environ["IDP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["IDP_REDIRECT_URIS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    print(f"identity provider listening on {PORT}", file=sys.stderr, flush=True)
    run("127.0.0.1", PORT, get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()
