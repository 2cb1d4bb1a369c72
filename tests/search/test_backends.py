"""The contract every search backend passes (Wagtail's BackendTests pattern): one class of
behaviour, run once per backend. A backend runs only on its own database: on SQLite the
postgres class is skipped and on PostgreSQL the sqlite class, each saying why; Elasticsearch
runs only where ELASTICSEARCH_URL names a reachable server."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from groups import actions as group_actions
from groups.models import Membership
from practice import actions as practice_actions
from profiles import actions as profile_actions
from search.backends import get_search_backend
from search.backends.base import SearchRequest, SuggestRequest
from search.models import IndexEntry
from search.query import parse
from search.selectors import access_for, search, suggest

from .conftest import add_member, committed

HOSTILE = [
    '"unbalanced quote',
    "NEAR(damp mould, 3)",
    "damp* OR mould AND NOT",
    "*",
    "'; DROP TABLE search_fts; --",
    "title:damp body:(mould)",
    "^damp + {mould}",
    "🙂🏠 damp",
    "damp " * 3000,
    "\x00 damp",
    "-",
    '""',
    "a the of",
]


def kinds_and_titles(results) -> list[tuple[str, str]]:
    return [(r.kind, str(r.title).replace("<mark>", "").replace("</mark>", "")) for r in results]


def titles(user, text: str, **kwargs) -> list[str]:
    return [t for _, t in kinds_and_titles(search(user=user, text=text, **kwargs).results)]


def suggested(user, text: str, kind: str = "") -> list[str]:
    """The titles suggested to ``user`` for ``text`` (of one kind, when given)."""
    return [s.title for s in suggest(user=user, text=text) if not kind or s.kind == kind]


def backend_suggestions(user, *prefixes: str, kinds=("practice",), per_kind=8) -> list[str]:
    """The titles the backend itself suggests, before the selectors' re-check."""
    request = SuggestRequest(
        prefixes=prefixes, access=access_for(user=user), kinds=kinds, per_kind=per_kind
    )
    return [hit.title for hit in get_search_backend().suggest(request)]


