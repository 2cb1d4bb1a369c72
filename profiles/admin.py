from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html_join

from . import selectors
from .models import Organisation, OrganisationDomain, OrganisationIdentityProvider, Person, Topic


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1


class OrganisationIdentityProviderInline(admin.StackedInline):
    model = OrganisationIdentityProvider
    raw_id_fields = ["social_app"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "slug", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationDomainInline, OrganisationIdentityProviderInline]


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
