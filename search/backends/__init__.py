"""Search backends: a base class and a loader from a dotted path in settings, in the manner of
Django's cache handler and Wagtail's search backends. Each backend module ends with
``SearchBackend = TheClass``."""

from __future__ import annotations

from importlib import import_module

from search import app_settings

from .base import BaseSearchBackend


def get_search_backend(path: str | None = None) -> BaseSearchBackend:
    module = import_module(path or app_settings.backend_path())
    backend_class: type[BaseSearchBackend] = module.SearchBackend
    return backend_class()