class BackendContract:
    backend_path = ""
    vendor = ""

    @pytest.fixture(autouse=True)
    def _backend(self, settings, db):
        settings.SEARCH_BACKEND = self.backend_path
        get_search_backend().clear()

    # ---- finding ------------------------------------------------------------------------------

    def test_published_post_is_found_by_another_form_of_its_words(self, publish, outsider):
        publish(title="Cutting temporary accommodation costs")
        assert titles(outsider, "accommodations costing") == [
            "Cutting temporary accommodation costs"
        ]

    def test_words_are_ored_and_the_post_matching_more_ranks_first(self, publish, outsider):
        publish(title="Damp and mould in council homes", summary="Damp surveys every winter.")
        publish(title="Mould on library books", summary="Humidity control in archives.")
        publish(title="Bin collections", summary="Round changes.")
        assert titles(outsider, "damp mould") == [
            "Damp and mould in council homes",
            "Mould on library books",
        ]

    def test_quoted_phrase_must_appear_as_a_phrase(self, publish, outsider):
        publish(title="Housing disrepair claims", summary="Claims handled quickly.")
        publish(title="Claims about housing", summary="Disrepair is rare.")
        assert titles(outsider, '"housing disrepair"') == ["Housing disrepair claims"]

    def test_excluded_word_leaves_out_posts_containing_it(self, publish, outsider):
        publish(title="Damp in flats", summary="Ventilation fixed it.")
        publish(title="Damp after a fire", summary="Fire damage repairs.")
        assert titles(outsider, "damp -fire") == ["Damp in flats"]

    @pytest.mark.parametrize("text", HOSTILE)
    def test_any_input_gives_results_or_a_clear_message(self, publish, outsider, text):
        publish(title="Damp and mould", summary="Mould surveys.")
        results = search(user=outsider, text=text)
        assert results.results or results.message

    def test_edited_post_is_found_by_its_new_words_and_not_its_old(self, publish, owner, outsider):
        post = publish(title="Bin rounds")
        with committed():
            practice_actions.post_update(
                editor=owner,
                post=post,
                title="Garden waste subscriptions",
                summary=post.summary,
                service_area="waste-recycling",
            )
        assert titles(outsider, "garden subscriptions") == ["Garden waste subscriptions"]
        assert titles(outsider, "bin rounds") == []

    def test_deleted_message_and_deleted_person_disappear_at_once(
        self, make_community, make_person, owner, outsider, say
    ):
        community = make_community("open")
        message = say(community, "Our kerbside glass trial halved contamination")
        assert titles(outsider, "kerbside glass")
        with committed():
            group_actions.message_delete(actor=owner, message=message)
        assert titles(outsider, "kerbside glass") == []
        with committed():
            person = make_person(name="Quentin Zebedee")
        assert titles(outsider, "zebedee") == ["Quentin Zebedee"]
        with committed():
            profile_actions.person_delete(person=person)
        assert titles(outsider, "zebedee") == []

    def test_results_can_be_sorted_newest_first(self, publish, outsider):
        publish(title="Older library opening hours")
        publish(title="Newer library opening hours library library")
        newest = titles(outsider, "library", sort="newest")
        assert newest == [
            "Newer library opening hours library library",
            "Older library opening hours",
        ]

    def test_results_are_paginated(self, publish, outsider):
        for n in range(5):
            publish(title=f"Pothole repair {n}")
        first = search(user=outsider, text="pothole", per_page=2)
        third = search(user=outsider, text="pothole", per_page=2, page=3)
        assert len(first.results) == 2 and first.has_next
        assert len(third.results) == 1 and not third.has_next

    def test_snippets_escape_the_text_and_mark_the_matches(self, publish, outsider):
        publish(
            title="Safe <b>markup</b>", summary="A <script>alert(1)</script> about gritting roads"
        )
        [result] = search(user=outsider, text="gritting").results
        assert "<mark>gritting</mark>" in result.snippet
        # Text is escaped before marks are added (PostgreSQL's headline drops tags itself).
        assert "<script>" not in result.snippet and "alert(1)" in result.snippet
        assert "<b>" not in result.title

    # ---- permissions --------------------------------------------------------------------------

    def test_draft_is_found_only_by_its_authors(self, publish, owner, outsider):
        publish(title="Draft about allotments", publish=False)
        assert titles(owner, "allotments") == ["Draft about allotments"]
        assert titles(outsider, "allotments") == []

    def test_post_in_private_community_is_found_by_members_only(
        self, publish, make_community, make_person, owner, outsider
    ):
        private = make_community("private")
        member = make_person()
        add_member(owner, private, member)
        publish(title="Private playbook for flood wardens", community=private)
        assert titles(member, "flood wardens") == ["Private playbook for flood wardens"]
        assert titles(outsider, "flood wardens") == []
        assert search(user=outsider, text="flood wardens").kind_counts == {}

    def test_removed_member_no_longer_finds_community_messages(
        self, make_community, make_person, owner, say
    ):
        private = make_community("private")
        member = make_person()
        membership = add_member(owner, private, member)
        say(private, "Confidential restructure of the parking team")
        assert titles(member, "parking restructure")
        with committed():
            group_actions.member_remove(actor=owner, membership=membership)
        assert titles(member, "parking restructure") == []
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_hidden_community_is_invisible_to_non_members(self, make_community, owner, outsider):
        with committed():
            make_community("hidden", name="Secret procurement circle", description="Tenders")
        assert titles(owner, "procurement circle") == ["Secret procurement circle"]
        assert titles(outsider, "procurement circle") == []
        assert titles(outsider, "tenders") == []

    def test_private_community_is_found_by_name_but_not_by_description(
        self, make_community, outsider
    ):
        with committed():
            make_community("private", name="Coroners liaison", description="Inquest backlog notes")
        assert titles(outsider, "coroners") == ["Coroners liaison"]
        assert titles(outsider, "inquest backlog") == []

    def test_facet_counts_count_only_what_the_searcher_may_read(
        self, publish, make_community, make_organisation, make_person, owner, outsider
    ):
        private = make_community("private")
        publish(title="Winter gritting routes", community=private)
        publish(title="Gritting salt stock")
        seen = search(user=outsider, text="gritting")
        assert seen.kind_counts == {"practice": 1}
        communities = [f.label for f in seen.facets.get("community", [])]
        assert private.name not in communities
        assert sum(f.count for f in seen.facets["service_area"]) == 1
        assert search(user=owner, text="gritting").kind_counts == {"practice": 2}

    def test_permitted_hits_below_many_unreadable_better_matches_are_found(
        self, publish, make_community, owner, outsider, monkeypatch
    ):
        # However few of the best matches a backend ranks before the permission join.
        monkeypatch.setattr(type(get_search_backend()), "best_before_permission", 1, False)
        private = make_community("private")
        publish(title="Verge verge verge verge open")
        for n in range(8):
            publish(title=f"Verge verge verge cutting {n}", community=private)
        publish(title="Verges open too")
        publish(title="Verge open as well")
        first = search(user=outsider, text="verge", per_page=2)
        assert [t for _, t in kinds_and_titles(first.results)][0] == "Verge verge verge verge open"
        assert len(first.results) == 2 and first.has_next
        assert len(titles(outsider, "verge", per_page=2, page=2)) == 1
        assert len(titles(owner, "verge", per_page=20)) == 11

    def test_a_stale_index_entry_is_caught_by_the_selector_recheck(
        self, publish, make_community, outsider
    ):
        private = make_community("private")
        post = publish(title="Stale index entry about verges", community=private)
        # Simulate an index that has fallen behind: the entry claims to be network-wide.
        IndexEntry.objects.filter(kind="practice", object_id=post.pk).update(network_wide=True)
        if self.vendor == "sqlite" or self.vendor == "postgresql":
            IndexEntry.objects.filter(kind="practice", object_id=post.pk).update(community_id=None)
        assert titles(outsider, "verges") == []

    # ---- people -------------------------------------------------------------------------------

    def test_people_rank_by_expertise_and_evidence_and_say_why(
        self, publish, make_person, make_community, outsider, say
    ):
        with committed():
            writer = make_person(name="Wendy Writer")
            make_person(name="Dev Declared", expertise=["Damp and mould"])
        publish(author=writer, title="Damp and mould claims", summary="Surveys first.")
        publish(author=writer, title="Mould in tower blocks", summary="Damp fixes.")
        community = make_community("open")
        add_member(community.created_by, community, writer)
        say(community, "We cut damp complaints by half", author=writer)
        results = search(user=outsider, text="damp mould", kind="person").results
        names = [r.person.display_name for r in results if r.person]
        assert names[:2] == ["Wendy Writer", "Dev Declared"]
        why = results[0].why
        assert "wrote 2 practice posts on damp mould" in why
        assert any("1 message" in reason for reason in why)
        assert "their profile matches your search" in results[1].why

    def test_messages_the_searcher_cannot_read_are_not_evidence(
        self, make_person, make_community, outsider, say
    ):
        talker = make_person(name="Tara Talker")
        private = make_community("private")
        add_member(private.created_by, private, talker)
        say(private, "Asbestos surveys in schools", author=talker)
        results = search(user=outsider, text="asbestos", kind="person").results
        assert [r.person.display_name for r in results if r.person] == []

    # ---- suggestions as you type -------------------------------------------------------------

    def test_suggestions_match_the_beginnings_of_title_words(self, publish, outsider):
        publish(title="Damp and mould in council homes")
        publish(title="Mould on library books")
        publish(title="Bin collections", summary="Mould in bins.")
        assert sorted(suggested(outsider, "mou")) == [
            "Damp and mould in council homes",
            "Mould on library books",
        ]
        assert suggested(outsider, "dam mou") == ["Damp and mould in council homes"]
        assert suggested(outsider, "ould") == []  # beginnings of words only

    def test_a_half_typed_word_past_its_stem_still_matches(self, publish, outsider):
        publish(title="Cutting temporary accommodation costs")
        publish(title="Housing disrepair claims")
        assert suggested(outsider, "accommodati") == ["Cutting temporary accommodation costs"]
        assert suggested(outsider, "housi") == ["Housing disrepair claims"]
        assert suggested(outsider, "HOUSING DIS") == ["Housing disrepair claims"]

    def test_suggestions_of_a_kind_are_limited_and_the_best_come_first(self, publish, outsider):
        publish(title="Resurfacing after pothole repairs in a long winter")
        for n in range(6):
            publish(title=f"Pothole repair {n} with a longer title")
        publish(title="Pothole repair")
        found = backend_suggestions(outsider, "pot", per_kind=3)
        # Titles that begin with the prefix first, then shorter ones.
        assert found[0] == "Pothole repair" and len(found) == 3
        assert "Resurfacing after pothole repairs in a long winter" not in found

    def test_suggestions_cover_communities_people_and_declared_expertise(
        self, make_community, make_person, outsider
    ):
        with committed():
            make_community("open", name="Grounds maintenance leads")
            make_person(name="Grace Groundsworth", expertise=["Grounds maintenance"])
        kinds = {(s.kind, s.title) for s in suggest(user=outsider, text="groun")}
        assert kinds == {
            ("community", "Grounds maintenance leads"),
            ("person", "Grace Groundsworth"),
            ("expertise", "Grounds maintenance"),
        }

    def test_draft_titles_are_suggested_to_their_authors_only(self, publish, owner, outsider):
        publish(title="Draft about allotments", publish=False)
        assert suggested(owner, "allot") == ["Draft about allotments"]
        assert suggested(outsider, "allot") == []
        assert backend_suggestions(outsider, "allot") == []

    def test_hidden_community_and_its_posts_are_suggested_to_members_only(
        self, publish, make_community, make_person, owner, outsider
    ):
        with committed():
            hidden = make_community("hidden", name="Secret procurement circle")
        member = make_person()
        add_member(owner, hidden, member)
        publish(title="Procurement frameworks we share", community=hidden)
        for who in (owner, member):
            assert sorted(suggested(who, "procure")) == [
                "Procurement frameworks we share",
                "Secret procurement circle",
            ]
        assert suggested(outsider, "procure") == []
        assert backend_suggestions(outsider, "procure", kinds=("practice", "community")) == []

    def test_private_community_name_is_suggested_but_its_posts_are_not(
        self, publish, make_community, outsider
    ):
        with committed():
            private = make_community("private", name="Coroners liaison")
        publish(title="Coroners inquest backlog", community=private)
        assert suggested(outsider, "coro") == ["Coroners liaison"]

    def test_removed_member_no_longer_gets_the_community_posts_suggested(
        self, publish, make_community, make_person, owner
    ):
        private = make_community("private")
        member = make_person()
        membership = add_member(owner, private, member)
        publish(title="Confidential parking restructure", community=private)
        assert suggested(member, "parki") == ["Confidential parking restructure"]
        with committed():
            group_actions.member_remove(actor=owner, membership=membership)
        assert suggested(member, "parki") == []

    def test_a_stale_entry_is_kept_from_suggestions_by_the_selector_recheck(
        self, publish, make_community, outsider
    ):
        private = make_community("private")
        post = publish(title="Stale index entry about verges", community=private)
        IndexEntry.objects.filter(kind="practice", object_id=post.pk).update(
            network_wide=True, community_id=None
        )
        assert suggested(outsider, "verg") == []

    def test_a_deleted_person_is_no_longer_suggested(self, make_person, outsider):
        with committed():
            person = make_person(name="Quentin Zebedee")
        assert suggested(outsider, "zeb") == ["Quentin Zebedee"]
        with committed():
            profile_actions.person_delete(person=person)
        assert suggested(outsider, "zeb") == []

    @pytest.mark.parametrize("text", HOSTILE + ['"dam', "dam*", "dam:*", "'dam'", "dam\\"])
    def test_any_input_gives_suggestions_or_none(self, publish, outsider, text):
        publish(title="Damp and mould", summary="Mould surveys.")
        assert isinstance(suggest(user=outsider, text=text), list)

    # ---- index maintenance --------------------------------------------------------------------

    def test_clear_empties_the_index(self, publish, outsider):
        publish(title="Library fines abolished")
        backend = get_search_backend()
        assert backend.indexed_counts().get("practice") == 1
        backend.clear()
        assert backend.indexed_counts() == {}
        assert titles(outsider, "library fines") == []


