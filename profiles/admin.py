from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.html import format_html_join

from hub.errors import ActionError

from . import actions, selectors
from .models import Organisation, OrganisationDomain, OrganisationIdentityProvider, Person, Topic


class OrganisationDomainForm(forms.ModelForm):
    class Meta:
        model = OrganisationDomain
        fields = ["domain"]

    def clean_domain(self) -> str:
        # Stored in lower case: normalised before the uniqueness checks, so "Eastwick.GOV.example"
        # next to an existing "eastwick.gov.example" is a form error, not a failed save.
        return str(self.cleaned_data["domain"]).strip().lower()


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    form = OrganisationDomainForm
    extra = 1


class OrganisationIdentityProviderInline(admin.StackedInline):
    model = OrganisationIdentityProvider
    raw_id_fields = ["social_app"]
    extra = 0


class OrganisationAdminForm(forms.ModelForm):
    """The organisation, plus the same ways to connect its identity provider as
    `manage.py organisation add`: an OIDC issuer with client ID and secret, or SAML metadata."""

    oidc_issuer = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="Tenant-specific, e.g. https://login.microsoftonline.com/TENANT-ID/v2.0",
    )
    client_id = forms.CharField(required=False)
    client_secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False))
    saml_metadata_url = forms.URLField(required=False, assume_scheme="https")
    saml_metadata_xml = forms.CharField(
        required=False, widget=forms.Textarea, label="SAML metadata document"
    )

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "region", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [
            data.get("oidc_issuer"),
            data.get("saml_metadata_url"),
            data.get("saml_metadata_xml"),
        ]
        if sum(bool(c) for c in chosen) > 1:
            raise forms.ValidationError("Choose one identity provider: OIDC, SAML by URL or file.")
        if data.get("oidc_issuer") and not (data.get("client_id") and data.get("client_secret")):
            raise forms.ValidationError("An OIDC provider needs its client ID and secret.")
        if data.get("saml_metadata_xml"):
            try:
                actions.saml_idp_from_metadata(data["saml_metadata_xml"])
            except ActionError as error:
                raise forms.ValidationError(error.message) from error
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "slug", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationDomainInline, OrganisationIdentityProviderInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "region", "is_active")}),
        (
            "Connect or re-point its identity provider",
            {
                "fields": (
                    "oidc_issuer",
                    "client_id",
                    "client_secret",
                    "saml_metadata_url",
                    "saml_metadata_xml",
                )
            },
        ),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        data, organisation = form.cleaned_data, form.instance
        try:
            if data.get("oidc_issuer"):
                actions.organisation_connect_oidc(
                    organisation=organisation,
                    issuer=data["oidc_issuer"],
                    client_id=data["client_id"],
                    client_secret=data["client_secret"],
                )
            elif data.get("saml_metadata_url") or data.get("saml_metadata_xml"):
                actions.organisation_connect_saml(
                    organisation=organisation,
                    metadata_url=data.get("saml_metadata_url", ""),
                    metadata_xml=data.get("saml_metadata_xml", ""),
                )
        except ActionError as error:
            messages.error(request, error.message)


@admin.register(OrganisationIdentityProvider)
class OrganisationIdentityProviderAdmin(admin.ModelAdmin):
    """The provider's client ID, secret, issuer or metadata live on its SocialApp (allauth's
    admin, "Social applications"); this links it to the organisation and shows what to give
    the identity provider."""

    list_display = ["organisation", "protocol", "social_app", "link_existing_accounts"]
    raw_id_fields = ["social_app"]
    readonly_fields = ["give_the_identity_provider"]

    @admin.display(description="Give the identity provider")
    def give_the_identity_provider(self, obj: OrganisationIdentityProvider) -> str:
        if not obj.pk:
            return "-"
        endpoints = selectors.identity_provider_endpoints(
            identity_provider=obj, base_url=settings.HUB_BASE_URL
        )
        return format_html_join("", "<p>{}: <code>{}</code></p>", endpoints.items())


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "organisation__region"]
    search_fields = ["email", "display_name"]
    autocomplete_fields = ["organisation", "expertise"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "job_title", "organisation", "bio", "expertise")}),
        (
            "Access",
            {
                "fields": (
                    "is_active",
                    "is_organisation_admin",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )
