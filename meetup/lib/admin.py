"""Admin pieces shared by the apps: read-only models whose changes must go through services, and
CSV export of a selection. (Scoping to the organiser's own events is events/admin_scope.py.)"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetup.lib.csv import streaming_csv


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services may write (they keep invariants the admin form cannot): view them,
    act on them through admin actions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def csv_export_action(filename: str, header: list[str], row):
    """An admin action exporting the selection as streamed, spreadsheet-safe CSV."""

    @admin.action(description=_("Export selected as CSV"))
    def export(modeladmin, request, queryset):
        return streaming_csv(filename, header, (row(obj) for obj in queryset.iterator(chunk_size=2000)))

    return export
