from django.contrib import admin

from meetup.events.models import RSVP, Booking, Event, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "capacity_standing", "capacity_seated", "timezone"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "status", "capacity", "venue"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    raw_id_fields = ["venue"]


@admin.register(RSVP)
class RSVPAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status", "created_at", "checked_in_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__username", "user__email", "user__display_name"]
    raw_id_fields = ["user", "event"]
    list_select_related = ["user", "event"]
    readonly_fields = ["ticket_code"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["venue", "starts_at", "ends_at", "status", "event", "hold_expires_at"]
    list_filter = ["status", "venue"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["event", "created_by"]
    list_select_related = ["venue", "event"]
    readonly_fields = ["status"]  # changed through the booking services, which keep venues unclashed

    def has_add_permission(self, request):
        return False
