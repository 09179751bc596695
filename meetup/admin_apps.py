from django.contrib.admin.apps import AdminConfig


class MeetupAdminConfig(AdminConfig):
    """The admin with the organisers' site (meetup/admin_site.py) in place of Django's default."""

    default_site = "meetup.admin_site.MeetupAdminSite"
