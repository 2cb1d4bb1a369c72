import datetime

import pytest
from django.utils import timezone

from groups import actions as group_actions
from hub.errors import ActionError, Conflict, NotAllowed, NotFound
from practice import actions, selectors
from practice.models import Comment, PracticePost, RepeatRecord
from realtime.events import post_group
from realtime.publish import capture_events
from tests.conftest import sent_events


def events_of(captured, kind):
    return [event["event"] for _, event in captured if event["event"]["kind"] == kind]


def test_draft_then_publish_records_the_first_revision(make_post, owner):
    post = make_post(publish=False, topics=["Temporary accommodation"])
    assert post.status == PracticePost.Status.DRAFT
    assert list(post.authors.all()) == [owner]
    assert list(post.organisations.all()) == [owner.organisation]
    assert post.contact == owner
    actions.post_publish(actor=owner, post=post)
    assert post.status == PracticePost.Status.PUBLISHED
    assert post.revisions.count() == 1
    with pytest.raises(Conflict):
        actions.post_publish(actor=owner, post=post)


def test_every_edit_of_a_published_post_is_a_revision(make_post, owner):
    post = make_post()
    actions.post_update(
        editor=owner,
        post=post,
        title="Halving B&B stays",
        summary=post.summary,
        service_area="housing",
        measures=[{"label": "Average days in B&B", "before": "94", "after": "61", "unit": "days"}],
    )
    revisions = list(post.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].content["title"] == "Cutting temporary accommodation costs"
    assert revisions[1].content["title"] == "Halving B&B stays"
    assert revisions[1].content["measures"] == ["Average days in B&B: 94.00 → 61.00 days"]
    assert revisions[1].editor == owner


def test_drafts_are_edited_without_revisions(make_post, owner):
    post = make_post(publish=False)
    actions.post_update(editor=owner, post=post, title="New", summary="S", service_area="housing")
    assert post.revisions.count() == 0


def test_only_authors_edit_and_publish(make_post, outsider):
    post = make_post(publish=False)
    with pytest.raises(NotAllowed):
        actions.post_update(
            editor=outsider, post=post, title="X", summary="Y", service_area="housing"
        )
    with pytest.raises(NotAllowed):
        actions.post_publish(actor=outsider, post=post)


def test_co_authors_can_edit(make_post, outsider):
    post = make_post(co_authors=[outsider])
    actions.post_update(
        editor=outsider, post=post, title="Co-written", summary="S", service_area="housing"
    )
    post.refresh_from_db()
    assert post.title == "Co-written"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * 201),
        ("summary", ""),
        ("summary", "x" * 1001),
        ("service_area", "astrology"),
        ("approach", "x" * 20001),
        ("evidence_links", [{"title": "bad", "url": "javascript:alert(1)"}]),
        ("evidence_links", [{"title": "ftp", "url": "ftp://example.org/x"}]),
        ("measures", [{"label": "Days", "before": "lots"}]),
        ("measures", [{"label": "Days", "before": "1e40"}]),
        ("review_by", datetime.date(2999, 1, 1)),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(make_post, field, value):
    with pytest.raises(ActionError) as error:
        make_post(**{field: value})
    assert error.value.message
    assert not PracticePost.objects.exists()


def test_a_post_in_a_community_needs_its_author_to_be_a_member(make_post, make_community, outsider):
    community = make_community("open")
    with pytest.raises(NotAllowed):
        make_post(author=outsider, community=community)
    hidden = make_community("hidden")
    with pytest.raises(NotFound):
        make_post(author=outsider, community=hidden)


def test_endorsement_is_one_per_person_and_never_your_own(make_post, owner, outsider):
    post = make_post()
    with sent_events() as captured:
        actions.endorse(person=outsider, post=post, note="We need this")
    assert events_of(captured, "practice.endorsement") == [
        {
            "kind": "practice.endorsement",
            "op": "added",
            "post": post.pk,
            "person": outsider.pk,
            "endorsements": 1,
        }
    ]
    assert captured[0][0] == post_group(post.pk)
    with pytest.raises(Conflict):
        actions.endorse(person=outsider, post=post)
    with pytest.raises(NotAllowed):
        actions.endorse(person=owner, post=post)


