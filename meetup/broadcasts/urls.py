from django.urls import path

from meetup.broadcasts import hooks, views

urlpatterns = [
    path("events/<slug:slug>/broadcasts/", views.broadcast_compose, name="broadcast_compose"),
    path("events/<slug:slug>/broadcasts/preview/", views.broadcast_preview, name="broadcast_preview"),
    path("broadcasts/<int:broadcast_id>/", views.broadcast_detail, name="broadcast_detail"),
    path("broadcasts/<int:broadcast_id>/progress/", views.broadcast_progress, name="broadcast_progress"),
    path("broadcasts/<int:broadcast_id>/cancel/", views.broadcast_cancel, name="broadcast_cancel"),
    path("broadcasts/<int:broadcast_id>/deliveries.csv", views.broadcast_report, name="broadcast_report"),
    path("u/<str:token>/", hooks.unsubscribe, name="unsubscribe"),
    path("hooks/twilio/status", hooks.twilio_status, name="twilio_status"),
    path("hooks/twilio/inbound", hooks.twilio_inbound, name="twilio_inbound"),
]
