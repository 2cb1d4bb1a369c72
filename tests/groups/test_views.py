import pytest
from django.urls import reverse

from groups import actions, selectors
from groups.models import JoinRequest, Role


@pytest.fixture
def signed_in(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


def page(slug, name="groups:community", **kw):
    return reverse(name, kwargs={"slug": slug, **kw})


def test_pages_require_sign_in(client, make_community):
    community = make_community("open")
    for url in (reverse("groups:directory"), page(community.slug), reverse("profiles:directory")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("sign_in"))


def test_non_member_gets_404_for_a_hidden_community_and_every_action_on_it(
    signed_in, make_community, outsider
):
    hidden = make_community("hidden", name="Secret taskforce", description="very secret")
    client = signed_in(outsider)
    assert client.get(page(hidden.slug)).status_code == 404
    assert client.get(page(hidden.slug, "groups:members")).status_code == 404
    for name in ("groups:join", "groups:request", "groups:leave", "groups:invite"):
        assert client.post(page(hidden.slug, name)).status_code == 404
    directory = client.get(reverse("groups:directory"), {"q": "secret"})
    assert b"Secret taskforce" not in directory.content
    assert b"Secret taskforce" not in client.get(reverse("home")).content
    assert b"Secret taskforce" not in client.get(outsider.get_absolute_url()).content
    assert b"Secret taskforce" not in client.get(hidden.created_by.get_absolute_url()).content


def test_private_community_shows_its_name_only(signed_in, make_community, make_person, outsider):
    private = make_community(
        "private", name="Quiet room", description="the marmalade plan", topics=["quincejelly"]
    )
    member = make_person(name="Mandy Member")
    actions.invitation_respond(
        person=member,
        invitation=actions.invitation_create(
            actor=private.created_by, community=private, person=member
        ),
        accept=True,
    )
    client = signed_in(outsider)
    response = client.get(page(private.slug))
    assert response.status_code == 200
    assert b"Quiet room" in response.content
    # Long words: a three-letter one turned up by chance in the page's random tokens.
    for secret in (b"marmalade", b"Mandy Member", b"quincejelly", b"Olive Owner"):
        assert secret not in response.content
    listing = client.get(reverse("groups:directory"))
    assert b"Quiet room" in listing.content and b"marmalade" not in listing.content
    assert client.get(page(private.slug, "groups:members")).status_code == 403


def test_restricted_community_shows_about_but_not_members(signed_in, make_community, outsider):
    restricted = make_community("restricted", name="Front room", description="for housing leads")
    response = signed_in(outsider).get(page(restricted.slug))
    assert b"for housing leads" in response.content
    assert b"Olive Owner" not in response.content
    assert b"Ask to join" in response.content


def test_request_then_approval_over_http(signed_in, make_community, outsider, owner):
    restricted = make_community("restricted")
    client = signed_in(outsider)
    assert (
        client.post(page(restricted.slug, "groups:request"), {"message": "Please"}).status_code
        == 302
    )
    again = client.post(page(restricted.slug, "groups:request"))
    assert again.status_code == 409
    assert b"already asked" in again.content
    join_request = JoinRequest.objects.get(person=outsider)
    # The asker cannot approve themselves.
    forged = client.post(
        page(restricted.slug, "groups:decide", pk=join_request.pk), {"decision": "approve"}
    )
    assert forged.status_code == 404
    client = signed_in(owner)
    members_page = client.get(page(restricted.slug, "groups:members"))
    assert outsider.display_name.encode() in members_page.content
    response = client.post(
        page(restricted.slug, "groups:decide", pk=join_request.pk), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert selectors.membership_of(user=outsider, community=restricted).role == Role.MEMBER


def test_declined_request_gives_no_access_over_http(signed_in, make_community, outsider, owner):
    private = make_community("private", description="inside only")
    signed_in(outsider).post(page(private.slug, "groups:request"))
    join_request = JoinRequest.objects.get(person=outsider)
    signed_in(owner).post(
        page(private.slug, "groups:decide", pk=join_request.pk), {"decision": "decline"}
    )
    response = signed_in(outsider).get(page(private.slug))
    assert b"inside only" not in response.content
    assert signed_in(outsider).get(page(private.slug, "groups:members")).status_code == 403


def test_removed_member_loses_access_at_once_over_http(signed_in, make_community, outsider, owner):
    hidden = make_community("hidden")
    actions.invitation_respond(
        person=outsider,
        invitation=actions.invitation_create(actor=owner, community=hidden, person=outsider),
        accept=True,
    )
    assert signed_in(outsider).get(page(hidden.slug)).status_code == 200
    membership = selectors.membership_of(user=outsider, community=hidden)
    signed_in(owner).post(page(hidden.slug, "groups:remove", pk=membership.pk))
    assert signed_in(outsider).get(page(hidden.slug)).status_code == 404


def test_invitation_link_works_only_for_the_invitee(
    signed_in, make_community, outsider, make_person
):
    hidden = make_community("hidden", name="Secret taskforce")
    invitation = actions.invitation_create(
        actor=hidden.created_by, community=hidden, person=outsider
    )
    url = reverse("groups:invitation", kwargs={"token": invitation.token})
    assert signed_in(make_person()).get(url).status_code == 404
    client = signed_in(outsider)
    assert b"Secret taskforce" in client.get(url).content
    assert client.post(url, {"answer": "accept"}).status_code == 302
    assert client.get(page(hidden.slug)).status_code == 200


def test_last_owner_leaving_gets_a_clear_4xx(signed_in, make_community, owner):
    community = make_community("open")
    response = signed_in(owner).post(page(community.slug, "groups:leave"))
    assert response.status_code == 409
    assert b"last owner" in response.content


def test_bad_input_gets_4xx_with_a_message_not_a_500(signed_in, make_community, owner, outsider):
    community = make_community("open")
    client = signed_in(owner)
    membership = selectors.membership_of(user=owner, community=community)
    assert (
        client.post(
            page(community.slug, "groups:role", pk=membership.pk), {"role": "emperor"}
        ).status_code
        == 400
    )
    assert (
        client.post(page(community.slug, "groups:invite"), {"email": "not-an-email"}).status_code
        == 400
    )
    long_name = client.post(reverse("groups:create"), {"name": "x" * 500, "visibility": "open"})
    assert long_name.status_code == 400
    assert b"There is a problem" in long_name.content
    bad_visibility = client.post(reverse("groups:create"), {"name": "Fine", "visibility": "secret"})
    assert bad_visibility.status_code == 400
    assert (
        signed_in(outsider)
        .post(page(community.slug, "groups:request"), {"message": "x" * 2000})
        .status_code
        == 400
    )
    assert client.get(reverse("groups:directory"), {"page": "banana"}).status_code == 200
    assert client.get(reverse("groups:invitation", kwargs={"token": "x" * 500})).status_code == 404


def test_create_edit_and_join_flow_over_http(signed_in, owner, outsider):
    client = signed_in(owner)
    response = client.post(
        reverse("groups:create"),
        {
            "name": "Digital inclusion leads",
            "description": "Share what works",
            "visibility": "open",
            "topics": "digital inclusion, libraries",
        },
    )
    assert response.status_code == 302
    slug = "digital-inclusion-leads"
    response = client.post(
        page(slug, "groups:edit"),
        {
            "name": "Digital inclusion leads",
            "description": "Changed",
            "visibility": "restricted",
            "topics": "",
        },
    )
    assert response.status_code == 302
    stranger = signed_in(outsider)
    assert stranger.get(page(slug, "groups:edit")).status_code == 403
    assert stranger.post(page(slug, "groups:join")).status_code == 403


def test_get_is_not_allowed_for_writes(signed_in, make_community, outsider):
    community = make_community("open")
    assert signed_in(outsider).get(page(community.slug, "groups:join")).status_code == 405


def test_facilitator_invites_a_person_from_their_profile(
    signed_in, make_community, owner, outsider
):
    hidden = make_community("hidden", name="Secret taskforce")
    client = signed_in(owner)
    profile = client.get(outsider.get_absolute_url())
    assert b"Secret taskforce" in profile.content  # offered in the invite menu
    response = client.post(
        reverse("groups:invite_person"), {"person": outsider.pk, "community": hidden.slug}
    )
    assert response.status_code == 302
    assert selectors.my_invitations(user=outsider).get().community == hidden


def test_a_member_cannot_invite_from_a_profile_and_strangers_get_404(
    signed_in, make_community, make_person, outsider
):
    hidden = make_community("hidden")
    open_one = make_community("open")
    member = make_person()
    actions.community_join(person=member, community=open_one)
    url = reverse("groups:invite_person")
    assert b"Invite" not in signed_in(member).get(outsider.get_absolute_url()).content
    assert (
        signed_in(member).post(url, {"person": outsider.pk, "community": open_one.slug}).status_code
        == 403
    )
    assert (
        signed_in(member).post(url, {"person": outsider.pk, "community": hidden.slug}).status_code
        == 404
    )
    assert signed_in(member).post(url, {"person": "x", "community": hidden.slug}).status_code == 400