def test_events_are_sent_only_after_commit(make_post, outsider, django_capture_on_commit_callbacks):
    post = make_post()
    with (
        capture_events() as captured,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        actions.endorse(person=outsider, post=post)
        assert captured == []
    assert callbacks, "the broadcast waits for the commit"


def test_drafts_cannot_be_endorsed_or_discussed_even_by_a_reader(make_post, outsider, owner):
    draft = make_post(publish=False)
    with pytest.raises(NotFound):
        actions.endorse(person=outsider, post=draft)
    with pytest.raises(ActionError):
        actions.comment_create(author=owner, post=draft, body="note to self")


def test_repeat_record_is_one_per_organisation_and_updatable(make_post, outsider, make_person):
    post = make_post()
    with sent_events() as captured:
        first = actions.repeat_record(
            person=outsider, post=post, status="planning", outcome="Starting in May"
        )
        colleague = make_person(organisation=outsider.organisation)
        second = actions.repeat_record(
            person=colleague, post=post, status="adopted", outcome="Saved £40k"
        )
    assert first.pk == second.pk
    assert RepeatRecord.objects.get().status == "adopted"
    assert [e["op"] for e in events_of(captured, "practice.repeat")] == ["recorded", "updated"]
    with pytest.raises(ActionError):
        actions.repeat_record(person=outsider, post=post, status="finished")


def test_guests_and_authors_cannot_record_repeating(make_post, owner, make_person):
    post = make_post()
    with pytest.raises(NotAllowed):
        actions.repeat_record(
            person=make_person(email="g@consultancy.example"), post=post, status="trying"
        )
    with pytest.raises(NotAllowed):
        actions.repeat_record(person=owner, post=post, status="trying")


def test_comments_with_replies_mentions_edit_and_delete(make_post, owner, outsider, make_person):
    post = make_post()
    with sent_events() as captured:
        comment = actions.comment_create(
            author=outsider, post=post, body="Thanks @**Olive Owner**, how long?"
        )
        reply = actions.comment_create(author=owner, post=post, body="Six months.", parent=comment)
        actions.comment_edit(actor=outsider, comment=comment, body="Edited question")
        actions.comment_delete(actor=outsider, comment=comment)
    assert [(e["op"], e["comment"]) for e in events_of(captured, "practice.comment")] == [
        ("created", comment.pk),
        ("created", reply.pk),
        ("edited", comment.pk),
        ("deleted", comment.pk),
    ]
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == ""
    assert reply.parent == comment
    with pytest.raises(NotFound):
        actions.comment_edit(actor=outsider, comment=comment, body="again")


def test_mentions_link_only_people_who_can_read_the_post(
    make_post, make_community, owner, make_person
):
    community = make_community("private")
    insider = make_person(name="Ivy Insider")
    group_actions.invitation_respond(
        person=insider,
        invitation=group_actions.invitation_create(
            actor=owner, community=community, person=insider
        ),
        accept=True,
    )
    make_person(name="Sid Stranger")
    post = make_post(community=community)
    comment = actions.comment_create(
        author=owner, post=post, body="@**Ivy Insider** and @**Sid Stranger**"
    )
    assert list(comment.mentions.all()) == [insider]
    assert f"[@Ivy Insider]({insider.get_absolute_url()})" in comment.body
    assert "@**Sid Stranger**" in comment.body


def test_only_author_or_facilitator_changes_a_comment(
    make_post, make_community, owner, outsider, make_person
):
    community = make_community("open")
    post = make_post(community=community)
    group_actions.community_join(person=outsider, community=community)
    comment = actions.comment_create(author=outsider, post=post, body="Hello")
    with pytest.raises(NotAllowed):
        actions.comment_edit(actor=make_person(), comment=comment, body="hijack")
    actions.comment_delete(actor=owner, comment=comment)  # the owner facilitates this community
    assert Comment.objects.get(pk=comment.pk).is_deleted


def test_promotion_by_hand_needs_a_facilitator_and_a_reason(
    make_post, make_community, owner, outsider
):
    community = make_community("open")
    post = make_post(community=community)
    with pytest.raises(NotAllowed):
        actions.promote_by_hand(actor=outsider, post=post, reason="I like it")
    with pytest.raises(ActionError):
        actions.promote_by_hand(actor=owner, post=post, reason="  ")
    with sent_events() as captured:
        actions.promote_by_hand(actor=owner, post=post, reason="Exemplary")
    assert events_of(captured, "practice.promotion") == [
        {
            "kind": "practice.promotion",
            "op": "promoted",
            "post": post.pk,
            "promotion": "facilitator",
        }
    ]


def test_promoted_post_past_review_date_needs_review_until_confirmed(
    make_post, make_community, owner
):
    community = make_community("open")
    post = make_post(
        community=community, review_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not post.needs_review
    actions.promote_by_hand(actor=owner, post=post, reason="Exemplary")
    assert post.needs_review
    with pytest.raises(ActionError):
        actions.post_confirm_review(actor=owner, post=post, review_by=timezone.localdate())
    actions.post_confirm_review(
        actor=owner, post=post, review_by=timezone.localdate() + datetime.timedelta(days=365)
    )
    assert not post.needs_review


class Thread:
    """A stand-in source: anything with a title, a body and authors can become practice."""

    def __init__(self, authors):
        self.authors = authors

    def practice_source_title(self):
        return "How we halved missed bin collections"

    def practice_source_body(self):
        return "Crews photograph blocked bins.\n\nResidents get a text the same day."

    def practice_source_authors(self):
        return self.authors

    def get_absolute_url(self):
        return "/communities/waste/conversations/7/"


def test_draft_practice_from_any_source_links_back(owner, outsider):
    post = actions.draft_practice_from(
        Thread([outsider]), actor=owner, service_area="waste-recycling"
    )
    assert post.status == PracticePost.Status.DRAFT
    assert post.title == "How we halved missed bin collections"
    assert post.summary == "Crews photograph blocked bins."
    assert "Residents get a text" in post.approach
    assert post.source_url == "/communities/waste/conversations/7/"
    assert set(post.authors.all()) == {owner, outsider}
    assert selectors.posts_readable(user=outsider).filter(pk=post.pk).exists()
