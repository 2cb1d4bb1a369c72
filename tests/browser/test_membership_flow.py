import re

from django.core import mail

from groups.models import Membership
from profiles.models import Person

from .conftest import sign_in


def test_sign_up_verify_create_community_request_and_approve(
    new_page, make_person, organisation, transactional_db
):
    alice = new_page()
    alice.goto("/")
    alice.get_by_role("link", name="Create an account").first.click()
    alice.get_by_label("Your name").fill("Alice Adams")
    alice.get_by_label("Job title").fill("Digital inclusion lead")
    alice.get_by_label("Email").fill("alice@northmoor.gov.example")
    alice.get_by_label("Password:", exact=True).fill("a-long-pass-phrase-2026")
    alice.get_by_label("Password (again)").fill("a-long-pass-phrase-2026")
    alice.get_by_role("button", name="Sign Up").click()
    alice.wait_for_url("**/confirm-email/")

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(
        1
    )
    alice.goto(link)
    alice.get_by_role("button", name="Confirm").click()
    alice.get_by_role("heading", name="Welcome, Alice Adams").wait_for()
    assert Person.objects.get(email="alice@northmoor.gov.example").organisation == organisation

    alice.get_by_role("link", name="Start a community").first.click()
    alice.get_by_label("Name", exact=True).fill("Digital inclusion leads")
    alice.get_by_role("textbox", name=re.compile("^Description")).fill(
        "Leads who help residents get online share what works."
    )
    alice.get_by_label(re.compile("^Restricted")).check()
    alice.get_by_role("textbox", name=re.compile("^Topics")).fill("digital inclusion, libraries")
    alice.get_by_role("button", name="Create community").click()
    alice.get_by_role("heading", name="Digital inclusion leads").wait_for()

    make_person(name="Bob Brown", email="bob@guest.example", password="bobs-long-password")
    bob = new_page()
    sign_in(bob, "bob@guest.example", "bobs-long-password")
    bob.get_by_role("navigation", name="Main").get_by_role("link", name="Communities").click()
    bob.get_by_role("link", name="Digital inclusion leads").click()
    bob.get_by_label("Message to the facilitators").fill("I run the library digital helpers.")
    bob.get_by_role("button", name="Ask to join").click()
    bob.get_by_text("A facilitator will decide").wait_for()

    alice.reload()
    alice.get_by_role("link", name=re.compile("Manage members")).click()
    alice.get_by_text("I run the library digital helpers.").wait_for()
    alice.get_by_role("button", name="Approve Bob Brown").click()
    alice.get_by_text("Bob Brown is now a member").wait_for()

    bob.reload()
    bob.get_by_text("You are a member of this community.").wait_for()
    assert Membership.objects.filter(person__email="bob@guest.example").count() == 1
