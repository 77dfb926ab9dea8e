from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.about_index, name="about"),
    path("<slug:slug>/", views.about_page, name="about_page"),
]
