from django.contrib import admin

from .models import Comment, Endorsement, OutcomeMeasure, PracticePost, RepeatRecord, Revision


class OutcomeMeasureInline(admin.TabularInline):
    model = OutcomeMeasure
    extra = 0


@admin.register(PracticePost)
class PracticePostAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "service_area", "community", "promotion", "published_at"]
    list_filter = ["status", "service_area", "promotion"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["community", "contact", "created_by", "promoted_by"]
    filter_horizontal = ["authors", "organisations", "topics"]
    readonly_fields = ["source_type", "source_id", "source_title", "source_url"]
    inlines = [OutcomeMeasureInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["post", "author", "created_at", "deleted_at"]
    raw_id_fields = ["post", "author", "parent"]
    filter_horizontal = ["mentions"]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["post", "person", "created_at"]
    raw_id_fields = ["post", "person"]


@admin.register(RepeatRecord)
class RepeatRecordAdmin(admin.ModelAdmin):
    list_display = ["post", "organisation", "status", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["post", "organisation", "person"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["post", "number", "editor", "created_at"]
    raw_id_fields = ["post", "editor"]
