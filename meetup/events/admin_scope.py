"""Admin scoping: organisers see and act on their own events' rows only (meetup/admin_site.py)."""

from django.contrib import admin

from meetup.accounts.roles import is_organiser
from meetup.events.models import Event


class EventScopedAdmin(admin.ModelAdmin):
    """Staff see everything; organisers see and act on rows of events they organise only, so an id
    from another event is simply not found. `event_lookup` is the path to the event ("" for
    Event itself)."""

    event_lookup = "event"
    organiser_can_add = False
    organiser_can_change = False

    def _organiser_only(self, request) -> bool:
        return not request.user.is_staff and is_organiser(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_staff:
            return queryset
        if not is_organiser(request.user):
            return queryset.none()
        path = f"{self.event_lookup}__organisers" if self.event_lookup else "organisers"
        return queryset.filter(**{path: request.user}).distinct()

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._organiser_only(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._organiser_only(request)

    def has_change_permission(self, request, obj=None):
        if self._organiser_only(request):
            return self.organiser_can_change
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        if self._organiser_only(request):
            return self.organiser_can_add
        return super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False if self._organiser_only(request) else super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Event and self._organiser_only(request):
            kwargs["queryset"] = Event.objects.filter(organisers=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
