"""The search index's own tables. Backends store rows here; they never import app models.

``IndexEntry`` and ``IndexFacet`` are shared by the database backends. Each backend's text
index is created by migration 0002 on its own database vendor only: an FTS5 table on SQLite;
postings, document frequencies and statistics on PostgreSQL (its BM25 is computed in SQL).
"""

from __future__ import annotations

from django.db import models


class IndexEntry(models.Model):
    """One searchable thing (a practice post, a message, a community, a person) and the filter
    fields that decide who may find it. A row with no community, not network-wide and no
    readers matches nobody: a missing permission field denies."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    date = models.DateTimeField(null=True, db_index=True)
    # Permission filter fields.
    network_wide = models.BooleanField(default=False)
    community_id = models.BigIntegerField(null=True, db_index=True)
    # ",3,17," when only these people may read it (drafts); empty otherwise.
    readers = models.TextField(blank=True, default="")
    # Evidence for people search: ",3,17," the authors, and how many endorsements it has.
    author_ids = models.TextField(blank=True, default="")
    endorsement_count = models.IntegerField(default=0)
    length = models.FloatField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_index_entry_each")
        ]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class IndexFacet(models.Model):
    """One facet value of an entry (organisation, region, service area, community, year)."""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    label = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["name", "value"])]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class IndexBuild(models.Model):
    """Progress of a ``search_index rebuild`` or ``update``, so an interrupted run resumes."""

    operation = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)
    last_object_id = models.BigIntegerField(default=0)
    done = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind"], name="one_build_per_kind")]

    def __str__(self) -> str:
        return f"{self.operation} {self.kind} after {self.last_object_id}"


class PendingIndex(models.Model):
    """An object waiting for the indexing worker (``SEARCH_INDEXING=worker``). Written when
    the transaction that changed the object commits, deleted in the worker's transaction that
    indexes it, so queued work outlives a server restart."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} queued"
