from django.urls import path

from .views import meetings, public, strategy

app_name = "governance"

urlpatterns = [
    path("board/", public.board, name="board"),
    path("board/<int:year>/", public.board, name="board_year"),
    path("elections/<int:pk>/", public.election, name="election"),
    path("elections/<int:pk>/ballots/", public.election_ballots, name="election_ballots"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/calendar.ics", meetings.meeting_ics, name="meeting_ics"),
    path("strategy/", strategy.strategy, name="strategy"),
]
