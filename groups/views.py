"""Thin views: parse the request, call a selector or an action, render. An action's refusal
becomes a 4xx page carrying its message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hub.errors import ActionError, NotAllowed
from hub.pagination import paginate
from hub.params import text_param
from hub.responses import refused, run_action
from practice.selectors import practice_library
from profiles.models import Person
from profiles.selectors import person_get

from . import actions, selectors
from .forms import (
    CommunityForm,
    DecisionForm,
    InvitationAnswerForm,
    InviteForm,
    InvitePersonForm,
    JoinRequestForm,
    RoleForm,
)
from .models import VISIBILITY_HELP, Community, Invitation, JoinRequest, Membership, Visibility


def _community_or_404(request: HttpRequest, slug: str) -> Community:
    try:
        return selectors.community_get(user=request.user, slug=slug)
    except Community.DoesNotExist:
        raise Http404("No such community") from None


def _bad_form(request: HttpRequest, back: str) -> HttpResponse:
    return render(
        request,
        "action_error.html",
        {"message": "That request was incomplete or malformed.", "back": back},
        status=400,
    )


def directory(request: HttpRequest) -> HttpResponse:
    filters = {
        "q": text_param(request, "q", 100),
        "topic": text_param(request, "topic", 60),
        "visibility": text_param(request, "visibility", 12),
        "mine": request.GET.get("mine") == "1",
    }
    communities = selectors.community_directory(user=request.user, **filters)
    return render(
        request,
        "groups/directory.html",
        {
            "page": paginate(request, communities),
            "filters": filters,
            "visibilities": Visibility.choices,
            "topics": selectors.community_topics(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = CommunityForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                community = actions.community_create(creator=request.user, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"“{community.name}” is ready. Invite your colleagues.")
                return redirect(community)
        return render(request, "groups/form.html", {"form": form, "creating": True}, status=400)
    return render(request, "groups/form.html", {"form": form, "creating": True})


def community(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    can_read = selectors.community_can_read(user=request.user, community=shown)
    context = {
        "community": shown,
        "can_read": can_read,
        "show_about": shown.visibility != Visibility.PRIVATE or can_read,
        "visibility_help": VISIBILITY_HELP[Visibility(shown.visibility)],
        "members": selectors.community_members(user=request.user, community=shown)[:12],
        "pending_request": selectors.my_pending_request(user=request.user, community=shown),
        "invitation": selectors.my_invitation_to(user=request.user, community=shown),
        "request_form": JoinRequestForm(),
        "pending_count": selectors.pending_requests(user=request.user, community=shown).count(),
        "practice": practice_library(user=request.user, community=shown.slug)[:6],
        "conversations": selectors.community_conversations(user=request.user, community=shown)[:20]
        if can_read
        else [],
    }
    return render(request, "groups/community.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    try:
        actions.check_owns(actor=request.user, community=shown)
    except ActionError as error:
        return refused(request, error, shown.get_absolute_url())
    if request.method == "POST":
        form = CommunityForm(request.POST)
        if form.is_valid():
            try:
                actions.community_update(actor=request.user, community=shown, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "The community is saved.")
                return redirect(shown)
        return render(request, "groups/form.html", {"form": form, "community": shown}, status=400)
    form = CommunityForm(
        initial={
            "name": shown.name,
            "description": shown.description,
            "visibility": shown.visibility,
            "topics": ", ".join(t.name for t in shown.topics.all()),
        }
    )
    return render(request, "groups/form.html", {"form": form, "community": shown})


def members(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    if not selectors.community_can_read(user=request.user, community=shown):
        return refused(
            request,
            NotAllowed("Only members can see who belongs to this community."),
            shown.get_absolute_url(),
        )
    return render(
        request,
        "groups/members.html",
        {
            "community": shown,
            "page": paginate(
                request, selectors.community_members(user=request.user, community=shown), 50
            ),
            "requests": selectors.pending_requests(user=request.user, community=shown),
            "invitations": selectors.sent_invitations(user=request.user, community=shown),
            "invite_form": InviteForm(),
            "role_choices": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        },
    )


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    return run_action(
        request,
        shown.get_absolute_url(),
        f"Welcome to {shown.name}.",
        lambda: actions.community_join(person=request.user, community=shown),
    )


@require_POST
def request_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return refused(
            request, ActionError("Keep your message to 1,000 characters."), shown.get_absolute_url()
        )
    return run_action(
        request,
        shown.get_absolute_url(),
        "Your request is sent to the facilitators.",
        lambda: actions.join_request_create(
            person=request.user, community=shown, message=form.cleaned_data["message"]
        ),
    )


@require_POST
def withdraw_request(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    pending = selectors.my_pending_request(user=request.user, community=shown)
    if pending is None:
        raise Http404("No pending request")
    return run_action(
        request,
        shown.get_absolute_url(),
        "Your request is withdrawn.",
        lambda: actions.join_request_withdraw(person=request.user, join_request=pending),
    )


@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    back = shown.get_absolute_url() if shown.visibility != Visibility.HIDDEN else "/"
    try:
        actions.community_leave(person=request.user, community=shown)
    except ActionError as error:
        return refused(request, error, shown.get_absolute_url())
    messages.success(request, f"You have left {shown.name}.")
    return redirect(back)


@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _community_or_404(request, slug)
    back = f"{shown.get_absolute_url()}members/"
    form = InviteForm(request.POST)
    if not form.is_valid():
        return refused(request, ActionError("Give a valid email address to invite."), back)
    email = form.cleaned_data["email"]
    return run_action(
        request,
        back,
        f"Invitation sent to {email}.",
        lambda: actions.invitation_create(
            actor=request.user,
            community=shown,
            email=email,
            site_url=request.build_absolute_uri("/"),
        ),
    )


@require_POST
def invite_person(request: HttpRequest) -> HttpResponse:
    """Invite a member of the network from their profile page."""
    form = InvitePersonForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, "/")
    shown = _community_or_404(request, form.cleaned_data["community"])
    try:
        invitee = person_get(user=request.user, pk=form.cleaned_data["person"])
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    return run_action(
        request,
        invitee.get_absolute_url(),
        f"Invitation to {shown.name} sent to {invitee.display_name}.",
        lambda: actions.invitation_create(
            actor=request.user,
            community=shown,
            person=invitee,
            site_url=request.build_absolute_uri("/"),
        ),
    )


@require_POST
def decide_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _community_or_404(request, slug)
    back = f"{shown.get_absolute_url()}members/"
    try:
        join_request = selectors.pending_requests(user=request.user, community=shown).get(pk=pk)
    except JoinRequest.DoesNotExist:
        raise Http404("No such request") from None
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, back)
    approve = form.cleaned_data["decision"] == "approve"
    name = join_request.person.display_name
    return run_action(
        request,
        back,
        f"{name} {'is now a member' if approve else 'was declined'}.",
        lambda: actions.join_request_decide(
            actor=request.user, join_request=join_request, approve=approve
        ),
    )


@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _community_or_404(request, slug)
    back = f"{shown.get_absolute_url()}members/"
    try:
        sent = selectors.sent_invitations(user=request.user, community=shown).get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation") from None
    return run_action(
        request,
        back,
        "Invitation withdrawn.",
        lambda: actions.invitation_revoke(actor=request.user, invitation=sent),
    )


def _membership_or_404(request: HttpRequest, community: Community, pk: int) -> Membership:
    try:
        return selectors.community_members(user=request.user, community=community).get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("No such member") from None


@require_POST
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _community_or_404(request, slug)
    membership = _membership_or_404(request, shown, pk)
    return run_action(
        request,
        f"{shown.get_absolute_url()}members/",
        f"{membership.person.display_name} is no longer a member.",
        lambda: actions.member_remove(actor=request.user, membership=membership),
    )


@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _community_or_404(request, slug)
    back = f"{shown.get_absolute_url()}members/"
    membership = _membership_or_404(request, shown, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return refused(request, ActionError("Choose owner, facilitator or member."), back)
    role = form.cleaned_data["role"]
    return run_action(
        request,
        back,
        f"{membership.person.display_name} is now {role}.",
        lambda: actions.member_change_role(actor=request.user, membership=membership, role=role),
    )


GUEST_INVITATION_SESSION_KEY = "guest_invitation_token"


def _invitation_for_someone_signed_out(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation to an email address opened by someone signed out: staff of an organisation
    with its own sign-in go there; anyone else may create a local account for that address,
    even while SIGNUP_OPEN is off (profiles.adapters.AccountAdapter), and joins as a guest."""
    from django.contrib.auth.views import redirect_to_login

    from profiles.selectors import identity_provider_for_email

    pending = selectors.pending_email_invitation(token=token)
    if pending is None or identity_provider_for_email(pending.email) is not None:
        return redirect_to_login(request.get_full_path())
    request.session[GUEST_INVITATION_SESSION_KEY] = pending.token
    query = urlencode({"email": pending.email, "next": request.path})
    return redirect(f"{reverse('account_signup')}?{query}")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    token = token.replace("\x00", "")[:64]
    if not request.user.is_authenticated:
        return _invitation_for_someone_signed_out(request, token)
    try:
        found = selectors.invitation_for(user=request.user, token=token.replace("\x00", "")[:64])
    except Invitation.DoesNotExist:
        raise Http404(
            "This invitation is not for you, or it has been answered or withdrawn."
        ) from None
    if request.method == "POST":
        form = InvitationAnswerForm(request.POST)
        if not form.is_valid():
            return _bad_form(request, request.path)
        accept = form.cleaned_data["answer"] == "accept"
        try:
            actions.invitation_respond(person=request.user, invitation=found, accept=accept)
        except ActionError as error:
            return refused(request, error, "/")
        if accept:
            messages.success(request, f"Welcome to {found.community.name}.")
            return redirect(found.community)
        messages.info(request, "Invitation declined.")
        return redirect("home")
    return render(request, "groups/invitation.html", {"invitation": found})
