from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetup.audit.models import AuditEntry
from meetup.events import services
from meetup.events.admin_scope import EventScopedAdmin
from meetup.events.models import RSVP, Booking, Event, Invitation, Venue
from meetup.events.roles import can_see_contacts
from meetup.lib.admin import ReadOnlyAdmin, csv_export_action
from meetup.lib.errors import Refused


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "capacity_standing", "capacity_seated", "timezone"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    fields = ["venue", "starts_at", "ends_at", "status", "hold_expires_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(EventScopedAdmin):
    event_lookup = ""
    organiser_can_change = True
    list_display = ["title", "starts_at", "status", "capacity", "venue"]
    list_filter = ["status", "starts_at"]
    search_fields = ["title", "slug"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["venue"]
    # Capacity and venue moves promote the waitlist and message people: their own pages do that.
    # Co-organisers and door staff join by accepting an invitation from the team page (services/
    # team.py, audited), never by being picked from a list of every account here.
    exclude = ["organisers", "door_staff"]
    readonly_fields = ["capacity", "team", "reconfirm_asked_at", "created_at", "updated_at", "ical_sequence",
                       "invite_token"]
    inlines = [BookingInline, InvitationInline]

    @admin.display(description=_("Team"))
    def team(self, event):
        if not event.pk:
            return "Invite co-organisers and door staff from the event's team page once it exists."
        names = ", ".join(u.public_name for u in event.organisers.all()) or "—"
        door = ", ".join(u.public_name for u in event.door_staff.all()) or "—"
        return format_html('Organisers: {} · Door staff: {} · <a href="{}">Invite or remove on the team page</a>',
                           names, door, reverse("event_team", args=[event.slug]))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.organisers.exists():
            form.instance.organisers.add(request.user)


def _rsvp_row(rsvp):
    return [rsvp.user.username, rsvp.user.public_name, rsvp.user.email, rsvp.user.phone or "", rsvp.status,
            rsvp.created_at.isoformat(), rsvp.checked_in_at.isoformat() if rsvp.checked_in_at else ""]


@admin.register(RSVP)
class RSVPAdmin(EventScopedAdmin, ReadOnlyAdmin):
    list_display = ["user", "event", "status", "contact", "created_at", "checked_in_at"]
    # Only the events in the caller's own (scoped) rows: never other organisers' drafts.
    list_filter = ["status", ("checked_in_at", admin.EmptyFieldListFilter), ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "user__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "event"]
    actions = ["promote", "check_in",
               csv_export_action("rsvps.csv", ["username", "name", "email", "phone", "status", "created_at",
                                               "checked_in_at"], _rsvp_row)]

    def get_queryset(self, request):
        self._request = request  # the contact column asks who is looking
        return super().get_queryset(request)

    @admin.display(description=_("Contact"))
    def contact(self, rsvp):
        if not can_see_contacts(self._request.user, rsvp.event):
            return "—"
        return " · ".join(str(part) for part in (rsvp.user.email, rsvp.user.phone) if part)

    @admin.action(description=_("Promote selected from the waitlist"))
    def promote(self, request, queryset):
        done = 0
        for rsvp in queryset.filter(status=RSVP.Status.WAITLISTED).select_related("event", "user"):
            try:
                services.rsvp_promote(rsvp=rsvp, actor=request.user)
                done += 1
            except Refused as exc:
                self.message_user(request, f"{rsvp.user}: {exc.detail}", messages.WARNING)
        self.message_user(request, gettext("Promoted %(count)s from the waitlist.") % {"count": done},
                          messages.SUCCESS)

    @admin.action(description=_("Check in selected"))
    def check_in(self, request, queryset):
        outcomes = [services.checkin(event=r.event, code=r.ticket_code, actor=request.user).outcome
                    for r in queryset.select_related("event")]
        checked_in = outcomes.count("checked_in")
        self.message_user(request, gettext("Checked in %(count)s; %(others)s already in or not going.") % {
            "count": checked_in, "others": len(outcomes) - checked_in})


@admin.register(Booking)
class BookingAdmin(EventScopedAdmin, ReadOnlyAdmin):
    list_display = ["venue", "starts_at", "ends_at", "status", "event", "hold_expires_at"]
    list_filter = ["status", "venue"]
    date_hierarchy = "starts_at"
    list_select_related = ["venue", "event"]
    actions = ["confirm", "release"]

    @admin.action(description=_("Confirm selected holds"))
    def confirm(self, request, queryset):
        for booking in queryset.select_related("venue", "event"):
            try:
                services.booking_confirm(booking=booking, actor=request.user)
            except Refused as exc:
                self.message_user(request, f"{booking}: {exc.detail}", messages.WARNING)

    @admin.action(description=_("Release selected bookings"))
    def release(self, request, queryset):
        for booking in queryset.select_related("venue", "event"):
            services.booking_release(booking=booking, actor=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(EventScopedAdmin, ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action", "event", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "actor_name"]
    date_hierarchy = "created_at"
    list_select_related = ["event"]
