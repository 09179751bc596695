from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetup.accounts.roles import can_moderate
from meetup.lib.admin import csv_export_action
from meetup.showcase import services
from meetup.showcase.models import Collection, Comment, Project, ProjectLink, Report


class ModeratorsMayView(admin.ModelAdmin):
    """Moderators (and organisers) see the showcase here and act through the moderation actions;
    editing the rows themselves stays with staff."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) or can_moderate(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_moderate(request.user)


class LinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0
    raw_id_fields = ["hub_model"]


def _project_row(project):
    return [project.title, project.slug, project.created_by.username if project.created_by else "",
            project.event.title if project.event else "", project.visibility, project.like_count,
            project.repository_url, project.created_at.isoformat()]


@admin.register(Project)
class ProjectAdmin(ModeratorsMayView):
    list_display = ["title", "created_by", "event", "visibility", "like_count", "trending_score", "created_at"]
    list_filter = ["visibility", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "created_at"
    raw_id_fields = ["created_by", "event"]
    # People join a team by accepting an invitation, never by being picked here.
    readonly_fields = ["like_count", "trending_score", "team"]
    list_select_related = ["created_by", "event"]
    inlines = [LinkInline]
    actions = ["hide", "restore", csv_export_action(
        "projects.csv", ["title", "slug", "created_by", "event", "visibility", "likes", "repository", "created_at"],
        _project_row)]

    @admin.action(description=_("Hide selected projects"))
    def hide(self, request, queryset):
        for project in queryset:
            services.content_hide(moderator=request.user, project=project)
        self.message_user(request, gettext("Hidden; their reporters are told."), messages.SUCCESS)

    @admin.action(description=_("Restore selected projects"))
    def restore(self, request, queryset):
        for project in queryset:
            services.content_restore(moderator=request.user, project=project)


@admin.register(Comment)
class CommentAdmin(ModeratorsMayView):
    list_display = ["project", "author", "visibility", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["body", "author__username"]
    raw_id_fields = ["project", "author"]
    list_select_related = ["project", "author"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_public", "created_at"]
    raw_id_fields = ["owner"]


@admin.register(Report)
class ReportAdmin(ModeratorsMayView):
    list_display = ["__str__", "reporter", "project", "comment", "status", "created_at"]
    list_filter = ["status", "reason"]
    date_hierarchy = "created_at"
    raw_id_fields = ["reporter", "project", "comment", "resolved_by"]
    list_select_related = ["reporter", "project", "comment"]
    actions = ["hide_content", "dismiss"]

    @admin.action(description=_("Hide the reported content"))
    def hide_content(self, request, queryset):
        for report in queryset.filter(status=Report.Status.OPEN).select_related("project", "comment"):
            services.content_hide(moderator=request.user, project=report.project, comment=report.comment)
        self.message_user(request, gettext("Hidden; the reporters are told."), messages.SUCCESS)

    @admin.action(description=_("Dismiss selected reports"))
    def dismiss(self, request, queryset):
        for report in queryset.filter(status=Report.Status.OPEN):
            services.report_dismiss(moderator=request.user, report=report)
