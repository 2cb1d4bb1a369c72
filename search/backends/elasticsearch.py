from __future__ import annotations

import json
import urllib.error
import urllib.request

from search import app_settings

from .base import BackendUnavailable, BaseSearchBackend


class ElasticsearchSearchBackend(BaseSearchBackend):
    """Elasticsearch, chosen by ELASTICSEARCH_URL."""

    name = "elasticsearch"

    def check(self) -> None:
        url = app_settings.elasticsearch_url().rstrip("/") + "/_cluster/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - operator's URL
                status = json.load(response).get("status")
        except (OSError, ValueError, urllib.error.URLError) as error:
            raise BackendUnavailable(f"Elasticsearch cannot be reached: {error}") from error
        if status not in {"green", "yellow"}:
            raise BackendUnavailable(f"Elasticsearch cluster status is {status}.")


SearchBackend = ElasticsearchSearchBackend
