"""Each main page scanned with axe-core (WCAG 2.0–2.2 A and AA rules plus best practice) in
Chromium, at desktop width and at 320 px. No serious or critical violation is allowed; every
finding is printed so the closing note can quote the scan."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from groups import actions as group_actions
from practice import actions as practice_actions

from .conftest import sign_in

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def network(make_person, make_community, organisation, owner, transactional_db):
    viewer = make_person(
        name="Vera Viewer",
        email="vera@northmoor.gov.example",
        password="veras-long-password",
        expertise=["digital inclusion"],
    )
    open_one = make_community("open", name="Digital inclusion leads", topics=["digital inclusion"])
    group_actions.community_join(person=viewer, community=open_one)
    restricted = make_community("restricted", name="Damp and mould response")
    private = make_community("private", name="Chief executives' circle")
    hidden = make_community("hidden", name="Cyber incident cell")
    group_actions.join_request_create(person=viewer, community=restricted, message="Please")
    group_actions.invitation_create(actor=owner, community=hidden, person=viewer)
    manage = make_community("restricted", name="Waste officers", creator=viewer)
    group_actions.join_request_create(person=owner, community=manage, message="May I join?")
    group_actions.invitation_create(actor=viewer, community=manage, email="someone@guest.example")
    post = practice_actions.post_create(
        author=owner,
        title="Halving B&B stays",
        summary="We paired officers with landlords.",
        service_area="housing",
        approach="**Each** officer owned three landlords.",
        measures=[{"label": "Average days in B&B", "before": 94, "after": 61, "unit": "days"}],
        evidence_links=[{"title": "Cabinet report", "url": "https://example.org/r.pdf"}],
        topics=["temporary accommodation"],
        publish=True,
    )
    practice_actions.comment_create(author=viewer, post=post, body="How long did it take?")
    # A conversation long enough for earlier pages, a mention of the viewer, and an edit.
    talk, _ = group_actions.conversation_create(
        author=owner, community=open_one, title="Device lending", body="Who?", client_id="t0"
    )
    for n in range(1, 60):
        group_actions.message_send(
            author=owner, conversation=talk, body=f"Note {n}, @**Vera Viewer**", client_id=f"t{n}"
        )
    own, _ = group_actions.message_send(
        author=viewer, conversation=talk, body="Fortnightly.", client_id="own"
    )
    group_actions.message_edit(actor=viewer, message=own, body="Weekly.")
    return {
        "talk": talk,
        "own": own,
        "post": post,
        "viewer": viewer,
        "open": open_one,
        "restricted": restricted,
        "private": private,
        "hidden": hidden,
        "manage": manage,
        "organisation": organisation,
    }


def scan(page, label: str, report: list[str]) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    blocking = []
    for violation in results.response["violations"]:
        nodes = len(violation["nodes"])
        line = (
            f"{label}: {violation['impact']} {violation['id']} ({nodes} nodes): {violation['help']}"
        )
        report.append(line)
        if violation["impact"] in BLOCKING:
            blocking.append(line)
    return blocking


def main_pages(network):
    hidden_token = network["hidden"].invitations.get().token
    return [
        ("home", "/"),
        ("communities", "/communities/"),
        ("community (member)", network["open"].get_absolute_url()),
        ("community (restricted, pending)", network["restricted"].get_absolute_url()),
        ("community (private, name only)", network["private"].get_absolute_url()),
        ("members (facilitator view)", network["manage"].get_absolute_url() + "members/"),
        ("new community", "/communities/new/"),
        ("invitation", f"/communities/invitations/{hidden_token}/"),
        ("people", "/people/"),
        ("person", network["viewer"].get_absolute_url()),
        ("edit profile", "/profile/edit/"),
        ("organisations", "/organisations/"),
        ("organisation", network["organisation"].get_absolute_url()),
        ("practice library", "/practice/"),
        ("practice post", network["post"].get_absolute_url()),
        ("share practice", "/practice/new/"),
        ("search results", "/search/?q=landlords+digital+inclusion"),
        ("search people", "/search/?q=digital+inclusion&type=person"),
        ("search message", "/search/?q=%22unbalanced+the"),
        ("not found", "/communities/no-such-community/"),
        ("conversation", network["talk"].get_absolute_url()),
        ("conversation, earlier page", network["talk"].get_absolute_url() + "?before=20"),
        ("notifications", "/notifications/"),
        (
            "message history",
            network["talk"].get_absolute_url() + f"messages/{network['own'].pk}/history/",
        ),
    ]


@pytest.mark.parametrize("width", [1280, 320])
def test_main_pages_have_no_serious_or_critical_axe_violations(new_page, network, width, capsys):
    report: list[str] = []
    blocking: list[str] = []

    anonymous = new_page(width=width)
    for label, url in [
        ("landing", "/"),
        ("sign in", "/sign-in/"),
        ("sign in with a password", "/accounts/login/"),
        ("sign up", "/accounts/signup/"),
        ("password reset", "/accounts/password/reset/"),
    ]:
        anonymous.goto(url)
        blocking += scan(anonymous, label, report)

    page = new_page(width=width)
    sign_in(page, "vera@northmoor.gov.example", "veras-long-password")
    for label, url in main_pages(network):
        page.goto(url)
        blocking += scan(page, label, report)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at {width}px wide"

    page.goto("/communities/new/")
    page.get_by_role("button", name="Create community").click()
    blocking += scan(page, "new community with errors", report)

    with capsys.disabled():
        print(
            f"\naxe at {width}px: {len(report)} finding(s) "
            f"on {len(main_pages(network)) + 5} page states"
        )
        for line in report:
            print("  " + line)
    assert not blocking, "\n".join(blocking)
