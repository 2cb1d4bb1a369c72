from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "search"

    def ready(self) -> None:
        # Each app declares what it makes searchable in its search_indexes.py; registering
        # connects the signals that keep the index current.
        autodiscover_modules("search_indexes")
