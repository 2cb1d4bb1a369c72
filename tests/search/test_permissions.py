"""Property: whatever happens to communities, memberships, posts and messages, search never
shows anyone a hit, a count or a snippet they may not read.

Hypothesis generates communities of every visibility, people joining, leaving and being
removed, communities changing visibility, practice posts (drafts and published, network-wide or
in a community) moving between communities or deleted, and messages sent and deleted. After
each sequence, every person's search for a word that everything contains must return exactly
what the apps' own selectors let them read: the backend's counts (filtered inside its query)
must equal the selectors' counts, and every hit and facet value must be readable.
Suggestions as you type are held to the same: the backend's suggestions equal what the
selectors allow, and every suggestion leads to something readable.

It runs on the database in use, with that database's backend: sqlite on SQLite, postgres on
PostgreSQL.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from groups import actions as group_actions
from groups.models import Community, Membership, Message, Visibility
from groups.selectors import communities_listed, communities_readable, conversations_readable
from practice import actions as practice_actions
from practice.models import PracticePost
from practice.selectors import posts_readable
from profiles import actions as profile_actions
from search.backends import get_search_backend
from search.backends.base import SuggestRequest
from search.selectors import access_for, search, suggest

WORD = "zephyr"
PEOPLE = 4
_n = itertools.count(1)

visibility = st.sampled_from(list(Visibility.values))
person = st.integers(min_value=0, max_value=PEOPLE - 1)
slot = st.integers(min_value=0, max_value=5)

operation = st.one_of(
    st.tuples(st.just("community"), visibility),
    st.tuples(st.just("join"), person, slot),
    st.tuples(st.just("leave"), person, slot),
    st.tuples(st.just("remove"), person, slot),
    st.tuples(st.just("visibility"), slot, visibility),
    st.tuples(st.just("post"), person, st.one_of(st.none(), slot), st.booleans()),
    st.tuples(st.just("move"), slot, st.one_of(st.none(), slot)),
    st.tuples(st.just("delete_post"), slot),
    st.tuples(st.just("message"), person, slot),
    st.tuples(st.just("delete_message"), slot),
)


class SearchNeverLeaks(TestCase):
    def _start(self) -> None:
        # Hypothesis resets the database for each example, but not the test's attributes.
        n = next(_n)
        self.owner = profile_actions.person_create(
            email=f"owner{n}@prop.example", display_name="Owner", email_verified=True
        )
        self.people = [
            profile_actions.person_create(
                email=f"p{n}-{i}@prop.example", display_name=f"Person {i}", email_verified=True
            )
            for i in range(PEOPLE)
        ]
        self.communities: list[Community] = []
        self.posts: list[PracticePost] = []
        self.messages: list[Message] = []
        get_search_backend().clear()

    def _pick(self, items: list, index: int | None):
        if index is None or not items:
            return None
        return items[index % len(items)]

    def _apply(self, op: tuple) -> None:
        kind, *args = op
        owner = self.owner
        if kind == "community":
            self.communities.append(
                group_actions.community_create(
                    creator=owner,
                    name=f"{WORD} community {next(_n)}",
                    description=f"{WORD} description",
                    visibility=args[0],
                )
            )
        elif kind == "join":
            community = self._pick(self.communities, args[1])
            who = self.people[args[0]]
            if (
                community is None
                or Membership.objects.filter(community=community, person=who).exists()
            ):
                return
            invitation = group_actions.invitation_create(
                actor=owner, community=community, person=who
            )
            group_actions.invitation_respond(person=who, invitation=invitation, accept=True)
        elif kind in {"leave", "remove"}:
            community = self._pick(self.communities, args[1])
            who = self.people[args[0]]
            membership = Membership.objects.filter(community=community, person=who).first()
            if membership is None:
                return
            if kind == "leave":
                group_actions.community_leave(person=who, community=community)
            else:
                group_actions.member_remove(actor=owner, membership=membership)
        elif kind == "visibility":
            community = self._pick(self.communities, args[0])
            if community is None:
                return
            community.refresh_from_db()
            group_actions.community_update(
                actor=owner,
                community=community,
                name=community.name,
                description=community.description,
                visibility=args[1],
                topics=[],
            )
        elif kind == "post":
            community = self._pick(self.communities, args[1])
            author = self.people[args[0]]
            if (
                community is not None
                and not Membership.objects.filter(community=community, person=author).exists()
            ):
                author = owner
            self.posts.append(
                practice_actions.post_create(
                    author=author,
                    title=f"{WORD} practice {next(_n)}",
                    summary=f"About {WORD}.",
                    service_area="housing",
                    community=community,
                    publish=args[2],
                )
            )
        elif kind == "move":
            post = self._pick(self.posts, args[0])
            if post is None or not PracticePost.objects.filter(pk=post.pk).exists():
                return
            post.refresh_from_db()
            target = self._pick(self.communities, args[1])
            editor = post.authors.first()
            members = Membership.objects.filter(person=editor)
            if (post.community_id and not members.filter(community=post.community).exists()) or (
                target is not None and not members.filter(community=target).exists()
            ):
                return
            practice_actions.post_update(
                editor=editor,
                post=post,
                title=post.title,
                summary=post.summary,
                service_area=post.service_area,
                community=target,
            )
        elif kind == "delete_post":
            post = self._pick(self.posts, args[0])
            if post is not None:
                # No action deletes a practice post yet; deletion by the admin is a plain delete.
                PracticePost.objects.filter(pk=post.pk).delete()
        elif kind == "message":
            community = self._pick(self.communities, args[1])
            who = self.people[args[0]]
            if community is None:
                return
            if not Membership.objects.filter(community=community, person=who).exists():
                who = owner
            _, message = group_actions.conversation_create(
                author=who,
                community=community,
                title=f"{WORD} thread",
                body=f"{WORD} message {next(_n)}",
                client_id=f"c{next(_n)}",
            )
            self.messages.append(message)
        elif kind == "delete_message":
            message = self._pick(self.messages, args[0])
            if message is not None and Message.objects.filter(pk=message.pk).exists():
                message.refresh_from_db()
                if message.deleted_at is None:
                    group_actions.message_delete(actor=owner, message=message)

    def _assert_nothing_unreadable(self) -> None:
        for who in [self.owner, *self.people]:
            readable = {
                "practice": set(posts_readable(user=who).values_list("pk", flat=True)),
                "message": set(
                    Message.objects.filter(
                        conversation__in=conversations_readable(user=who), deleted_at__isnull=True
                    ).values_list("pk", flat=True)
                ),
                "community": set(communities_listed(user=who).values_list("pk", flat=True)),
            }
            content_communities = {
                str(pk) for pk in communities_readable(user=who).values_list("pk", flat=True)
            }
            found = search(user=who, text=WORD, per_page=200)
            for result in found.results:
                assert result.object_id in readable[result.kind], (who, result)
            # The backend's own counts, filtered inside its query, match the selectors exactly.
            for kind, ids in readable.items():
                assert found.kind_counts.get(kind, 0) == len(ids), (who, kind, found.kind_counts)
            for facet in found.facets.get("community", []):
                assert facet.value in content_communities, (who, facet)
            self._assert_suggestions_readable(who, readable)

    def _assert_suggestions_readable(self, who, readable: dict[str, set[int]]) -> None:
        """Suggestions as you type: the backend's own, filtered inside its query, are exactly
        what the selectors allow, and the page's suggestions lead only to readable things."""
        kinds = ("practice", "community")
        backend = get_search_backend()
        # Readable communities as ids, and as the selector's query where the backend takes it.
        for as_query in {False, backend.reads_communities_query}:
            access = access_for(user=who, as_query=as_query)
            request = SuggestRequest(
                prefixes=(WORD[:3],), access=access, kinds=kinds, per_kind=1000
            )
            hits = backend.suggest(request)
            for kind in kinds:
                found = {h.object_id for h in hits if h.kind == kind}
                assert found == readable[kind], (who, as_query, kind, found, readable[kind])
        urls = {p.get_absolute_url() for p in posts_readable(user=who)}
        urls |= {c.get_absolute_url() for c in communities_listed(user=who)}
        for suggestion in suggest(user=who, text=WORD[:3], limit=10):
            assert suggestion.url in urls, (who, suggestion)

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(operations=st.lists(operation, min_size=1, max_size=20))
    def test_search_shows_nobody_anything_they_may_not_read(self, operations: list) -> None:
        self._start()
        for op in operations:
            with self.captureOnCommitCallbacks(execute=True):
                self._apply(op)
        self._assert_nothing_unreadable()
