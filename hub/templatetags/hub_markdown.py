from django import template
from django.utils.safestring import SafeString, mark_safe

from hub.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render with the one safe Markdown subset; the output is sanitised, so marked safe."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 in render_markdown
