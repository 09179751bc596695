from django.urls import path

from meetup.events import team_views, views

urlpatterns = [
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/counts/", views.event_counts, name="event_counts"),
    path("events/<slug:slug>/rsvp/", views.rsvp_create, name="rsvp_create"),
    path("events/<slug:slug>/rsvp/cancel/", views.rsvp_cancel, name="rsvp_cancel"),
    path("events/<slug:slug>/calendar.ics", views.event_ics, name="event_ics"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/dashboard/counts/", views.dashboard_counts, name="dashboard_counts"),
    path("events/<slug:slug>/move/<slug:venue_slug>/", views.venue_move, name="venue_move"),
    path("events/<slug:slug>/capacity/", views.capacity_change, name="capacity_change"),
    path("events/<slug:slug>/rsvps/", views.rsvp_manage, name="rsvp_manage"),
    path("events/<slug:slug>/rsvps.csv", views.rsvp_export, name="rsvp_export"),
    path("events/<slug:slug>/checkins.csv", views.checkin_export, name="checkin_export"),
    path("events/<slug:slug>/rsvps/<int:rsvp_id>/promote/", views.rsvp_promote, name="rsvp_promote"),
    path("events/<slug:slug>/door/", views.door, name="door"),
    path("events/<slug:slug>/door/counts/", views.door_counts, name="door_counts"),
    path("events/<slug:slug>/door/search/", views.door_search, name="door_search"),
    path("events/<slug:slug>/door/checkin/", views.door_checkin, name="door_checkin"),
    path("events/<slug:slug>/team/", team_views.team_page, name="event_team"),
    path("events/<slug:slug>/team/invitations/<int:invitation_id>/revoke/", team_views.invitation_revoke,
         name="invitation_revoke"),
    path("events/<slug:slug>/team/<str:role>/<int:user_id>/remove/", team_views.team_remove, name="event_team_remove"),
    path("events/<slug:slug>/audit/", views.audit_log, name="event_audit_log"),
    path("invitations/<str:token>/", team_views.invitation_accept, name="invitation_accept"),
    path("tickets/", views.my_tickets, name="my_tickets"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("venues/<slug:slug>/", views.venue_detail, name="venue_detail"),
]
