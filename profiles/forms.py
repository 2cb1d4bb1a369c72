from __future__ import annotations

from django import forms

from . import actions
from .models import Person


class SignupDetailsForm(forms.Form):
    """The fields allauth's signup form adds to email and password."""

    display_name = forms.CharField(
        label="Your name", max_length=120, help_text="As colleagues know you, e.g. Priya Shah."
    )
    job_title = forms.CharField(
        label="Job title", max_length=120, required=False, help_text="e.g. Housing options officer."
    )

    field_order = ["display_name", "job_title", "email", "password1", "password2"]

    def signup(self, request, user: Person) -> None:  # type: ignore[no-untyped-def]
        actions.profile_update(
            person=user,
            display_name=self.cleaned_data["display_name"],
            job_title=self.cleaned_data.get("job_title", ""),
        )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Your name", max_length=120)
    job_title = forms.CharField(label="Job title", max_length=120, required=False)
    bio = forms.CharField(
        label="About you",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences on your role and what you can help colleagues with.",
    )
    expertise = forms.CharField(
        label="Areas of expertise",
        max_length=1200,
        required=False,
        help_text="Separate with commas, e.g. damp and mould, temporary accommodation.",
    )

    def clean_expertise(self) -> list[str]:
        names = actions.parse_topic_list(self.cleaned_data.get("expertise", ""))
        if len(names) > actions.MAX_TOPICS:
            raise forms.ValidationError(f"Choose at most {actions.MAX_TOPICS} areas.")
        if any(len(n.strip()) > 60 for n in names):
            raise forms.ValidationError("Keep each area to 60 characters.")
        return names


class WorkEmailForm(forms.Form):
    """Home-realm discovery: the first step of signing in."""

    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="We send you to your organisation's sign-in page when it has one.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
