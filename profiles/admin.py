from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Organisation, OrganisationDomain, Person, Topic


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "slug", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationDomainInline]


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
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )
