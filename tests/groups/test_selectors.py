import pytest

from groups import actions, selectors


@pytest.fixture
def network(make_community, make_person):
    """One community of each visibility, all owned by the same owner, and a stranger."""
    communities = {
        v: make_community(v, name=f"{v} club") for v in ("open", "restricted", "private", "hidden")
    }
    return communities, make_person(name="Stranger")


def slugs(queryset):
    return {c.slug for c in queryset}


def test_stranger_lists_all_but_hidden_and_reads_only_open(network):
    communities, stranger = network
    assert slugs(selectors.communities_listed(user=stranger)) == {
        communities[v].slug for v in ("open", "restricted", "private")
    }
    assert slugs(selectors.communities_readable(user=stranger)) == {communities["open"].slug}


def test_member_lists_and_reads_their_hidden_community(network):
    communities, stranger = network
    hidden = communities["hidden"]
    invitation = actions.invitation_create(
        actor=hidden.created_by, community=hidden, person=stranger
    )
    actions.invitation_respond(person=stranger, invitation=invitation, accept=True)
    assert hidden.slug in slugs(selectors.communities_listed(user=stranger))
    assert hidden.slug in slugs(selectors.communities_readable(user=stranger))


def test_removed_member_loses_access_at_once(network):
    communities, stranger = network
    hidden = communities["hidden"]
    invitation = actions.invitation_create(
        actor=hidden.created_by, community=hidden, person=stranger
    )
    actions.invitation_respond(person=stranger, invitation=invitation, accept=True)
    actions.member_remove(
        actor=hidden.created_by, membership=selectors.membership_of(user=stranger, community=hidden)
    )
    assert hidden.slug not in slugs(selectors.communities_listed(user=stranger))
    assert not selectors.community_members(user=stranger, community=hidden).exists()


def test_member_list_is_empty_for_those_who_cannot_read(network):
    communities, stranger = network
    for visibility in ("restricted", "private", "hidden"):
        assert not selectors.community_members(
            user=stranger, community=communities[visibility]
        ).exists()
    assert selectors.community_members(user=stranger, community=communities["open"]).exists()


def test_private_community_descriptions_are_not_searchable_by_strangers(
    make_community, make_person
):
    make_community("private", name="Quiet room", description="the secret word is marmalade")
    make_community("restricted", name="Front room", description="marmalade recipes")
    stranger = make_person()
    assert slugs(selectors.community_directory(user=stranger, q="marmalade")) == {"front-room"}
    assert slugs(selectors.community_directory(user=stranger, q="quiet")) == {"quiet-room"}


def test_suggestions_never_reveal_what_only_members_may_see(
    make_community, make_person, make_organisation
):
    my_org = make_organisation()  # the communities' owner is from another organisation
    make_community("open", name="Damp network", topics=["damp and mould"])
    make_community("restricted", name="Damp leads", topics=["damp and mould"])
    make_community("private", name="Damp private", topics=["damp and mould"])
    make_community("hidden", name="Damp secret", topics=["damp and mould"])
    make_community("open", name="Unrelated", topics=["libraries"])
    colleague = make_person(organisation=my_org)
    for name, visibility in (("Colleague club", "open"), ("Colleague board", "restricted")):
        club = make_community(visibility, name=name)
        invitation = actions.invitation_create(
            actor=club.created_by, community=club, person=colleague
        )
        actions.invitation_respond(person=colleague, invitation=invitation, accept=True)
    me = make_person(organisation=my_org, expertise=["Damp and mould"])
    suggested = [c.slug for c in selectors.suggested_communities(user=me)]
    # Topics of open and restricted communities are shown, so they may match; a colleague's
    # membership is public only in open communities.
    assert suggested == ["damp-leads", "damp-network", "colleague-club"]


def test_pending_requests_are_shown_only_to_managers(make_community, make_person):
    community = make_community("restricted")
    asker, member = make_person(), make_person()
    actions.join_request_create(person=asker, community=community)
    invitation = actions.invitation_create(
        actor=community.created_by, community=community, person=member
    )
    actions.invitation_respond(person=member, invitation=invitation, accept=True)
    assert selectors.pending_requests(user=community.created_by, community=community).count() == 1
    assert selectors.pending_requests(user=member, community=community).count() == 0
    assert selectors.pending_requests(user=asker, community=community).count() == 0
