from __future__ import annotations

from django import forms

from profiles.actions import MAX_TOPICS, parse_topic_list

from .models import VISIBILITY_HELP, Role, Visibility


class CommunityForm(forms.Form):
    name = forms.CharField(
        max_length=120, help_text="Short and searchable, e.g. Digital inclusion leads."
    )
    description = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Who the community is for and what members share.",
    )
    visibility = forms.ChoiceField(
        choices=[(v.value, f"{v.label}: {VISIBILITY_HELP[v]}") for v in Visibility],
        widget=forms.RadioSelect,
        initial=Visibility.OPEN,
    )
    topics = forms.CharField(
        max_length=1200,
        required=False,
        help_text="Separate with commas, e.g. digital inclusion, libraries.",
    )

    def clean_topics(self) -> list[str]:
        names = parse_topic_list(self.cleaned_data.get("topics", ""))
        if len(names) > MAX_TOPICS:
            raise forms.ValidationError(f"Choose at most {MAX_TOPICS} topics.")
        if any(len(n.strip()) > 60 for n in names):
            raise forms.ValidationError("Keep each topic to 60 characters.")
        return names


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Message to the facilitators (optional)",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text=(
            "A colleague in the network, or someone outside it: they get an email with a link."
        ),
    )


class InvitePersonForm(forms.Form):
    person = forms.IntegerField(min_value=1)
    community = forms.SlugField(max_length=80)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=10000,
        label="Your message",
        help_text="Mention someone with @**Their Name**. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_id = forms.RegexField(regex=r"^[A-Za-z0-9_.:-]{1,64}$", widget=forms.HiddenInput)
    # The message this one replies to; the view checks that it may be read (and the action
    # that it is in the same conversation).
    reply_to = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), "The message you replied to could not be found."
        ),
    )


class ConversationForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="The topic, e.g. “Lending laptops to residents”."
    )
    body = forms.CharField(
        max_length=10000, label="First message", widget=forms.Textarea(attrs={"rows": 5})
    )
    client_id = forms.RegexField(regex=r"^[A-Za-z0-9_.:-]{1,64}$", widget=forms.HiddenInput)
