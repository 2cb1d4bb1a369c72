"""Regression tests for an independent security review: each names the hole it closes."""

import json

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from groups import actions as group_actions
from hub.errors import Conflict, NotAllowed
from practice import actions as practice_actions
from practice.models import PracticePost


def test_archiving_a_draft_is_refused_so_it_cannot_become_readable(
    make_community, owner, outsider, client
):
    draft = practice_actions.post_create(
        author=owner, title="Secret draft", summary="S", service_area="housing"
    )
    with pytest.raises(Conflict):
        practice_actions.post_archive(actor=owner, post=draft)
    client.force_login(owner)
    assert client.post(reverse("practice:archive", kwargs={"pk": draft.pk})).status_code == 409
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_co_author_outside_a_hidden_community_cannot_move_its_post_network_wide(
    make_community, owner, outsider, client
):
    hidden = make_community("hidden")
    draft = practice_actions.post_create(
        author=owner,
        title="Inside",
        summary="S",
        service_area="housing",
        community=hidden,
        co_authors=[outsider],
    )
    with pytest.raises(NotAllowed):
        practice_actions.post_update(
            editor=outsider,
            post=draft,
            title="Inside",
            summary="S",
            service_area="housing",
            community=None,
        )
    client.force_login(outsider)
    page = client.get(reverse("practice:edit", kwargs={"pk": draft.pk})).content.decode()
    assert f'value="{hidden.slug}" selected' in page  # the form keeps it where it is
    draft.refresh_from_db()
    assert draft.community == hidden


def test_editing_and_publishing_in_one_request_records_the_new_content(owner, client):
    draft = practice_actions.post_create(
        author=owner, title="Old title", summary="S", service_area="housing"
    )
    client.force_login(owner)
    client.post(
        reverse("practice:edit", kwargs={"pk": draft.pk}),
        {
            "title": "New title",
            "summary": "S",
            "service_area": "housing",
            "intent": "publish",
            "measures-TOTAL_FORMS": "0",
            "measures-INITIAL_FORMS": "0",
        },
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.revisions.get().content["title"] == "New title"


def test_profiles_do_not_reveal_membership_of_private_or_restricted_communities(
    make_community, owner, outsider, client
):
    make_community("private", name="Whistleblowers")
    make_community("restricted", name="Restructuring board")
    make_community("open", name="Open forum")
    client.force_login(outsider)
    page = client.get(owner.get_absolute_url()).content.decode()
    assert "Open forum" in page
    assert "Whistleblowers" not in page and "Restructuring board" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/communities/?q=%00",
        "/people/?q=%00",
        "/practice/?topic=%00",
        "/practice/?organisation=a%00",
        "/communities/?topic=%00",
        "/organisations/?region=%00",
        "/communities/invitations/%00/",
    ],
)
def test_nul_characters_in_parameters_never_cause_a_500(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code in {200, 404}


def test_private_community_topics_are_neither_filterable_nor_listed(
    make_community, outsider, client
):
    make_community("private", name="Quiet room", topics=["redundancy plans"])
    make_community("hidden", name="Hidden room", topics=["fraud investigation"])
    client.force_login(outsider)
    assert b"Quiet room" not in client.get("/communities/?topic=redundancy-plans").content
    listing = client.get("/communities/").content.decode()
    assert "redundancy plans" not in listing and "fraud investigation" not in listing
    assert "fraud investigation" not in client.get("/people/").content.decode()


def test_a_mail_server_that_is_down_does_not_fail_an_invitation(make_community, owner, client):
    community = make_community("private")
    client.force_login(owner)
    with override_settings(EMAIL_BACKEND="tests.test_review_findings.BrokenBackend"):
        response = client.post(
            reverse("groups:invite", kwargs={"slug": community.slug}), {"email": "x@guest.example"}
        )
    assert response.status_code == 302
    assert community.invitations.count() == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_inviting_again_resends_the_email(
    make_community, owner, django_capture_on_commit_callbacks
):
    community = make_community("private")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            group_actions.invitation_create(
                actor=owner, community=community, email="y@guest.example"
            )
    assert community.invitations.count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_healthz_does_not_reveal_connection_details(client):
    with override_settings(
        SEARCH_BACKEND="search.backends.elasticsearch",
        ELASTICSEARCH_URL="http://user:secret@127.0.0.1:1",
    ):
        body = json.loads(client.get("/healthz").content)
    assert body["checks"]["search"] == "unavailable"
    assert "secret" not in json.dumps(body)


def test_an_evidence_address_containing_a_bar_survives_editing(owner, client):
    post = practice_actions.post_create(
        author=owner,
        title="T",
        summary="S",
        service_area="housing",
        publish=True,
        evidence_links=[{"title": "Report", "url": "https://example.org/a|b"}],
    )
    client.force_login(owner)
    page = client.get(reverse("practice:edit", kwargs={"pk": post.pk}))
    evidence = page.context["form"].initial["evidence_links"]
    response = client.post(
        reverse("practice:edit", kwargs={"pk": post.pk}),
        {
            "title": "T",
            "summary": "S",
            "service_area": "housing",
            "evidence_links": evidence,
            "measures-TOTAL_FORMS": "0",
            "measures-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.evidence_links == [{"title": "Report", "url": "https://example.org/a|b"}]
    assert PracticePost.objects.count() == 1
