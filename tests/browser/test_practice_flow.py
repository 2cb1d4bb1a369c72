import pytest

from .conftest import sign_in
from .test_accessibility import scan


@pytest.fixture
def peers(make_person, make_organisation, organisation, transactional_db):
    author = make_person(
        name="Ada Author", email="ada@northmoor.gov.example", password="adas-long-password"
    )
    endorsers = [
        make_person(
            name=f"Peer {n}",
            email=f"peer{n}@council{n}.gov.example",
            organisation=make_organisation(domain=f"council{n}.gov.example"),
            password="peers-long-password",
        )
        for n in range(1, 4)
    ]
    return author, endorsers


def test_write_a_post_endorse_it_from_three_organisations_and_see_it_promoted(
    new_page, peers, capsys
):
    author, endorsers = peers
    report: list[str] = []
    blocking: list[str] = []

    page = new_page()
    sign_in(page, author.email, "adas-long-password")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    blocking += scan(page, "practice library", report)
    page.get_by_role("link", name="Share practice").click()
    blocking += scan(page, "write practice", report)
    page.get_by_label("Title").fill("Halving B&B stays for homeless families")
    page.get_by_role("textbox", name="One-paragraph summary").fill(
        "We paired housing officers with private landlords and cut average B&B stays."
    )
    page.get_by_role("textbox", name="What we did").fill(
        "Each officer owned three landlord relationships."
    )
    page.get_by_label("Service area").select_option(label="Housing")
    page.get_by_label("What was measured").first.fill("Average days in B&B")
    page.get_by_label("Before").first.fill("94")
    page.get_by_label("After").first.fill("61")
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("heading", name="Halving B&B stays for homeless families").wait_for()
    post_url = page.url
    blocking += scan(page, "practice post (author)", report)

    for n, endorser in enumerate(endorsers, start=1):
        peer = new_page()
        sign_in(peer, endorser.email, "peers-long-password")
        peer.goto(post_url)
        if n == 1:
            blocking += scan(peer, "practice post (reader)", report)
        peer.get_by_label("Why it is worth repeating").fill(f"We need this in council {n}")
        peer.get_by_role("button", name="Endorse as worth repeating").click()
        peer.get_by_text("You endorsed this as worth repeating.").wait_for()

    page.reload()
    page.get_by_text("Practice worth repeating", exact=True).first.wait_for()
    page.get_by_text("people from at least three other organisations").wait_for()
    blocking += scan(page, "promoted practice post", report)
    page.goto(post_url + "revisions/")
    blocking += scan(page, "revisions", report)

    with capsys.disabled():
        print(f"\naxe on practice pages: {len(report)} finding(s)")
        for line in report:
            print("  " + line)
    assert not blocking, "\n".join(blocking)
