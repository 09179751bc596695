from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetup.broadcasts import services
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.events.admin_scope import EventScopedAdmin
from meetup.lib.admin import ReadOnlyAdmin


@admin.register(Broadcast)
class BroadcastAdmin(EventScopedAdmin, ReadOnlyAdmin):
    list_display = ["__str__", "event", "kind", "channels", "audience", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status", "channels"]
    search_fields = ["subject", "body", "event__title"]
    date_hierarchy = "created_at"
    list_select_related = ["event"]
    actions = ["cancel"]

    @admin.action(description=_("Cancel selected (messages not yet sent)"))
    def cancel(self, request, queryset):
        cancelled = sum(services.broadcast_cancel(broadcast=b, actor=request.user) for b in queryset)
        self.message_user(request, gettext("%(count)s messages will not be sent.") % {"count": cancelled})


@admin.register(Delivery)
class DeliveryAdmin(EventScopedAdmin, ReadOnlyAdmin):
    event_lookup = "broadcast__event"
    list_display = ["user", "broadcast", "channel", "status", "attempts", "sent_at", "error", "possible_duplicate"]
    list_filter = ["status", "channel", "possible_duplicate"]
    search_fields = ["user__username", "user__email", "provider_id"]
    list_select_related = ["user", "broadcast", "broadcast__event"]
