from django.urls import path

from .views import portal

urlpatterns = [
    path("profile/", portal.profile, name="profile"),
    path("networks/<slug:slug>/", portal.network_directory, name="network_directory"),
    path("organisations/new/", portal.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", portal.organisation_edit, name="organisation_edit"),
]
