import logging
from urllib.parse import urlencode

import requests
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from groups import selectors as community_selectors
from hub.errors import ActionError
from hub.pagination import paginate
from hub.params import text_param

from . import actions, selectors
from .forms import ProfileForm, WorkEmailForm
from .models import Organisation, Person, Region

logger = logging.getLogger(__name__)


def directory(request: HttpRequest) -> HttpResponse:
    filters = {
        "q": text_param(request, "q", 100),
        "organisation": text_param(request, "organisation", 80),
        "region": text_param(request, "region", 20),
        "expertise": text_param(request, "expertise", 60),
    }
    people = selectors.people_directory(user=request.user, **filters)
    return render(
        request,
        "profiles/directory.html",
        {
            "page": paginate(request, people),
            "filters": filters,
            "organisations": selectors.organisations_list(user=request.user).only("name", "slug"),
            "regions": Region.choices,
            "topics": selectors.expertise_topics(),
        },
    )


def person(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        shown = selectors.person_get(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    communities = community_selectors.person_communities(user=request.user, person=shown)
    return render(
        request,
        "profiles/person.html",
        {
            "person": shown,
            "communities": communities,
            "can_invite_to": community_selectors.communities_managed(
                user=request.user, excluding_member=shown
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    me = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                actions.profile_update(person=me, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect(me.get_absolute_url())
        return render(request, "profiles/edit.html", {"form": form}, status=400)
    form = ProfileForm(
        initial={
            "display_name": me.display_name,
            "job_title": me.job_title,
            "bio": me.bio,
            "expertise": ", ".join(t.name for t in me.expertise.all()),
        }
    )
    return render(request, "profiles/edit.html", {"form": form})


def organisations(request: HttpRequest) -> HttpResponse:
    region = text_param(request, "region", 20)
    return render(
        request,
        "profiles/organisations.html",
        {
            "page": paginate(
                request, selectors.organisations_list(user=request.user, region=region), 50
            ),
            "region": region,
            "regions": Region.choices,
        },
    )


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        shown = selectors.organisation_get(user=request.user, slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None
    people = selectors.people_directory(user=request.user, organisation=shown.slug)
    return render(
        request,
        "profiles/organisation.html",
        {"organisation": shown, "page": paginate(request, people)},
    )


def _safe_next(request: HttpRequest) -> str:
    """The page to return to after signing in, if it is on this site; otherwise none."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a work email; send staff of an organisation with an identity provider straight
    to it, everyone else to the password sign-in. An unknown domain and a domain without a
    provider get the same answer, so the page reveals no organisation's domains."""
    next_url = _safe_next(request)
    form = WorkEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        identity_provider = selectors.identity_provider_for_email(email)
        if identity_provider is not None:
            provider = identity_provider.social_app.get_provider(request)
            extra = {}
            if identity_provider.protocol == identity_provider.Protocol.OIDC:
                extra["auth_params"] = {"login_hint": email}
            try:
                return provider.redirect(request, "login", next_url=next_url or None, **extra)
            except (requests.RequestException, OSError):
                # The provider's discovery document or metadata could not be fetched.
                logger.exception("identity provider of %s unreachable", identity_provider)
                return render(
                    request,
                    "action_error.html",
                    {
                        "message": f"{identity_provider.organisation.name}'s sign-in service "
                        "cannot be reached at the moment. Try again in a few minutes, or tell "
                        "your IT team.",
                        "back": reverse("sign_in"),
                    },
                    status=503,
                )
        query = {"email": email, **({"next": next_url} if next_url else {})}
        return redirect(f"{reverse('account_login')}?{urlencode(query)}")
    return render(request, "account/sign_in.html", {"form": form, "next": next_url})
