from django.contrib import admin

from .models import Community, Invitation, JoinRequest, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "visibility", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["topics"]
    inlines = [MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["community", "person", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["community", "person", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["community", "person", "email", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["community", "person", "invited_by"]
    exclude = ["token"]
