"""Measure search relevance and speed on a BEIR-format test collection.

Every document becomes a network-wide practice post in a throwaway database, written by the
project's own bulk-import action and indexed by the same code the signals use; every query is
run through the search page's selector as an ordinary member. nDCG@10 and recall@100 are
computed with trec_eval's semantics (pytrec-eval-terrier).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

BACKENDS = {
    "sqlite": ("search.backends.sqlite", "sqlite"),
    "postgres": ("search.backends.postgres", "postgresql"),
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            parts = line.strip().split("\t")
            if len(parts) != 3 or (number == 0 and not parts[2].lstrip("-").isdigit()):
                continue
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "Measure nDCG@10, recall@100 and latency of a search backend on a BEIR dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, help="a BEIR folder (corpus.jsonl ...)")
        parser.add_argument("--split", default="test", help="qrels/<split>.tsv")
        parser.add_argument("--backend", choices=sorted(BACKENDS), required=True)
        parser.add_argument("--json", action="store_true", help="print only the JSON")
        parser.add_argument(
            "--current-database",
            action="store_true",
            help="load into the database in use instead of a new throwaway one (for tests, "
            "whose database is already throwaway)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = Path(options["dataset"])
        qrels_path = dataset / "qrels" / f"{options['split']}.tsv"
        for path in (dataset / "corpus.jsonl", dataset / "queries.jsonl", qrels_path):
            if not path.is_file():
                raise CommandError(f"{path} is missing: is {dataset} a BEIR folder?")
        backend_path, vendor = BACKENDS[options["backend"]]
        if connection.vendor != vendor:
            raise CommandError(
                f"The {options['backend']} backend needs the {vendor} database; this one is "
                f"{connection.vendor}. Set DATABASE_URL accordingly."
            )
        try:
            import pytrec_eval  # noqa: F401 - checked here, used in _report
        except ImportError as error:
            raise CommandError("Install the dev requirements (pytrec-eval-terrier).") from error

        corpus = read_jsonl(dataset / "corpus.jsonl")
        qrels = read_qrels(qrels_path)
        queries = [q for q in read_jsonl(dataset / "queries.jsonl") if str(q["_id"]) in qrels]
        quiet = options["json"]

        if options["current_database"]:
            with override_settings(SEARCH_BACKEND=backend_path, DEBUG=False):
                result = self._measure(corpus, queries, qrels, options["backend"], quiet)
            self._report(result, corpus, queries, qrels, options)
            return
        settings_dict = connection.settings_dict
        saved_test_settings = dict(settings_dict.get("TEST") or {})
        settings_dict["TEST"] = dict(saved_test_settings)
        if vendor == "postgresql":
            settings_dict["TEST"]["NAME"] = f"{settings_dict['NAME']}_search_benchmark"
        else:
            settings_dict["TEST"]["NAME"] = None  # in memory
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            # Measured as a server runs: without DEBUG's query log.
            with override_settings(SEARCH_BACKEND=backend_path, DEBUG=False):
                result = self._measure(corpus, queries, qrels, options["backend"], quiet)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            settings_dict["TEST"] = saved_test_settings
        self._report(result, corpus, queries, qrels, options)

    def _report(
        self,
        result: dict[str, Any],
        corpus: list[dict[str, Any]],
        queries: list[dict[str, Any]],
        qrels: dict[str, dict[str, int]],
        options: dict[str, Any],
    ) -> None:
        import pytrec_eval

        quiet = options["json"]
        evaluator = pytrec_eval.RelevanceEvaluator(
            {q: dict(d) for q, d in qrels.items() if q in result["run"]},
            {"ndcg_cut.10", "recall.100"},
        )
        scores = evaluator.evaluate(result["run"])
        per_query = list(scores.values())
        output = {
            "backend": options["backend"],
            "documents": len(corpus),
            "queries": len(queries),
            "ndcg@10": round(statistics.fmean(s["ndcg_cut_10"] for s in per_query), 4),
            "recall@100": round(statistics.fmean(s["recall_100"] for s in per_query), 4),
            "latency_ms": {
                "median": round(statistics.median(result["latencies"]), 2),
                "p95": round(percentile(result["latencies"], 0.95), 2),
            },
            "index_seconds": round(result["index_seconds"], 2),
        }
        self.stdout.write(json.dumps(output, indent=None if quiet else 2))

    def _measure(
        self,
        corpus: list[dict[str, Any]],
        queries: list[dict[str, Any]],
        qrels: dict[str, dict[str, int]],
        backend: str,
        quiet: bool,
    ) -> dict[str, Any]:
        from practice.actions import posts_import
        from practice.models import ServiceArea
        from profiles.actions import person_create
        from search.selectors import search

        importer = person_create(
            email="importer@benchmark.example", display_name="Importer", email_verified=True
        )
        member = person_create(
            email="member@benchmark.example", display_name="Ordinary member", email_verified=True
        )
        if not quiet:
            self.stderr.write(f"Importing and indexing {len(corpus)} documents…")
        started = time.perf_counter()
        post_ids = posts_import(
            author=importer,
            service_area=ServiceArea.PUBLIC_HEALTH,
            posts=({"title": d.get("title", ""), "body": d.get("text", "")} for d in corpus),
        )
        # As search_index does after a load, and as a running server's index would be.
        from search.backends import get_search_backend

        get_search_backend().optimize()
        index_seconds = time.perf_counter() - started
        doc_for_post = {pk: str(d["_id"]) for pk, d in zip(post_ids, corpus, strict=True)}
        run: dict[str, dict[str, float]] = {}
        latencies: list[float] = []
        # One untimed query warms caches and prepared plans, as a running server has them.
        search(user=member, text="warm up", per_page=100, facets=False, snippets=False)
        for query in queries:
            started = time.perf_counter()
            page = search(
                user=member, text=query["text"], per_page=100, facets=False, snippets=False
            )
            latencies.append((time.perf_counter() - started) * 1000)
            run[str(query["_id"])] = {
                doc_for_post[r.object_id]: float(100 - rank)
                for rank, r in enumerate(page.results)
                if r.object_id in doc_for_post
            }
        return {"run": run, "latencies": latencies, "index_seconds": index_seconds}
