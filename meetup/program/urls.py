from django.urls import path, re_path

from meetup.program import views

urlpatterns = [
    path("program/", views.program_home, name="program_home"),
    path("program/new/", views.call_create, name="program_call_create"),
    path("program/applications/<int:pk>/", views.application_detail, name="program_application"),
    re_path(r"^program/applications/(?P<pk>\d+)/(?P<action>withdraw|submit)/$", views.application_status,
            name="program_application_status"),
    re_path(r"^program/invitations/(?P<pk>\d{1,18})/(?P<action>accept|decline)/$", views.invitation_answer,
            name="program_invitation_answer"),
    path("program/applications/<int:pk>/review/", views.review, name="program_review"),
    path("program/applications/<int:pk>/conflict/", views.conflict, name="program_conflict"),
    path("program/applications/<int:pk>/decide/", views.decide, name="program_decide"),
    path("program/<slug:slug>/", views.call_detail, name="program_call"),
    path("program/<slug:slug>/edit/", views.call_edit, name="program_call_edit"),
    path("program/<slug:slug>/apply/", views.apply, name="program_apply"),
    path("program/<slug:slug>/judging/", views.judge_queue, name="program_queue"),
    path("program/<slug:slug>/manage/", views.manage, name="program_manage"),
    path("program/<slug:slug>/assignments/", views.assignments, name="program_assignments"),
    path("program/<slug:slug>/decline-rest/", views.decline_rest, name="program_decline_rest"),
    path("program/<slug:slug>/notify/", views.notify, name="program_notify"),
]
