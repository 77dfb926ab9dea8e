from django.urls import path

from .views import portal

urlpatterns = [
    path("elections/", portal.election_list, name="elections"),
    path("elections/<int:pk>/", portal.election_detail, name="election"),
    path("elections/<int:pk>/nominate/", portal.nominate, name="nominate"),
    path("elections/<int:pk>/candidacy/", portal.candidacy, name="candidacy"),
    path("elections/<int:pk>/vote/", portal.vote, name="vote"),
]
