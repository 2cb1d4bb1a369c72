from django.urls import reverse

from groups import actions as group_actions


def test_directory_filters_by_organisation_region_and_expertise(
    client, make_person, make_organisation
):
    north = make_organisation(region="north-east")
    south = make_organisation(region="south-west")
    make_person(name="Dee Damp", organisation=north, expertise=["damp and mould"])
    make_person(name="Lee Libraries", organisation=south, expertise=["libraries"])
    client.force_login(make_person(name="Viewer"))
    url = reverse("profiles:directory")
    assert b"Lee Libraries" not in client.get(url, {"expertise": "damp-and-mould"}).content
    assert b"Dee Damp" in client.get(url, {"expertise": "damp-and-mould"}).content
    assert b"Dee Damp" not in client.get(url, {"region": "south-west"}).content
    assert b"Lee Libraries" in client.get(url, {"organisation": south.slug}).content
    assert b"Lee Libraries" in client.get(url, {"q": "librar"}).content


def test_profile_edit_by_its_owner(client, make_person):
    person = make_person()
    client.force_login(person)
    response = client.post(
        reverse("profiles:edit"),
        {"display_name": "New Name", "job_title": "Lead", "bio": "Hello", "expertise": "a, b"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "New Name"
    assert sorted(t.name for t in person.expertise.all()) == ["a", "b"]


def test_profile_edit_rejects_bad_input_with_a_message(client, make_person):
    person = make_person(name="Kept Name")
    client.force_login(person)
    response = client.post(reverse("profiles:edit"), {"display_name": "", "expertise": "x" * 70})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    person.refresh_from_db()
    assert person.display_name == "Kept Name"


def test_profile_shows_only_communities_the_viewer_may_see(
    client, make_person, make_community, outsider
):
    hidden = make_community("hidden", name="Secret taskforce")
    open_one = make_community("open", name="Open forum")
    member = make_person()
    group_actions.community_join(person=member, community=open_one)
    group_actions.invitation_respond(
        person=member,
        invitation=group_actions.invitation_create(
            actor=hidden.created_by, community=hidden, person=member
        ),
        accept=True,
    )
    client.force_login(outsider)
    page = client.get(member.get_absolute_url()).content
    assert b"Open forum" in page and b"Secret taskforce" not in page
    client.force_login(member)
    assert b"Secret taskforce" in client.get(member.get_absolute_url()).content


def test_organisation_pages(client, organisation, make_person):
    person = make_person(organisation=organisation, name="Nina North")
    client.force_login(person)
    assert b"Northmoor County Council" in client.get(reverse("profiles:organisations")).content
    assert b"Nina North" in client.get(organisation.get_absolute_url()).content
    assert (
        client.get(reverse("profiles:organisation", kwargs={"slug": "nowhere"})).status_code == 404
    )
    assert client.get(reverse("profiles:person", kwargs={"pk": 999999})).status_code == 404


def test_unreachable_identity_provider_gives_a_clear_503(client, make_organisation):
    """A council's provider that is down answers with a message, not a 500."""
    import socket

    from profiles import actions

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    council = make_organisation(name="Downshire Council", domain="downshire.gov.example")
    actions.organisation_connect_oidc(
        organisation=council,
        issuer=f"http://127.0.0.1:{closed_port}/o",
        client_id="c",
        client_secret="s",
    )
    response = client.post(reverse("sign_in"), {"email": "kay@downshire.gov.example"})
    assert response.status_code == 503
    assert "sign-in service cannot be reached" in response.content.decode()


def test_sign_in_page_rejects_a_malformed_email_with_a_message(client):
    response = client.post(reverse("sign_in"), {"email": "not an email"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
