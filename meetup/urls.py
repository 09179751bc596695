from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from hubsync.views import hub_webhook
from meetup import dashboard, views
from meetup.accounts import views as account_views
from meetup.api import api
from meetup.metrics import metrics_view

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("profile/", account_views.profile, name="profile"),
    path("profile/data/", account_views.your_data, name="your_data"),
    path("profile/data/export/", account_views.your_data_export, name="your_data_export"),
    path("profile/data/code/", account_views.deletion_code_send, name="deletion_code_send"),
    path("profile/data/delete/", account_views.account_delete, name="account_delete"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("profile/tokens/", account_views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("events/<slug:slug>/dashboard/", dashboard.dashboard, name="event_dashboard"),
    path("", include("meetup.events.urls")),
    path("", include("meetup.broadcasts.urls")),
    path("anymail/", include("anymail.urls")),
    path("", include("meetup.showcase.urls")),
    path("", include("meetup.program.urls")),
    path("", include("meetup.demos.urls")),
    path("hooks/hub", hub_webhook, name="hub_webhook"),
    path("admin/", admin.site.urls),
]

handler404 = "meetup.views.handler404"
handler500 = "meetup.views.handler500"
