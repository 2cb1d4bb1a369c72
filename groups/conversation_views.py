"""Conversation pages: the recent history rendered on the server, a plain form to post (so the
page works without JavaScript), and the data the live JavaScript needs to take over."""

from __future__ import annotations

import html
import re
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_POST

from hub.errors import ActionError
from hub.markdown import render_markdown
from hub.params import text_param
from hub.responses import refused
from practice.models import ServiceArea

from . import actions, selectors
from .forms import ConversationForm, MessageForm
from .models import Community, Conversation, Message, Visibility

# A message id as a query parameter: ASCII digits that fit a database integer.
MESSAGE_ID = re.compile(r"[1-9][0-9]{0,17}")
# A place in a conversation's sequence, as ``?before=`` and ``?at=`` take it.
SEQUENCE = re.compile(r"[0-9]{1,18}")
NOTIFICATIONS_SHOWN = 50


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


def _readable_message(request: HttpRequest, pk: int | None) -> Message | None:
    return None if pk is None else selectors.message_readable(user=request.user, pk=pk)


def _excerpt(message: Message, rendered: str | None = None) -> str:
    """A short plain-text excerpt of a message, as the page's JavaScript makes one from the
    rendered message (its text, spaces collapsed, cut at 80 characters). ``rendered``: its
    HTML, when the caller has it already."""
    if message.is_deleted:
        return "This message was deleted."
    if rendered is None:
        rendered = render_markdown(message.body)
    text = html.unescape(strip_tags(rendered))
    return Truncator(" ".join(text.split())).chars(80)


def _later_url(page: selectors.HistoryPage, before: int | None) -> str:
    if page.at_latest:
        return ""
    if page.messages:
        return f"?at={page.messages[-1].seq + 1}#messages"
    return f"?at={before}#messages"


def _conversation_page(
    request: HttpRequest,
    shown: Conversation,
    form: MessageForm,
    reply_parent: Message | None = None,
    status: int = 200,
    before: int | None = None,
    at: int | None = None,
) -> HttpResponse:
    page = selectors.message_history(user=request.user, conversation=shown, before=before, at=at)
    history = page.messages
    payloads = [selectors.message_payload(m) for m in history]
    membership = selectors.membership_of(user=request.user, community=shown.community)
    first_unread = None
    if request.method == "GET" and history:
        seen = {"person": request.user, "conversation": shown}
        if page.at_latest and membership is not None:
            # Unread messages older than the page are offered with a link.
            first_unread = selectors.first_unread_seq(user=request.user, conversation=shown)
            if first_unread is not None and first_unread >= history[0].seq:
                first_unread = None
            # Opening the latest page is reading it (the position only moves forward), and
            # seeing the mentions and replies it shows, not those older than it.
            actions.read_mark(**seen, seq=shown.last_seq, seen_from=history[0].seq)
        else:
            # Any page shows its mentions and replies (a notification's link lands here).
            actions.notifications_seen(**seen, from_seq=history[0].seq, to_seq=history[-1].seq)
    can_facilitate = membership is not None and membership.can_manage
    on_page = {m.pk for m in history}
    if reply_parent is not None:
        # The composer's label is followed by what it replies to, for screen readers too.
        form.fields["body"].widget.attrs["aria-describedby"] = "id_body_helptext reply-context-text"
    return render(
        request,
        "groups/conversation.html",
        {
            "community": shown.community,
            "conversation": shown,
            "history": [(m, payload) for m, payload in zip(history, payloads, strict=True)],
            "payloads": payloads,
            "page": page,
            # The earliest sequence on the page: a reply to anything before it links to the
            # page that shows its parent.
            "first_seq": history[0].seq if history else 0,
            "earlier_url": f"?before={history[0].seq}" if page.has_earlier else "",
            "later_url": _later_url(page, before),
            "first_unread": first_unread,
            "pinned": [
                {"message": m, "excerpt": _excerpt(m), "on_page": m.pk in on_page}
                for m in selectors.pinned_messages(user=request.user, conversation=shown)
            ],
            "membership": membership,
            "can_facilitate": can_facilitate,
            # What a facilitator may pick for a practice post: the page's messages, as text.
            "pickable": (
                [
                    (m, _excerpt(m, payload["html"]))
                    for m, payload in zip(history, payloads, strict=True)
                    if not m.is_deleted
                ]
                if can_facilitate
                else []
            ),
            "form": form,
            "reply_parent": reply_parent,
            "reply_excerpt": _excerpt(reply_parent) if reply_parent is not None else "",
            "service_areas": ServiceArea.choices,
            "open_community": shown.community.visibility == Visibility.OPEN,
        },
        status=status,
    )


