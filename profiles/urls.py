from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<int:pk>/", views.person, name="person"),
    path("profile/edit/", views.profile_edit, name="edit"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
]
