from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from meetup.accounts.models import ApiToken, ConsentRecord, User


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
        ("Profile", {"fields": ["display_name", "phone"]}),
        ("Consent (change through the profile or the ledger)", {"fields": ["sms_opt_in", "email_opt_in"]}),
    ]
    readonly_fields = ["sms_opt_in", "email_opt_in"]
    inlines = [ConsentInline]


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
