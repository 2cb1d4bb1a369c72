from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from groups import selectors as community_selectors
from hub.errors import ActionError
from hub.pagination import paginate
from hub.params import text_param

from . import actions, selectors
from .forms import ProfileForm
from .models import Organisation, Person, Region


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
