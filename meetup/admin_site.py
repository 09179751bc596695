"""The admin, made for organisers as well as staff: organisers sign in with their usual account
and see only their own events' data (see events/admin_scope.py); staff see everything."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login

from meetup.accounts.roles import can_moderate, is_organiser


class MeetupAdminSite(admin.AdminSite):
    site_header = "Open AI Meetups"
    site_title = "Open AI Meetups admin"
    index_title = "Events, messages and moderation"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and (user.is_staff or is_organiser(user) or can_moderate(user)))

    def login(self, request, extra_context=None):
        # One sign-in for the whole site (email, codes, social accounts), not the admin's own form.
        return redirect_to_login(request.GET.get("next") or request.get_full_path())
