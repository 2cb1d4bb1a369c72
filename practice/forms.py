from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from groups.models import Community
from profiles.actions import MAX_TOPICS, parse_topic_list
from profiles.models import Organisation, Person
from profiles.selectors import people_by_emails

from .models import RepeatRecord, ServiceArea

GUIDANCE = {
    "title": "Say what changed, e.g. “Halving time in B&B for homeless families”.",
    "summary": "One paragraph a busy colleague can read in thirty seconds: the problem, what you "
    "did, and the result.",
    "challenge": "What was going wrong, for whom, and how you knew. Include the local context "
    "another council would need to judge whether it applies to them.",
    "approach": "The steps you took, in order, with who did what. Enough detail to repeat it.",
    "outcomes": "What changed, with numbers where you have them (add measured figures below), "
    "and what did not change.",
    "cost": "Money, staff time and anything bought or commissioned; one-off and running costs.",
    "lessons": "What you would do differently, and what to watch out for.",
    "evidence_links": "One per line: a title, a vertical bar, then the address, e.g. "
    "“Cabinet report | https://…”. Web addresses only.",
    "topics": "Separate with commas, e.g. temporary accommodation, private rented sector.",
    "review_by": "When this should be checked again to be sure it still holds.",
    "contact": "Email of the person to ask about it; leave empty for yourself.",
    "co_authors": "Emails of colleagues who wrote it with you, separated by commas.",
}
MARKDOWN_HELP = " You can use Markdown: **bold**, lists, [links](https://…)."


def _text(label: str, name: str, *, required: bool = False, max_length: int = 20000, rows: int = 6):
    help_text = GUIDANCE.get(name, "") + ("" if name == "title" else MARKDOWN_HELP)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _people_by_email(text: str, field: str) -> list[Person]:
    emails = [e.strip().lower() for e in text.replace(";", ",").split(",") if e.strip()]
    if len(emails) > 20:
        raise ValidationError("Name at most 20 people.")
    found = people_by_emails(emails)
    missing = [e for e in emails if e not in found]
    if missing:
        raise ValidationError(f"No member of the network has the email {', '.join(missing)}.")
    return [found[e] for e in emails]


class PracticePostForm(forms.Form):
    title = forms.CharField(max_length=200, help_text=GUIDANCE["title"])
    summary = _text("One-paragraph summary", "summary", required=True, max_length=1000, rows=3)
    challenge = _text("The challenge and its context", "challenge")
    approach = _text("What we did", "approach")
    outcomes = _text("Outcomes and impact", "outcomes")
    cost = _text("Cost and resources", "cost", max_length=10000, rows=3)
    lessons = _text("Lessons learned", "lessons", rows=4)
    evidence_links = forms.CharField(
        label="Evidence links",
        required=False,
        max_length=8000,
        help_text=GUIDANCE["evidence_links"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    service_area = forms.ChoiceField(choices=[("", "Choose a service area"), *ServiceArea.choices])
    topics = forms.CharField(required=False, max_length=1200, help_text=GUIDANCE["topics"])
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        label="Organisations involved",
        help_text="Leave empty for your own organisation. Hold Ctrl or Cmd to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    community = forms.ChoiceField(
        label="Where it lives",
        required=False,
        help_text="Network-wide posts are readable by every member of the network; posts in a "
        "community by those who can read that community.",
    )
    contact = forms.EmailField(
        required=False, label="Contact person", help_text=GUIDANCE["contact"]
    )
    co_authors = forms.CharField(
        required=False, max_length=2000, label="Co-authors", help_text=GUIDANCE["co_authors"]
    )
    review_by = forms.DateField(
        required=False,
        label="Review by",
        help_text=GUIDANCE["review_by"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, communities=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.communities = {c.slug: c for c in communities}
        self.fields["community"].choices = [("", "Network-wide")] + [
            (c.slug, c.name) for c in communities
        ]

    def clean_evidence_links(self) -> list[dict[str, str]]:
        links = []
        for line in self.cleaned_data.get("evidence_links", "").splitlines():
            if not line.strip():
                continue
            # "Title | address": split at the first bar, since addresses may contain one.
            title, _, url = line.partition("|") if "|" in line else ("", "", line)
            links.append({"title": title.strip(), "url": url.strip()})
        return links

    def clean_topics(self) -> list[str]:
        names = parse_topic_list(self.cleaned_data.get("topics", ""))
        if len(names) > MAX_TOPICS:
            raise ValidationError(f"Choose at most {MAX_TOPICS} topics.")
        return names

    def clean_community(self) -> Community | None:
        slug = self.cleaned_data.get("community") or ""
        return self.communities.get(slug) if slug else None

    def clean_contact(self) -> Person | None:
        email = self.cleaned_data.get("contact")
        return _people_by_email(email, "contact")[0] if email else None

    def clean_co_authors(self) -> list[Person]:
        return _people_by_email(self.cleaned_data.get("co_authors", ""), "co_authors")


class MeasureForm(forms.Form):
    label = forms.CharField(required=False, max_length=200, label="What was measured")
    before = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    after = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    unit = forms.CharField(required=False, max_length=40)


MeasureFormSet = forms.formset_factory(MeasureForm, extra=2, max_num=12, validate_max=True)


class EndorseForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=1000,
        label="Why it is worth repeating (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RepeatForm(forms.Form):
    status = forms.ChoiceField(choices=RepeatRecord.Status.choices)
    started_on = forms.DateField(
        required=False, label="Started on", widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.CharField(
        required=False,
        max_length=5000,
        label="Outcome so far",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=10000,
        label="Comment",
        help_text="Mention someone with @**Their Name**. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class PromoteForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        label="Why this is practice worth repeating",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    review_by = forms.DateField(
        label="Next review by", widget=forms.DateInput(attrs={"type": "date"})
    )
