from django.contrib import admin

from hubsync.models import HubModel, LikeSnapshot


@admin.register(HubModel)
class HubModelAdmin(admin.ModelAdmin):
    list_display = ["repo_id", "repo_type", "status", "likes", "downloads", "pipeline_tag", "license", "fetched_at"]
    list_filter = ["repo_type", "status", "gated"]
    search_fields = ["repo_id"]
    readonly_fields = ["card_html", "card_sha", "fetched_at"]


@admin.register(LikeSnapshot)
class LikeSnapshotAdmin(admin.ModelAdmin):
    list_display = ["hub_model", "day", "likes", "downloads"]
    raw_id_fields = ["hub_model"]
    date_hierarchy = "day"
