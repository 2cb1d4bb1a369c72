import pytest

from groups import actions as group_actions
from groups import selectors as group_selectors
from practice import actions, selectors


@pytest.fixture
def member_of(owner):
    def join(person, community):
        invitation = group_actions.invitation_create(
            actor=owner, community=community, person=person
        )
        group_actions.invitation_respond(person=person, invitation=invitation, accept=True)

    return join


def readable(user):
    return set(selectors.posts_readable(user=user).values_list("title", flat=True))


def test_network_wide_published_posts_are_readable_by_every_member(
    make_post, outsider, make_person
):
    make_post(title="Network-wide")
    guest = make_person(email="guest@consultancy.example")
    assert readable(outsider) == {"Network-wide"}
    assert readable(guest) == {"Network-wide"}


def test_drafts_are_visible_to_their_authors_only(make_post, owner, outsider):
    make_post(title="Draft", publish=False)
    assert readable(owner) == {"Draft"}
    assert readable(outsider) == set()


@pytest.mark.parametrize("visibility", ["restricted", "private", "hidden"])
def test_posts_in_closed_communities_stay_inside(
    make_post, make_community, outsider, member_of, make_person, visibility
):
    community = make_community(visibility)
    post = make_post(title="Inside", community=community)
    actions.comment_create(author=community.created_by, post=post, body="inside comment")
    assert readable(outsider) == set()
    assert not selectors.post_comments(user=outsider, post=post).exists()
    assert not selectors.post_revisions(user=outsider, post=post).exists()
    insider = make_person()
    member_of(insider, community)
    assert readable(insider) == {"Inside"}
    assert selectors.post_comments(user=insider, post=post).count() == 1


def test_open_community_posts_are_readable_by_everyone(make_post, make_community, outsider):
    make_post(title="Open", community=make_community("open"))
    assert readable(outsider) == {"Open"}


def test_removed_member_loses_access_to_the_posts_at_once(
    make_post, make_community, member_of, make_person, owner
):
    community = make_community("private")
    insider = make_person()
    member_of(insider, community)
    post = make_post(title="Inside", community=community)
    actions.endorse(person=insider, post=post)
    group_actions.member_remove(
        actor=owner, membership=group_selectors.membership_of(user=insider, community=community)
    )
    assert readable(insider) == set()
    assert not selectors.post_endorsements(user=insider, post=post).exists()


def test_community_turned_hidden_hides_its_posts(make_post, make_community, owner, outsider):
    community = make_community("open")
    make_post(title="Was open", community=community)
    group_actions.community_update(
        actor=owner,
        community=community,
        name=community.name,
        description="",
        visibility="hidden",
        topics=[],
    )
    assert readable(outsider) == set()


def test_library_filters_and_sorts(make_post, make_person, make_organisation, outsider):
    a = make_post(title="A", service_area="housing")
    b = make_post(title="B", service_area="waste-recycling")
    for _ in range(2):
        actions.endorse(person=make_person(organisation=make_organisation()), post=b)
    actions.repeat_record(person=outsider, post=a, status="trying")
    titles = lambda **kw: [p.title for p in selectors.practice_library(user=outsider, **kw)]  # noqa: E731
    assert titles(service_area="housing") == ["A"]
    assert titles(sort="most-endorsed")[0] == "B"
    assert titles(sort="most-repeated")[0] == "A"
    assert titles(promoted_only=True) == []
    library = {p.title: p for p in selectors.practice_library(user=outsider)}
    assert library["B"].endorsement_count == 2 and library["B"].repeat_count == 0


def test_home_feed_shows_practice_from_my_communities_and_expertise(
    make_post, make_community, make_person, member_of
):
    community = make_community("private")
    me = make_person(expertise=["damp and mould"])
    member_of(me, community)
    make_post(title="In my community", community=community)
    make_post(title="On my topic", topics=["Damp and mould"])
    make_post(title="Elsewhere", topics=["libraries"])
    assert {p.title for p in selectors.home_feed(user=me)} == {"In my community", "On my topic"}
