from django.urls import path

from meetup.demos import views

urlpatterns = [
    path("projects/<slug:slug>/demo/", views.run_create, name="demo_run_create"),
    path("projects/<slug:slug>/demo/setup/", views.demo_setup, name="demo_setup"),
    path("demo-runs/<int:pk>/", views.run_detail, name="demo_run"),
]
