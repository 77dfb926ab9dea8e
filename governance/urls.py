from django.urls import path

from .views import public

app_name = "governance"

urlpatterns = [
    path("board/", public.board, name="board"),
    path("board/<int:year>/", public.board, name="board_year"),
    path("elections/<int:pk>/", public.election, name="election"),
    path("elections/<int:pk>/ballots/", public.election_ballots, name="election_ballots"),
]
