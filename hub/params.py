"""Query-string parameters for filters and searches, cleaned once for every view."""

from django.http import HttpRequest


def text_param(request: HttpRequest, name: str, max_length: int = 100, default: str = "") -> str:
    """The parameter as text: stripped, cut to ``max_length``, and without NUL characters,
    which PostgreSQL refuses in text (they would otherwise turn a filter into a 500)."""
    value = request.GET.get(name, default)
    return value.replace("\x00", "").strip()[:max_length]
