from django.urls import path

from .views import portal, register

urlpatterns = [
    path("profile/", portal.profile, name="profile"),
    path("skills/", register.skills_edit, name="skills"),
    path("register/", register.register_search, name="register"),
    path("networks/<slug:slug>/", portal.network_directory, name="network_directory"),
    path("organisations/new/", portal.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", portal.organisation_edit, name="organisation_edit"),
]
