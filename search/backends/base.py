from __future__ import annotations


class BackendUnavailable(Exception):
    """The backend's store cannot be reached or lacks what the backend needs."""


class BaseSearchBackend:
    """What every search backend provides. Indexing and querying arrive with the search issue;
    the foundation needs only the health check."""

    name = "base"

    def check(self) -> None:
        """Raise BackendUnavailable, with a sentence saying why, if the backend cannot serve."""
        raise NotImplementedError("A search backend must say how to check that it is reachable.")
