from django.contrib import admin

from meetup.broadcasts.models import Broadcast, Delivery


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "kind", "channels", "audience", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status", "channels"]
    search_fields = ["subject", "body", "event__title"]
    date_hierarchy = "created_at"
    raw_id_fields = ["event", "created_by"]
    list_select_related = ["event"]
    readonly_fields = ["planned_at", "finished_at", "cancelled_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["user", "broadcast", "channel", "status", "attempts", "sent_at", "error", "possible_duplicate"]
    list_filter = ["status", "channel", "possible_duplicate"]
    search_fields = ["user__username", "user__email", "provider_id"]
    raw_id_fields = ["user", "broadcast"]
    list_select_related = ["user", "broadcast"]
    readonly_fields = ["provider_id", "claimed_at", "sent_at", "updated_at", "attempts"]
