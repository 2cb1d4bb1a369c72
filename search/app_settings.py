"""The search app's settings, read when asked for (never at import) so override_settings works."""

from django.conf import settings
from django.db import connection

DEFAULT_BACKENDS = {
    "sqlite": "search.backends.sqlite",
    "postgresql": "search.backends.postgres",
}


def backend_path() -> str:
    """The dotted path of the search backend module: SEARCH_BACKEND if set, else Elasticsearch
    when ELASTICSEARCH_URL is set, else the full-text search of the database in use."""
    configured = getattr(settings, "SEARCH_BACKEND", "")
    if configured:
        return str(configured)
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        return "search.backends.elasticsearch"
    return DEFAULT_BACKENDS.get(connection.vendor, "search.backends.sqlite")


def elasticsearch_url() -> str:
    return str(getattr(settings, "ELASTICSEARCH_URL", ""))
