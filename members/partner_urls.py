from django.urls import path

from .views import register

app_name = "partners"

urlpatterns = [
    path("", register.partner_list, name="list"),
]
