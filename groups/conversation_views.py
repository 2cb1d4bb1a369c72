"""Conversation pages: the recent history rendered on the server, a plain form to post (so the
page works without JavaScript), and the data the live JavaScript needs to take over."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hub.errors import ActionError
from hub.params import text_param
from hub.responses import refused
from practice.models import ServiceArea

from . import actions, selectors
from .forms import ConversationForm, MessageForm
from .models import Community, Conversation, Visibility


def _community_or_404(request: HttpRequest, slug: str) -> Community:
    try:
        return selectors.community_get(user=request.user, slug=slug)
    except Community.DoesNotExist:
        raise Http404("No such community") from None


def _conversation_or_404(request: HttpRequest, slug: str, pk: int) -> Conversation:
    try:
        conversation = selectors.conversation_get(user=request.user, pk=pk)
    except Conversation.DoesNotExist:
        raise Http404("No such conversation") from None
    if conversation.community.slug != slug:
        raise Http404("No such conversation")
    return conversation


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community_or_404(request, slug)
    form = ConversationForm(request.POST or None, initial={"client_id": uuid.uuid4().hex})
    if request.method == "POST":
        if form.is_valid():
            try:
                conversation, _ = actions.conversation_create(
                    author=request.user, community=community, **form.cleaned_data
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                return redirect(conversation)
        status = 400
    else:
        status = 200
    return render(
        request,
        "groups/conversation_new.html",
        {"community": community, "form": form},
        status=status,
    )


def conversation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _conversation_or_404(request, slug, pk)
    history = selectors.recent_messages(user=request.user, conversation=shown)
    payloads = [selectors.message_payload(m) for m in history]
    membership = selectors.membership_of(user=request.user, community=shown.community)
    if history and membership is not None:
        # Opening the page is reading it; the read position only ever moves forward.
        actions.read_mark(person=request.user, conversation=shown, seq=shown.last_seq)
    return render(
        request,
        "groups/conversation.html",
        {
            "community": shown.community,
            "conversation": shown,
            "history": [(m, payload) for m, payload in zip(history, payloads, strict=True)],
            "payloads": payloads,
            "membership": membership,
            "can_facilitate": membership is not None and membership.can_manage,
            "form": MessageForm(initial={"client_id": uuid.uuid4().hex}),
            "service_areas": ServiceArea.choices,
            "open_community": shown.community.visibility == Visibility.OPEN,
        },
    )


@require_POST
def post_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The form post that works without JavaScript. The form carries a client id made when
    the page was rendered, so pressing "Send" twice stores the message once."""
    shown = _conversation_or_404(request, slug, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return refused(
            request,
            ActionError("Write a message of up to 10,000 characters."),
            shown.get_absolute_url(),
        )
    try:
        actions.message_send(
            author=request.user,
            conversation=shown,
            body=form.cleaned_data["body"],
            client_id=form.cleaned_data["client_id"],
        )
    except ActionError as error:
        return refused(request, error, shown.get_absolute_url())
    return redirect(shown.get_absolute_url() + "#latest")


@require_POST
def to_practice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _conversation_or_404(request, slug, pk)
    ids = [int(v) for v in request.POST.getlist("message") if v.isdigit()][:200]
    service_area = request.POST.get("service_area", "")
    if service_area not in ServiceArea.values:
        service_area = ServiceArea.CUSTOMER_SERVICES
    try:
        post = actions.conversation_to_practice(
            actor=request.user, conversation=shown, message_ids=ids, service_area=service_area
        )
    except ActionError as error:
        return refused(request, error, shown.get_absolute_url())
    messages.success(
        request, "A draft practice post was made from the conversation: finish it here."
    )
    return redirect("practice:edit", pk=post.pk)


def mention_candidates(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """People who can read the conversation whose name starts with ``q``, for autocomplete."""
    shown = _conversation_or_404(request, slug, pk)
    query = text_param(request, "q", 60)
    people = selectors.conversation_readers(conversation=shown)
    if query:
        people = people.filter(display_name__istartswith=query)
    return JsonResponse(
        {
            "people": [
                {"id": p.pk, "name": p.display_name} for p in people.order_by("display_name")[:8]
            ]
        }
    )
