from django.urls import path

from .views import public

app_name = "network"

urlpatterns = [
    path("consultations/", public.summary_list, name="summaries"),
    path("consultations/<int:pk>/", public.summary_detail, name="summary"),
]
