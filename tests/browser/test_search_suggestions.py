"""Suggestions as you type in the header's search box, in Chromium: typed, chosen with the
arrow keys and Enter, dismissed with Escape, and scanned with axe while open, at desktop width
and at 320 px. Without a suggestion chosen, Enter still submits the search."""

import pytest
from playwright.sync_api import expect

from groups import actions as group_actions
from practice import actions as practice_actions

from .conftest import sign_in
from .test_accessibility import scan


@pytest.fixture
def network(make_person, make_community, owner, transactional_db):
    reader = make_person(
        name="Rhys Reader", email="rhys@northmoor.gov.example", password="rhyss-long-password"
    )
    hidden = make_community("hidden", name="Damp and mould taskforce")
    for title in ("Damp and mould in council homes", "Mould surveys before winter"):
        practice_actions.post_create(
            author=owner,
            title=title,
            summary="Surveys first, then ventilation.",
            service_area="housing",
            publish=True,
        )
    secret = practice_actions.post_create(
        author=owner,
        title="Damp and mould taskforce minutes",
        summary="Members only.",
        service_area="housing",
        community=hidden,
        publish=True,
    )
    make_person(name="Amy Dampier-Moulton", expertise=["Damp and mould"])
    group_actions.community_create(creator=owner, name="Damp network", visibility="open")
    return {"reader": reader, "hidden": hidden, "secret": secret}


@pytest.mark.parametrize("width", [1280, 320])
def test_type_choose_a_suggestion_with_the_arrow_keys_and_go_to_it(
    new_page, network, width, capsys
):
    report: list[str] = []
    page = new_page(width=width)
    sign_in(page, "rhys@northmoor.gov.example", "rhyss-long-password")
    box = page.get_by_role("combobox", name="Search the hub")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("damp mou", delay=40)
    listbox = page.get_by_role("listbox", name="Search suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(3)
    names = [options.nth(n).get_attribute("aria-label") for n in range(3)]
    assert names == [
        "Damp and mould in council homes, Practice",
        "Amy Dampier-Moulton, Person",
        "Damp and mould, Expertise, People who know about it",
    ]
    # Hidden communities and their posts are for their members only.
    assert "taskforce" not in listbox.inner_text()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="3 suggestions")).to_have_count(1)
    blocking = scan(page, f"search suggestions open at {width}px", report)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the suggestions scroll sideways by {overflow}px at {width}px wide"

    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    blocking += scan(page, f"search suggestion chosen at {width}px", report)

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("damp mou")

    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url("**/practice/*/")
    expect(page.get_by_role("heading", name="Damp and mould in council homes")).to_be_visible()

    with capsys.disabled():
        print(f"\naxe on search suggestions at {width}px: {len(report)} finding(s)")
        for line in report:
            print("  " + line)
    assert not blocking, "\n".join(blocking)


def test_enter_without_a_chosen_suggestion_searches_and_escape_clears(new_page, network):
    page = new_page()
    sign_in(page, "rhys@northmoor.gov.example", "rhyss-long-password")
    box = page.get_by_role("combobox", name="Search the hub")
    box.press_sequentially("mould", delay=40)
    expect(page.get_by_role("listbox", name="Search suggestions")).to_be_visible()
    box.press("Escape")
    box.press("Escape")
    expect(box).to_have_value("")
    box.press_sequentially("mould", delay=40)
    expect(page.get_by_role("listbox", name="Search suggestions")).to_be_visible()
    box.press("Enter")
    page.wait_for_url("**/search/?q=mould")
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()


def test_a_suggestion_can_be_chosen_with_the_mouse(new_page, network):
    page = new_page()
    sign_in(page, "rhys@northmoor.gov.example", "rhyss-long-password")
    page.get_by_role("combobox", name="Search the hub").press_sequentially("damp net", delay=40)
    page.get_by_role("option", name="Damp network, Community").click()
    page.wait_for_url("**/communities/damp-network/")
