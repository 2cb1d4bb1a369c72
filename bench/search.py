"""Search latency on the demo network, as the search page sees it.

    DATABASE_URL=postgres://... python manage.py seed_demo --size large
    DATABASE_URL=postgres://... python manage.py search_index update
    DATABASE_URL=postgres://... python -m bench.search [--queries 200]

Runs one-word and five-word queries, drawn with a fixed seed from the words of the network's
own practice titles, community names and expertise, through search.selectors.search (the
search page's selector: permission filter, facets, snippets, re-check) as a member of ten
communities, and prints JSON with the median and p95 latency of each. Target on PostgreSQL:
p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200, help="queries of each length")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import override_settings

    from groups import actions as group_actions
    from groups.models import Community, Visibility
    from profiles.models import Person, Topic
    from search.backends import get_search_backend
    from search.query import STOP_WORDS
    from search.selectors import search

    member = (
        Person.objects.filter(is_active=True)
        .annotate(n=Count("memberships"))
        .filter(n=10)
        .order_by("pk")
        .first()
    )
    if member is None:
        member = (
            Person.objects.filter(is_active=True)
            .annotate(n=Count("memberships"))
            .filter(n__lt=10)
            .order_by("-n", "pk")
            .first()
        )
        if member is None:
            raise SystemExit("No people: run seed_demo --size large first.")
        for community in Community.objects.filter(visibility=Visibility.OPEN).exclude(
            memberships__person=member
        )[: 10 - member.memberships.count()]:
            group_actions.community_join(person=member, community=community)

    from practice.models import PracticePost

    texts = list(PracticePost.objects.values_list("title", flat=True))
    texts += list(Community.objects.values_list("name", flat=True))
    texts += list(Topic.objects.values_list("name", flat=True))
    words = sorted(
        {w for t in texts for w in re.findall(r"[a-z]{3,}", t.lower()) if w not in STOP_WORDS}
    )
    chance = random.Random(args.seed)
    one_word = [chance.choice(words) for _ in range(args.queries)]
    five_words = [" ".join(chance.sample(words, 5)) for _ in range(args.queries)]

    def measure(queries: list[str]) -> dict[str, float]:
        search(user=member, text=queries[0])  # warm up
        timings = []
        for text in queries:
            started = time.perf_counter()
            search(user=member, text=text)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        return {
            "queries": len(timings),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[max(0, round(0.95 * len(timings)) - 1)], 2),
        }

    with override_settings(DEBUG=False):
        backend = get_search_backend()
        result = {
            "backend": backend.name,
            "database": connection.vendor,
            "indexed": backend.indexed_counts(),
            "member_of_communities": member.memberships.count(),
            "one_word": measure(one_word),
            "five_words": measure(five_words),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
