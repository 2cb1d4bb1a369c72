"""Thin views over practice.actions and practice.selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from groups.selectors import communities_for_posting, communities_readable
from hub.errors import ActionError
from hub.pagination import paginate
from hub.params import text_param
from hub.responses import refused, run_action
from profiles.models import Region
from profiles.selectors import organisations_list

from . import actions, selectors
from .diff import changes
from .forms import (
    CommentForm,
    EndorseForm,
    MeasureFormSet,
    PracticePostForm,
    PromoteForm,
    RepeatForm,
    ReviewForm,
)
from .models import Comment, PracticePost, ServiceArea


def _post_or_404(request: HttpRequest, pk: int) -> PracticePost:
    try:
        return selectors.post_get(user=request.user, pk=pk)
    except PracticePost.DoesNotExist:
        raise Http404("No such practice post") from None


def _do(
    request: HttpRequest, post: PracticePost, success: str, call: Callable[[], Any]
) -> HttpResponse:
    return run_action(request, post.get_absolute_url(), success, call)


def _refused(request: HttpRequest, message: str, back: str, status: int = 400) -> HttpResponse:
    error = ActionError(message)
    error.status = status
    return refused(request, error, back)


def library(request: HttpRequest) -> HttpResponse:
    filters = {
        "service_area": text_param(request, "service_area", 30),
        "organisation": text_param(request, "organisation", 80),
        "region": text_param(request, "region", 20),
        "community": text_param(request, "community", 80),
        "status": text_param(request, "status", 12, "published"),
        "promoted_only": request.GET.get("promoted") == "1",
        "topic": text_param(request, "topic", 60),
        "sort": text_param(request, "sort", 20, "newest"),
    }
    posts = selectors.practice_library(user=request.user, **filters)
    return render(
        request,
        "practice/library.html",
        {
            "page": paginate(request, posts, 20),
            "filters": filters,
            "service_areas": ServiceArea.choices,
            "regions": Region.choices,
            "organisations": organisations_list(user=request.user).only("name", "slug"),
            "communities": communities_readable(user=request.user)
            .only("name", "slug")
            .order_by("name"),
        },
    )


def _form_context(
    request: HttpRequest,
    data: Any = None,
    initial: dict | None = None,
    measures: list | None = None,
    post: PracticePost | None = None,
) -> tuple[PracticePostForm, Any]:
    communities = list(communities_for_posting(user=request.user))
    if post is not None and post.community is not None and post.community not in communities:
        # Keep the post where it is unless its editor chooses otherwise.
        communities.append(post.community)
    form = PracticePostForm(data, initial=initial, communities=communities)
    formset = MeasureFormSet(data, prefix="measures", initial=measures)
    return form, formset


def _valid(form: PracticePostForm, formset: Any) -> bool:
    """Validate both, and surface the figures' errors in the form's error summary too."""
    form_ok, formset_ok = form.is_valid(), formset.is_valid()
    if not formset_ok:
        form.add_error(None, "Check the measured figures: before and after must be numbers.")
    return form_ok and formset_ok


def _fields(form: PracticePostForm, formset: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["organisations"] = list(data["organisations"]) or None
    data["measures"] = [m for m in formset.cleaned_data if m and m.get("label")]
    return data


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    initial = {"community": text_param(request, "community", 80)}
    form, formset = _form_context(request, request.POST or None, initial)
    if request.method == "POST":
        if _valid(form, formset):
            publish = request.POST.get("intent") == "publish"
            try:
                post = actions.post_create(
                    author=request.user, publish=publish, **_fields(form, formset)
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    "Published."
                    if publish
                    else "Draft saved. Only you and your co-authors can see it.",
                )
                return redirect(post)
        return render(
            request,
            "practice/form.html",
            {"form": form, "formset": formset, "creating": True},
            status=400,
        )
    return render(
        request, "practice/form.html", {"form": form, "formset": formset, "creating": True}
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(request, pk)
    if not selectors.is_author(user=request.user, post=post):
        return _refused(
            request, "Only the post's authors can edit it.", post.get_absolute_url(), 403
        )
    if request.method == "POST":
        form, formset = _form_context(request, request.POST, post=post)
        if _valid(form, formset):
            fields = _fields(form, formset)
            publish = request.POST.get("intent") == "publish"
            try:
                actions.post_update(editor=request.user, post=post, publish=publish, **fields)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved.")
                return redirect(post)
        return render(
            request,
            "practice/form.html",
            {"form": form, "formset": formset, "post": post},
            status=400,
        )
    initial = {
        "title": post.title,
        "summary": post.summary,
        "challenge": post.challenge,
        "approach": post.approach,
        "outcomes": post.outcomes,
        "cost": post.cost,
        "lessons": post.lessons,
        "service_area": post.service_area,
        "evidence_links": "\n".join(
            f"{link['title']} | {link['url']}" for link in post.evidence_links
        ),
        "topics": ", ".join(t.name for t in post.topics.all()),
        "organisations": list(post.organisations.all()),
        "community": post.community.slug if post.community else "",
        "contact": post.contact.email if post.contact else "",
        "co_authors": ", ".join(a.email for a in post.authors.all() if a.pk != request.user.pk),
        "review_by": post.review_by,
    }
    measures = [
        {"label": m.label, "before": m.before, "after": m.after, "unit": m.unit}
        for m in post.measures.all()
    ]
    form, formset = _form_context(request, None, initial, measures, post=post)
    return render(request, "practice/form.html", {"form": form, "formset": formset, "post": post})


def post(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    user = request.user
    comments = list(selectors.post_comments(user=user, post=shown))
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    endorsements = list(selectors.post_endorsements(user=user, post=shown))
    context = {
        "post": shown,
        "is_author": any(a.pk == user.pk for a in shown.authors.all()),
        "can_moderate": selectors.can_moderate(user=user, post=shown),
        "comments": [(c, replies.get(c.pk, [])) for c in comments if not c.parent_id],
        "comment_count": sum(1 for c in comments if not c.is_deleted),
        "endorsements": endorsements,
        "my_endorsement": next((e for e in endorsements if e.person_id == user.pk), None),
        "repeats": selectors.post_repeats(user=user, post=shown),
        "revision_count": selectors.post_revisions(user=user, post=shown).count(),
        "endorse_form": EndorseForm(),
        "repeat_form": RepeatForm(),
        "comment_form": CommentForm(),
        "promote_form": PromoteForm(),
        "review_form": ReviewForm(),
    }
    return render(request, "practice/post.html", context)


def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    ordered = list(selectors.post_revisions(user=request.user, post=shown).order_by("number"))
    history = []
    previous: dict[str, Any] = {}
    for revision in ordered:
        history.append(
            {
                "revision": revision,
                "changes": changes(previous, revision.content) if previous else [],
            }
        )
        previous = revision.content
    return render(
        request, "practice/revisions.html", {"post": shown, "history": list(reversed(history))}
    )


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    return _do(
        request, shown, "Published.", lambda: actions.post_publish(actor=request.user, post=shown)
    )


@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    return _do(
        request, shown, "Archived.", lambda: actions.post_archive(actor=request.user, post=shown)
    )


@require_POST
def confirm_review(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, "Give the next review-by date.", shown.get_absolute_url())
    return _do(
        request,
        shown,
        "Thank you: the practice is confirmed as current.",
        lambda: actions.post_confirm_review(
            actor=request.user, post=shown, review_by=form.cleaned_data["review_by"]
        ),
    )


@require_POST
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    form = EndorseForm(request.POST)
    if not form.is_valid():
        return _refused(request, "Keep the note to 1,000 characters.", shown.get_absolute_url())
    return _do(
        request,
        shown,
        "You endorsed this as worth repeating.",
        lambda: actions.endorse(person=request.user, post=shown, note=form.cleaned_data["note"]),
    )


@require_POST
def withdraw_endorsement(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    return _do(
        request,
        shown,
        "Your endorsement is withdrawn.",
        lambda: actions.endorsement_withdraw(person=request.user, post=shown),
    )


@require_POST
def repeat(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    form = RepeatForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            "Choose a status (planning, trying, adopted or stopped) and a valid date.",
            shown.get_absolute_url(),
        )
    return _do(
        request,
        shown,
        "Recorded. Thank you for telling colleagues how it went.",
        lambda: actions.repeat_record(person=request.user, post=shown, **form.cleaned_data),
    )


@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            "Say why this is practice worth repeating (up to 1,000 characters).",
            shown.get_absolute_url(),
        )
    return _do(
        request,
        shown,
        "Promoted to practice worth repeating.",
        lambda: actions.promote_by_hand(
            actor=request.user, post=shown, reason=form.cleaned_data["reason"]
        ),
    )


def _comment_or_404(request: HttpRequest, shown: PracticePost, comment_pk: int) -> Comment:
    try:
        return selectors.post_comments(user=request.user, post=shown).get(pk=comment_pk)
    except Comment.DoesNotExist:
        raise Http404("No such comment") from None


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, "Write a comment of up to 10,000 characters.", shown.get_absolute_url()
        )
    parent = None
    if form.cleaned_data["parent"]:
        parent = _comment_or_404(request, shown, form.cleaned_data["parent"])
    return _do(
        request,
        shown,
        "",
        lambda: actions.comment_create(
            author=request.user, post=shown, body=form.cleaned_data["body"], parent=parent
        ),
    )


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    found = _comment_or_404(request, shown, comment_pk)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            return _do(
                request,
                shown,
                "Comment updated.",
                lambda: actions.comment_edit(
                    actor=request.user, comment=found, body=form.cleaned_data["body"]
                ),
            )
        return render(
            request,
            "practice/comment_edit.html",
            {"post": shown, "comment": found, "form": form},
            status=400,
        )
    form = CommentForm(initial={"body": found.body})
    return render(
        request, "practice/comment_edit.html", {"post": shown, "comment": found, "form": form}
    )


@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    shown = _post_or_404(request, pk)
    found = _comment_or_404(request, shown, comment_pk)
    return _do(
        request,
        shown,
        "Comment deleted.",
        lambda: actions.comment_delete(actor=request.user, comment=found),
    )
