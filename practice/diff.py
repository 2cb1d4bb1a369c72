"""What changed between two revisions of a practice post, field by field, line by line."""

from __future__ import annotations

import difflib
from typing import Any

FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "challenge": "The challenge and its context",
    "approach": "What we did",
    "outcomes": "Outcomes and impact",
    "cost": "Cost and resources",
    "lessons": "Lessons learned",
    "service_area": "Service area",
    "review_by": "Review by",
    "evidence_links": "Evidence links",
    "measures": "Measured figures",
    "topics": "Topics",
    "organisations": "Organisations involved",
    "contact": "Contact person",
}


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").splitlines()


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """For each field that differs: its label and the removed and added lines."""
    result = []
    for field, label in FIELD_LABELS.items():
        old, new = _lines(before.get(field)), _lines(after.get(field))
        if old == new:
            continue
        diff = list(difflib.ndiff(old, new))
        result.append(
            {
                "label": label,
                "removed": [line[2:] for line in diff if line.startswith("- ")],
                "added": [line[2:] for line in diff if line.startswith("+ ")],
            }
        )
    return result
