import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from practice import actions
from practice.models import Endorsement, PracticePost, RepeatRecord

FORM = {
    "title": "Halving B&B stays",
    "summary": "We paired officers with landlords.",
    "approach": (
        "**Step one**: call them.\n\n<script>alert('x')</script> [bad](javascript:alert(1))"
    ),
    "service_area": "housing",
    "evidence_links": "Cabinet report | https://example.org/report.pdf",
    "measures-TOTAL_FORMS": "2",
    "measures-INITIAL_FORMS": "0",
    "measures-0-label": "Average days in B&B",
    "measures-0-before": "94",
    "measures-0-after": "61",
    "measures-0-unit": "days",
}


def url(name, post, **kw):
    return reverse(f"practice:{name}", kwargs={"pk": post.pk, **kw})


@pytest.fixture
def as_user(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


def test_write_a_draft_then_publish_it_without_javascript(as_user, owner):
    client = as_user(owner)
    assert client.get(reverse("practice:create")).status_code == 200
    response = client.post(reverse("practice:create"), {**FORM, "intent": "draft"})
    assert response.status_code == 302
    post = PracticePost.objects.get()
    assert post.status == "draft"
    assert post.measures.get().after == 61
    assert post.evidence_links == [
        {"title": "Cabinet report", "url": "https://example.org/report.pdf"}
    ]
    client.post(url("publish", post))
    post.refresh_from_db()
    assert post.status == "published"


def test_dangerous_markdown_is_neutralised_on_the_page(as_user, owner):
    client = as_user(owner)
    client.post(reverse("practice:create"), {**FORM, "intent": "publish"})
    post = PracticePost.objects.get()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<strong>Step one</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "Average days in B&amp;B" in page


@pytest.mark.parametrize(
    "bad",
    [
        {"title": "x" * 300},
        {"service_area": "astrology"},
        {"summary": ""},
        {"evidence_links": "Bad | javascript:alert(1)"},
        {"measures-0-before": "lots"},
        {"co_authors": "nobody@nowhere.example"},
        {"community": "not-mine"},
    ],
)
def test_bad_input_gets_a_form_error_and_nothing_is_stored(as_user, owner, bad):
    response = as_user(owner).post(reverse("practice:create"), {**FORM, **bad, "intent": "publish"})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert not PracticePost.objects.exists()


def test_a_draft_is_404_for_everyone_but_its_authors(as_user, make_post, outsider):
    draft = make_post(publish=False)
    client = as_user(outsider)
    for name in ("post", "edit", "revisions"):
        assert client.get(url(name, draft)).status_code == 404
    for name in ("endorse", "repeat", "comment", "publish", "promote"):
        assert client.post(url(name, draft)).status_code == 404
    library = client.get(reverse("practice:library"), {"status": "drafts"})
    assert draft.title.encode() not in library.content


@pytest.mark.parametrize("visibility", ["restricted", "private", "hidden"])
def test_posts_in_closed_communities_are_404_to_non_members(
    as_user, make_post, make_community, outsider, visibility
):
    post = make_post(title="Inside only", community=make_community(visibility))
    client = as_user(outsider)
    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(url("revisions", post)).status_code == 404
    assert client.post(url("endorse", post)).status_code == 404
    assert b"Inside only" not in client.get(reverse("practice:library")).content
    assert b"Inside only" not in client.get(reverse("home")).content


def test_non_author_cannot_edit(as_user, make_post, outsider):
    post = make_post()
    assert as_user(outsider).get(url("edit", post)).status_code == 403
    assert as_user(outsider).post(url("edit", post), FORM).status_code == 403


def test_an_edit_is_a_revision_a_reader_can_compare(as_user, make_post, owner, outsider):
    post = make_post()
    as_user(owner).post(url("edit", post), {**FORM, "title": "A better title", "intent": "draft"})
    page = as_user(outsider).get(url("revisions", post)).content.decode()
    assert "Revision 2" in page
    assert "Cutting temporary accommodation costs" in page  # removed
    assert "A better title" in page  # added


def test_endorse_withdraw_and_repeat_over_http(as_user, make_post, outsider):
    post = make_post()
    client = as_user(outsider)
    assert client.post(url("endorse", post), {"note": "Works for us"}).status_code == 302
    assert client.post(url("endorse", post)).status_code == 409
    assert client.post(url("withdraw", post)).status_code == 302
    assert not Endorsement.objects.exists()
    assert (
        client.post(
            url("repeat", post), {"status": "trying", "outcome": "So far so good"}
        ).status_code
        == 302
    )
    assert client.post(url("repeat", post), {"status": "unknown"}).status_code == 400
    assert RepeatRecord.objects.get().status == "trying"
    page = client.get(post.get_absolute_url()).content.decode()
    assert outsider.organisation.name in page and "So far so good" in page


def test_author_cannot_endorse_own_post_over_http(as_user, make_post, owner):
    assert as_user(owner).post(url("endorse", make_post())).status_code == 403


def test_comments_reply_edit_and_delete_over_http(as_user, make_post, owner, outsider):
    post = make_post()
    client = as_user(outsider)
    client.post(url("comment", post), {"body": "How long did it take?"})
    question = post.comments.get()
    as_user(owner).post(url("comment", post), {"body": "Six months", "parent": question.pk})
    assert post.comments.filter(parent=question).count() == 1
    client = as_user(outsider)
    client.post(url("comment_edit", post, comment_pk=question.pk), {"body": "How long, roughly?"})
    assert "roughly" in client.get(post.get_absolute_url()).content.decode()
    client.post(url("comment_delete", post, comment_pk=question.pk))
    page = client.get(post.get_absolute_url()).content.decode()
    assert "This comment was deleted." in page and "Six months" in page
    assert client.post(url("comment", post), {"body": ""}).status_code == 400


def test_facilitator_promotes_by_hand_with_a_reason_shown(
    as_user, make_post, make_community, owner, outsider
):
    community = make_community("open")
    post = make_post(community=community)
    assert as_user(outsider).post(url("promote", post), {"reason": "Mine"}).status_code == 403
    as_user(owner).post(url("promote", post), {"reason": "Clear, costed and repeatable"})
    page = as_user(outsider).get(post.get_absolute_url()).content.decode()
    assert "Practice worth repeating" in page and "Clear, costed and repeatable" in page


def test_needs_review_is_shown_until_an_author_confirms(as_user, make_post, make_community, owner):
    community = make_community("open")
    post = make_post(
        community=community, review_by=timezone.localdate() - datetime.timedelta(days=3)
    )
    actions.promote_by_hand(actor=owner, post=post, reason="Good")
    client = as_user(owner)
    assert "Needs review" in client.get(post.get_absolute_url()).content.decode()
    next_year = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    client.post(url("review", post), {"review_by": next_year})
    assert "Needs review" not in client.get(post.get_absolute_url()).content.decode()


def test_library_filters_over_http(as_user, make_post, outsider):
    make_post(title="Housing one", service_area="housing")
    make_post(title="Bins one", service_area="waste-recycling")
    client = as_user(outsider)
    page = client.get(
        reverse("practice:library"), {"service_area": "waste-recycling", "sort": "most-endorsed"}
    )
    assert b"Bins one" in page.content and b"Housing one" not in page.content
    assert (
        client.get(reverse("practice:library"), {"sort": "nonsense", "page": "-4"}).status_code
        == 200
    )