def _place(request: HttpRequest, name: str) -> int | None:
    """``?before=`` or ``?at=``: a sequence number, or None when absent."""
    value = request.GET.get(name)
    if value is None:
        return None
    if not SEQUENCE.fullmatch(value):
        raise ActionError(f"“{name}” must be a message number, such as 1 or 250.")
    return int(value)


def conversation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    shown = _conversation_or_404(request, slug, pk)
    try:
        before, at = _place(request, "before"), _place(request, "at")
        if before is not None and at is not None:
            raise ActionError("Ask for one place: “before” or “at”, not both.")
    except ActionError as error:
        return refused(request, error, shown.get_absolute_url())
    # ``?reply_to=<id>`` is the "Reply" link that works without JavaScript.
    reply_to = text_param(request, "reply_to", 20)
    parent = _readable_message(request, int(reply_to)) if MESSAGE_ID.fullmatch(reply_to) else None
    if parent is not None and parent.conversation_id != shown.pk:
        parent = None
    form = MessageForm(initial={"client_id": uuid.uuid4().hex})
    return _conversation_page(request, shown, form, reply_parent=parent, before=before, at=at)


@require_POST
def post_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The form post that works without JavaScript. The form carries a client id made when
    the page was rendered, so pressing "Send" twice stores the message once. A refused post
    shows the page again with the problem and the text as typed."""
    shown = _conversation_or_404(request, slug, pk)
    form = MessageForm(request.POST)
    status = 400
    valid = form.is_valid()
    if "reply_to" in form.errors:
        # The field is hidden: its problem is told at the top of the page, not beside it.
        form.add_error(None, form.errors.pop("reply_to"))
    reply_to = form.cleaned_data.get("reply_to")
    parent = _readable_message(request, reply_to)
    if reply_to is not None and parent is None:
        form.add_error(None, "The message you replied to does not exist or you cannot read it.")
    elif valid:
        try:
            actions.message_send(
                author=request.user,
                conversation=shown,
                body=form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
                reply_to=parent,
            )
        except ActionError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return redirect(shown.get_absolute_url() + "#latest")
    # A parent in another conversation is refused (by the action); the page shown again
    # forgets it, so sending again is not refused for the same reason.
    if parent is not None and parent.conversation_id != shown.pk:
        parent = None
    return _conversation_page(request, shown, form, reply_parent=parent, status=status)


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


def notifications(request: HttpRequest) -> HttpResponse:
    """The person's mentions and replies, newest first. Seeing the list is reading it: those
    unread when it was opened are marked so on the page, and read from then on."""
    notifications = selectors.notifications_readable(user=request.user)
    before = text_param(request, "before", 20)
    if before:
        if not MESSAGE_ID.fullmatch(before):
            error = ActionError("“before” must be a notification number.")
            return refused(request, error, request.path)
        notifications = notifications.filter(pk__lt=int(before))
    rows = list(notifications[: NOTIFICATIONS_SHOWN + 1])
    shown = rows[:NOTIFICATIONS_SHOWN]
    items = [
        {"notification": n, "excerpt": _excerpt(n.message), "new": n.read_at is None} for n in shown
    ]
    # Only what the page shows is seen; anything newer arrives unread.
    actions.notifications_mark_read(person=request.user, ids=[n.pk for n in shown])
    earlier = f"?before={shown[-1].pk}" if len(rows) > NOTIFICATIONS_SHOWN else ""
    return render(request, "groups/notifications.html", {"items": items, "earlier_url": earlier})


def message_history(request: HttpRequest, slug: str, pk: int, message: int) -> HttpResponse:
    """A message's earlier versions, for its author and the community's facilitators."""
    shown = _conversation_or_404(request, slug, pk)
    found = selectors.message_edit_history(user=request.user, conversation=shown, pk=message)
    if found is None:
        raise Http404("No such message history")
    return render(
        request,
        "groups/message_history.html",
        {
            "community": shown.community,
            "conversation": shown,
            "message": found,
            "current_html": render_markdown(found.body),
            "versions": [
                {"edit": edit, "html": render_markdown(edit.previous_body)}
                for edit in found.edits.all()
            ],
        },
    )
