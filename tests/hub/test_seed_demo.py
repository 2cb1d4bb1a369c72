"""The demo network: the right size and shape, safe to run twice, every person able to sign in,
and practice posts in every state whose signals keep the rules the practice actions enforce."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Count
from pytest_django import DjangoDbBlocker

from groups.models import MANAGING_ROLES, Community, Membership, Role, Visibility
from hub import demo_data
from hub.management.commands.seed_demo import (
    SIZES,
    build_plan,
    network_counts,
    practice_counts,
)
from practice import actions, rules, selectors
from practice.models import Comment, Endorsement, PracticePost, RepeatRecord, Revision
from profiles.models import Person
from profiles.selectors import organisation_for_email
from tests.conftest import flush_database


def seed(size: str = "small") -> str:
    out = StringIO()
    call_command("seed_demo", size=size, stdout=out)
    return out.getvalue()


def test_plan_is_the_same_on_every_call() -> None:
    first, second = build_plan("small"), build_plan("small")
    assert [p.email for p in first.people] == [p.email for p in second.people]
    assert [(c.slug, c.roles) for c in first.communities] == [
        (c.slug, c.roles) for c in second.communities
    ]
    assert first.practice == second.practice


@pytest.mark.parametrize("size", list(SIZES))
def test_plan_names_are_unique_and_topics_come_from_the_vocabulary(size: str) -> None:
    plan = build_plan(size)
    expected = SIZES[size]
    assert len(plan.organisations) == expected.organisations
    assert len(plan.people) == expected.people + 1  # the demo login
    assert len(plan.communities) == expected.communities
    for values in (
        [o.slug for o in plan.organisations],
        [o.domain for o in plan.organisations],
        [p.email for p in plan.people],
        [c.slug for c in plan.communities],
    ):
        assert len(values) == len(set(values))
    community_topics = {t for c in plan.communities for t in c.topics}
    assert community_topics <= set(demo_data.TOPICS)
    assert all(2 <= len(p.topics) <= 4 for p in plan.people)


@pytest.mark.parametrize("size", list(SIZES))
def test_practice_plan_has_unique_titles_and_the_requested_mix(size: str) -> None:
    posts = build_plan(size).practice
    count = SIZES[size].practice_posts
    assert len(posts) == count
    assert len({p.title for p in posts}) == count
    assert {t for p in posts for t in p.topics} <= set(demo_data.TOPICS)
    states = Counter(p.status for p in posts)
    assert 0.05 <= states["draft"] / count <= 0.15
    assert 0.02 <= states["archived"] / count <= 0.08
    assert 0.8 <= states["published"] / count <= 0.9
    assert 0.5 <= sum(not p.community for p in posts) / count <= 0.7
    for post in posts:
        assert all("{" not in text for text in post.texts.values())
        assert len(post.measures) <= 3
        assert len(post.evidence_links) <= 3


def test_every_practice_story_reads_well_before_it_is_told() -> None:
    for story in demo_data.PRACTICE_STORIES:
        assert len(story.title) <= 150
        assert story.summary.count(". ") >= 1  # an earlier revision shows the first sentence
        assert set(story.topics) <= set(demo_data.TOPICS)
        assert 1 <= len(story.measures) <= 3
    assert len({s.title for s in demo_data.PRACTICE_STORIES}) >= SIZES["small"].practice_posts


@pytest.mark.django_db
def test_small_network_has_about_the_requested_counts() -> None:
    output = seed()
    counts = network_counts()
    assert counts["organisations"] == 25
    assert counts["people"] == 301
    assert counts["communities"] == 30
    assert 500 <= counts["memberships"] <= 1500
    assert counts["pending join requests"] > 0
    assert counts["pending invitations"] > 0
    assert demo_data.PASSWORD in output
    assert "demo@northmoor.gov.example" in output


@pytest.mark.django_db
def test_every_community_has_an_owner_and_a_facilitator() -> None:
    seed()
    assert not Community.objects.exclude(memberships__role=Role.OWNER).exists()
    assert not Community.objects.exclude(memberships__role=Role.FACILITATOR).exists()


@pytest.mark.django_db
def test_all_four_visibilities_are_present_mostly_open() -> None:
    seed()
    visibilities = list(Community.objects.values_list("visibility", flat=True))
    assert set(visibilities) == set(Visibility.values)
    assert 0.4 <= visibilities.count(Visibility.OPEN) / len(visibilities) <= 0.6


@pytest.mark.django_db
def test_running_twice_adds_nothing_the_second_time() -> None:
    seed()
    before = network_counts()
    before_practice = practice_counts()
    output = seed()
    assert network_counts() == before
    assert practice_counts() == before_practice
    assert "added 0 organisations, 0 people, 0 communities and 0 practice posts" in output


@pytest.mark.django_db
def test_second_run_does_not_undo_what_someone_did_in_the_demo() -> None:
    seed()
    demo = Person.objects.get(email="demo@northmoor.gov.example")
    demo.memberships.filter(role=Role.MEMBER).delete()
    left = network_counts()["memberships"]
    seed()
    assert network_counts()["memberships"] == left


@pytest.mark.django_db
def test_demo_people_can_sign_in_and_belong_to_their_email_domains_organisation() -> None:
    seed()
    people = list(Person.objects.select_related("organisation"))
    verified = set(
        EmailAddress.objects.filter(verified=True, primary=True).values_list("email", flat=True)
    )
    assert {p.email for p in people} == verified
    for person in people:
        assert person.organisation == organisation_for_email(person.email)
    guests = [p for p in people if p.is_guest]
    assert 1 <= len(guests) <= 10
    assert all(p.email.endswith(".example") for p in people)
    assert people[0].check_password(demo_data.PASSWORD)


@pytest.mark.django_db
def test_demo_login_takes_part_in_communities_of_every_visibility() -> None:
    seed()
    demo = Person.objects.get(email="demo@northmoor.gov.example")
    assert demo.check_password(demo_data.PASSWORD)
    assert demo.organisation is not None
    assert demo.organisation.name == "Northmoor County Council"
    roles = set(demo.memberships.values_list("community__visibility", "role"))
    assert {visibility for visibility, _ in roles} == set(Visibility.values)
    assert {role for _, role in roles} == set(Role.values)
    assert demo.join_requests.filter(status="pending").exists()
    assert demo.invitations.filter(status="pending").exists()


@pytest.mark.django_db
def test_the_demo_login_finds_live_conversations_waiting() -> None:
    from groups.models import Conversation, ConversationEvent, Message, Notification, Reaction

    output = seed()
    demo = Person.objects.get(email="demo@northmoor.gov.example")
    theirs = Conversation.objects.filter(community__memberships__person=demo)
    assert theirs.count() >= 10 and "Added 20 demo conversations." in output
    # Mentions of the demo login and replies to them wait unread.
    kinds = set(
        Notification.objects.filter(person=demo, read_at=None).values_list("kind", flat=True)
    )
    assert kinds == {Notification.Kind.MENTION, Notification.Kind.REPLY}
    mine = Message.objects.filter(conversation__in=theirs)
    assert mine.filter(pinned_at__isnull=False).exists()
    assert mine.filter(reply_to__isnull=False).exists()
    assert Reaction.objects.filter(message__in=mine).exists()
    edited = mine.filter(edited_at__isnull=False).first()
    assert (
        edited is not None
        and edited.edits.exists()
        and "next month" in edited.edits.get().previous_body
    )
    for conversation in Conversation.objects.all():
        # Written by the actions: a gap-free log whose copies carry the messages' times.
        logged = ConversationEvent.objects.filter(conversation=conversation).order_by("seq")
        assert [e.seq for e in logged] == list(range(1, conversation.last_seq + 1))
        times = {m.pk: m.created_at.isoformat() for m in conversation.messages.all()}
        for event in logged:
            assert event.payload["message"]["created_at"] == times[event.message_id]
        assert conversation.last_activity_at == max(
            m.created_at for m in conversation.messages.all()
        )
    # A second run finds them all and adds none.
    assert "Added 0 demo conversations." in seed()
    assert Conversation.objects.count() == 20


@pytest.fixture(scope="class")
def small_network(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """One small network for the read-only checks of its practice posts."""
    with django_db_blocker.unblock():
        seed()
        yield
        flush_database()


def can_read(person: Person, post: PracticePost) -> bool:
    return selectors.posts_readable(user=person).filter(pk=post.pk).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("small_network")
class TestSeededPractice:
    def test_practice_posts_exist_in_every_state(self) -> None:
        counts = practice_counts()
        assert sum(counts[s] for s in ("published", "drafts", "archived")) == 40
        assert counts["published"] >= 30
        assert counts["drafts"] >= 1
        assert counts["archived"] >= 1
        assert counts["promoted by peers"] >= 2
        assert counts["promoted by facilitators"] >= 2
        assert counts["needing review"] >= 2
        needing_review = [p for p in PracticePost.objects.exclude(promotion="") if p.needs_review]
        assert {p.promotion for p in needing_review} == {"peers", "facilitator"}
        assert counts["deleted comments"] >= 1
        assert Comment.objects.filter(parent__isnull=False).exists()

    def test_practice_is_mostly_network_wide_and_in_communities_of_every_visibility(
        self,
    ) -> None:
        posts = PracticePost.objects.all()
        assert 0.5 <= posts.filter(community__isnull=True).count() / posts.count() <= 0.7
        visibilities = set(posts.values_list("community__visibility", flat=True))
        assert visibilities == {None, *Visibility.values}

    def test_peer_promotion_is_exactly_what_the_rules_say(self) -> None:
        for post in PracticePost.objects.all():
            if post.promotion == PracticePost.Promotion.FACILITATOR:
                continue
            assert (post.promotion == PracticePost.Promotion.PEERS) == (
                rules.earns_peer_promotion(post)
            ), post.title
            assert (post.promoted_at is not None) == post.is_promoted

    def test_facilitators_promote_by_hand_only_in_communities_they_run(self) -> None:
        promoted = PracticePost.objects.filter(promotion=PracticePost.Promotion.FACILITATOR)
        for post in promoted:
            assert post.status == PracticePost.Status.PUBLISHED
            assert post.community_id is not None
            assert post.promotion_reason
            assert post.promoted_at is not None and post.published_at is not None
            assert post.published_at < post.promoted_at
            role = Membership.objects.get(community=post.community, person=post.promoted_by).role
            assert role in MANAGING_ROLES
            assert not post.authors.filter(pk=post.promoted_by_id).exists()

    def test_nobody_vouches_for_their_own_practice(self) -> None:
        for endorsement in Endorsement.objects.select_related("post"):
            assert not endorsement.post.authors.filter(pk=endorsement.person_id).exists()
        for record in RepeatRecord.objects.select_related("post", "person"):
            assert record.person is not None
            assert record.person.organisation_id == record.organisation_id
            assert not record.post.authors.filter(pk=record.person_id).exists()
            assert record.organisation_id not in rules.author_organisations(record.post)

    def test_authors_of_community_practice_are_its_members(self) -> None:
        for post in PracticePost.objects.filter(community__isnull=False):
            members = set(post.community.memberships.values_list("person_id", flat=True))
            assert set(post.authors.values_list("pk", flat=True)) <= members, post.title

    def test_only_people_who_can_read_a_post_leave_signals_on_it(self) -> None:
        for post in PracticePost.objects.prefetch_related("authors"):
            assert all(can_read(author, post) for author in post.authors.all())
            signals = [
                *Person.objects.filter(endorsements__post=post),
                *Person.objects.filter(pk__in=post.repeats.values("person_id")),
                *Person.objects.filter(pk__in=post.comments.values("author_id")),
            ]
            assert all(can_read(person, post) for person in signals), post.title
            if post.status == PracticePost.Status.DRAFT:
                assert not signals
                assert not post.revisions.exists()

    def test_deleted_comments_keep_their_place_without_their_text(self) -> None:
        for comment in Comment.objects.filter(deleted_at__isnull=False):
            assert comment.body == ""
            assert comment.deleted_at >= comment.created_at
            for reply in comment.replies.all():
                assert reply.created_at <= comment.deleted_at

    def test_published_posts_have_revisions_ending_in_their_snapshot(self) -> None:
        shared = PracticePost.objects.exclude(status=PracticePost.Status.DRAFT)
        for post in shared:
            revisions = list(post.revisions.order_by("number"))
            assert revisions[0].number == 1
            assert revisions[0].created_at == post.published_at
            assert revisions[-1].content == actions.snapshot(post), post.title
            assert all(set(r.content) == set(revisions[-1].content) for r in revisions)
        edited = shared.annotate(n=Count("revisions")).filter(n__gt=1)
        assert edited.exists()
        first = Revision.objects.filter(post__in=edited, number=1)
        assert any(
            (r.content["title"], r.content["summary"]) != (r.post.title, r.post.summary)
            for r in first.select_related("post")
        )

    def test_posts_name_their_authors_organisation_and_link_only_to_example_domains(
        self,
    ) -> None:
        for post in PracticePost.objects.prefetch_related("authors", "organisations"):
            organisations = {o.pk for o in post.organisations.all()}
            assert {a.organisation_id for a in post.authors.all()} <= organisations
            assert post.contact in post.authors.all()
            assert post.measures.count() <= 3
            assert len(post.evidence_links) <= 3
            for link in post.evidence_links:
                assert set(link) == {"title", "url"}
                host = urlsplit(link["url"]).hostname or ""
                assert host.endswith((".example.org", ".gov.example"))

    def test_demo_login_wrote_practice_and_promoted_some_by_hand(self) -> None:
        demo = Person.objects.get(email="demo@northmoor.gov.example")
        assert set(demo.practice_posts.values_list("status", flat=True)) == {
            PracticePost.Status.DRAFT,
            PracticePost.Status.PUBLISHED,
        }
        assert PracticePost.objects.filter(promoted_by=demo).exists()
