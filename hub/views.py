from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from groups import selectors as community_selectors
from practice import selectors as practice_selectors

from .health import run_checks


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    user = request.user
    return render(
        request,
        "home.html",
        {
            "my_communities": community_selectors.my_communities(user=user).prefetch_related(None),
            "suggested": community_selectors.suggested_communities(user=user),
            "invitations": community_selectors.my_invitations(user=user),
            "feed": practice_selectors.home_feed(user=user),
            "unread": community_selectors.unread_by_community(user=user),
        },
    )


@login_not_required
@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    checks = await run_checks()
    failing = [name for name, state in checks.items() if state != "ok"]
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
