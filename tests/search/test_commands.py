"""search_index (rebuild, update, clear, status; resumable) and search_benchmark."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from search.backends import get_search_backend
from search.models import IndexBuild, IndexEntry
from search.selectors import search


def run(*args: str) -> str:
    out = StringIO()
    call_command("search_index", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_rebuild_indexes_what_bulk_writes_left_out_and_status_says_so(publish, outsider):
    post = publish(title="Leisure centre energy")
    get_search_backend().clear()
    assert "practice: 0 indexed of 1 in the database" in run("status")
    run("rebuild")
    assert "practice: 1 indexed of 1 in the database" in run("status")
    assert [r.object_id for r in search(user=outsider, text="leisure energy").results] == [post.pk]


def test_update_removes_entries_whose_objects_are_gone(publish):
    post = publish(title="Parking permits online")
    run("update")
    pk = post.pk
    post.delete()  # its after-commit removal never runs here, as when a worker died
    assert IndexEntry.objects.filter(kind="practice", object_id=pk).exists()
    run("update", "--kind", "practice")
    assert not IndexEntry.objects.filter(kind="practice", object_id=pk).exists()


def test_clear_empties_the_index(publish):
    publish(title="Street lighting")
    run("clear")
    assert IndexEntry.objects.count() == 0


def test_interrupted_rebuild_resumes_after_the_last_finished_batch(publish):
    first = publish(title="Cemetery maintenance")
    second = publish(title="Crematorium bookings")
    get_search_backend().clear()
    # A rebuild that stopped after the batch ending with the first post.
    IndexBuild.objects.create(operation="rebuild", kind="practice", last_object_id=first.pk)
    output = run("rebuild", "--kind", "practice")
    assert f"Resuming rebuild of practice after id {first.pk}" in output
    indexed = set(IndexEntry.objects.filter(kind="practice").values_list("object_id", flat=True))
    assert indexed == {second.pk}
    assert "interrupted" not in run("status")
    run("rebuild", "--kind", "practice")
    assert IndexEntry.objects.filter(kind="practice").count() == 2


def test_unknown_kind_is_refused_with_a_message():
    with pytest.raises(Exception, match="Unknown type"):
        run("rebuild", "--kind", "nonsense")


@pytest.mark.django_db(transaction=True)
def test_benchmark_reports_relevance_and_latency_on_a_beir_folder(tmp_path):
    corpus = [
        {"_id": "d1", "title": "Damp and mould", "text": "Damp surveys find mould in homes."},
        {"_id": "d2", "title": "Bin collections", "text": "Missed bins are collected next day."},
        {"_id": "d3", "title": "Libraries", "text": "Opening hours extended at weekends."},
    ]
    queries = [{"_id": "q1", "text": "mould in homes"}, {"_id": "q2", "text": "missed bins"}]
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus))
    (tmp_path / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries))
    (tmp_path / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n"
    )
    backend = "postgres" if connection.vendor == "postgresql" else "sqlite"
    out = StringIO()
    call_command(
        "search_benchmark",
        "--dataset",
        str(tmp_path),
        "--split",
        "test",
        "--backend",
        backend,
        "--json",
        # On PostgreSQL the test database cannot host a second throwaway database of the
        # benchmark's own; the test database is throwaway already.
        *(["--current-database"] if connection.vendor == "postgresql" else []),
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["backend"] == backend
    assert result["documents"] == 3 and result["queries"] == 2
    assert result["ndcg@10"] == 1.0 and result["recall@100"] == 1.0
    assert set(result["latency_ms"]) == {"median", "p95"} and result["index_seconds"] >= 0
