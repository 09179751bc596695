from django.contrib import admin

from meetup.audit.models import AuditEntry
from meetup.lib.admin import EventScopedAdmin, ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(EventScopedAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action", "event", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "actor_name"]
    date_hierarchy = "created_at"
    list_select_related = ["event"]
