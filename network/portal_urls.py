from django.urls import path

from .views import portal

urlpatterns = [
    path("consultations/", portal.consultation_list, name="consultations"),
    path("consultations/new/", portal.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", portal.consultation_detail, name="consultation"),
    path(
        "consultations/<int:pk>/schedule/",
        portal.consultation_schedule,
        name="consultation_schedule",
    ),
    path(
        "consultations/<int:pk>/answer/<slug:network>/",
        portal.response_edit,
        name="consultation_answer",
    ),
    path(
        "consultations/<int:pk>/results/",
        portal.consultation_results_page,
        name="consultation_results",
    ),
    path(
        "consultations/<int:pk>/results.csv",
        portal.consultation_results_csv,
        name="consultation_results_csv",
    ),
    path("consultations/files/<int:pk>/", portal.answer_file, name="consultation_file"),
]
