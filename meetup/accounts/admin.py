from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetup.accounts import privacy
from meetup.accounts.models import ApiToken, ConsentRecord, User
from meetup.lib.errors import Refused


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "channel", "granted", "address", "source", "wording"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "display_name", "sms_opt_in", "email_opt_in", "is_staff", "date_joined"]
    list_filter = [*BaseUserAdmin.list_filter, "sms_opt_in", "email_opt_in"]
    search_fields = ["username", "email", "display_name", "phone"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ["display_name", "phone", "language", "deleted_at"]}),
        (_("Consent (change through the profile or the ledger)"), {"fields": ["sms_opt_in", "email_opt_in"]}),
    ]
    readonly_fields = ["sms_opt_in", "email_opt_in", "deleted_at"]
    inlines = [ConsentInline]
    actions = ["delete_accounts"]

    def has_delete_permission(self, request, obj=None):
        # A plain delete would skip every app's eraser (RSVPs freed without promotion, counts
        # off); accounts are deleted with the action below, through accounts.privacy.
        return False

    @admin.action(description=_("Delete these accounts (cancel RSVPs, remove personal data)"))
    def delete_accounts(self, request, queryset):
        done = 0
        for user in queryset.filter(deleted_at__isnull=True):
            try:
                privacy.account_delete(user=user, actor=request.user)
                done += 1
            except (Refused, PermissionDenied) as exc:
                self.message_user(request, f"{user}: {getattr(exc, 'detail', exc)}", messages.ERROR)
        self.message_user(request, gettext("%(count)s account(s) deleted.") % {"count": done}, messages.SUCCESS)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "channel", "granted", "source", "address"]
    list_filter = ["channel", "granted", "source"]
    search_fields = ["user__username", "user__email", "address"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
