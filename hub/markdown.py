"""The one safe Markdown subset for everything people write: practice posts, comments and
conversation messages. Raw HTML is never passed through; the rendered HTML is sanitised again
with nh3 (an allow-list), so a bug in either layer alone cannot let a script through."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["strikethrough", "table"]
    )


def _demote_headings(html: str) -> str:
    # A heading in someone's text sits under the page's own h1 and h2.
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}>", html)


def render_markdown(text: str) -> str:
    """Safe HTML for ``text``. Links get rel="nofollow noopener"; only http, https and mailto
    URLs (and relative links) survive."""
    html = _demote_headings(_parser().render(text or ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )


MENTION = re.compile(r"@\*\*([^*\n]{1,120})\*\*")


def mentioned_names(text: str) -> list[str]:
    """Names written as @**Display Name**, the mention syntax (as Zulip's)."""
    return [name.strip() for name in MENTION.findall(text or "")]


def link_mentions(text: str, people: dict[str, str]) -> str:
    """Replace each @**Name** whose lower-cased name is in ``people`` (name -> profile URL)
    with a Markdown link, before rendering."""

    def replace(match: re.Match[str]) -> str:
        url = people.get(match.group(1).strip().lower())
        return f"[@{match.group(1).strip()}]({url})" if url else match.group(0)

    return MENTION.sub(replace, text or "")
