from django.urls import path, re_path

from meetup.showcase import views

urlpatterns = [
    path("projects/", views.gallery, name="gallery"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/invitations/", views.invitations, name="project_invitations"),
    re_path(r"^projects/invitations/(?P<pk>\d{1,18})/(?P<action>accept|decline)/$", views.invitation_answer,
            name="project_invitation_answer"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/like/", views.like, name="project_like"),
    path("projects/<slug:slug>/comments/", views.comment_create, name="comment_create"),
    path("projects/<slug:slug>/report/", views.report_project, name="report_project"),
    path("projects/<slug:slug>/collect/", views.collect, name="project_collect"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/report/", views.report_comment, name="report_comment"),
    path("collections/", views.collection_list, name="collection_list"),
    path("collections/<int:pk>/", views.collection_detail, name="collection_detail"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection_delete"),
    path("collections/<int:pk>/remove/<slug:slug>/", views.collection_remove, name="collection_remove"),
    path("events/<slug:slug>/projects.csv", views.project_export, name="project_export"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/reports/<int:report_id>/dismiss/", views.report_dismiss, name="report_dismiss"),
    re_path(r"^moderation/(?P<kind>projects|comments)/(?P<key>[-\w]+)/(?P<action>hide|restore)/$", views.moderate,
            name="moderate"),
]