class DatabaseBackendContract(BackendContract):
    """What the backends that live in the apps' own database promise besides the contract
    (Elasticsearch takes readable communities as ids only; test_elasticsearch.py checks that
    it refuses the selector's SQL)."""

    def test_communities_given_as_the_selectors_query_permit_what_their_ids_permit(
        self, publish, say, make_community, make_person, owner, outsider
    ):
        """A backend in the apps' own database may be given the readable communities as the
        communities selector's SQL, run inside its query; it finds, counts and suggests exactly
        what it does with their ids."""
        backend = get_search_backend()
        assert backend.reads_communities_query
        member = make_person()
        with committed():
            communities = [
                make_community(visibility, name=f"Gritting {visibility}")
                for visibility in ("open", "private", "hidden")
            ]
        for community in communities:
            publish(title=f"Gritting in the {community.visibility} one", community=community)
            say(community, "Gritting tonight")
            if community.visibility != "open":
                add_member(owner, community, member)
        publish(title="Gritting everywhere")
        publish(title="Gritting draft", publish=False)
        for who in (owner, member, outsider):
            by_ids = access_for(user=who)
            by_query = access_for(user=who, as_query=True)
            assert by_query.communities_query is not None and not by_query.community_ids
            for kind in ("", "practice", "message", "community"):
                pages = [
                    backend.search(
                        SearchRequest(
                            query=parse("gritting"), access=a, kind=kind, limit=50, facets=True
                        )
                    )
                    for a in (by_ids, by_query)
                ]
                assert pages[0].hits == pages[1].hits
                assert pages[0].kind_counts == pages[1].kind_counts
                assert pages[0].facets == pages[1].facets
            suggested = [
                backend.suggest(
                    SuggestRequest(
                        prefixes=("grit",), access=a, kinds=("practice", "community"), per_kind=50
                    )
                )
                for a in (by_ids, by_query)
            ]
            assert suggested[0] == suggested[1]
        assert len(backend.search(SearchRequest(query=parse("gritting"), access=by_query)).hits)


def _on_database(vendor: str) -> pytest.MarkDecorator:
    """A database backend's contract runs on its own database vendor only."""
    return pytest.mark.skipif(
        connection.vendor != vendor,
        reason=f"needs the {vendor} database; this run uses {connection.vendor} "
        "(.ci/run's other tier runs it)",
    )


@_on_database("sqlite")
class TestSQLiteBackend(DatabaseBackendContract):
    backend_path = "search.backends.sqlite"
    vendor = "sqlite"


@_on_database("postgresql")
class TestPostgresBackend(DatabaseBackendContract):
    backend_path = "search.backends.postgres"
    vendor = "postgresql"


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="no Elasticsearch server can run on this machine; set ELASTICSEARCH_URL "
    "(compose.yaml provides one) to run this contract against it",
)
class TestElasticsearchBackend(BackendContract):
    backend_path = "search.backends.elasticsearch"
    vendor = "elasticsearch"
