from django.contrib import admin

from meetup.showcase.models import Collection, Comment, Project, ProjectLink, Report


class LinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0
    raw_id_fields = ["hub_model"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "created_by", "event", "visibility", "like_count", "trending_score", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["title", "summary", "slug"]
    raw_id_fields = ["created_by", "event"]
    filter_horizontal = ["team"]
    readonly_fields = ["like_count", "trending_score"]
    inlines = [LinkInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["project", "author", "visibility", "created_at"]
    list_filter = ["visibility"]
    raw_id_fields = ["project", "author"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_public", "created_at"]
    raw_id_fields = ["owner"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reporter", "project", "comment", "status", "created_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["reporter", "project", "comment", "resolved_by"]
