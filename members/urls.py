from django.urls import path

from .views import public

app_name = "members"

urlpatterns = [
    path("", public.network_list, name="network_list"),
    path("<slug:slug>/", public.network_detail, name="network_detail"),
]
