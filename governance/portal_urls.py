from django.urls import path

from .views import dashboard, meetings, portal, strategy, trustees

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("elections/", portal.election_list, name="elections"),
    path("elections/<int:pk>/", portal.election_detail, name="election"),
    path("elections/<int:pk>/nominate/", portal.nominate, name="nominate"),
    path("elections/<int:pk>/candidacy/", portal.candidacy, name="candidacy"),
    path("elections/<int:pk>/vote/", portal.vote, name="vote"),
    path("elections/<int:pk>/receipt/", portal.receipt, name="receipt"),
    path("elections/<int:pk>/trustee/", trustees.trustee, name="trustee"),
    path("elections/<int:pk>/trustee/key/", trustees.trustee_key_collect, name="trustee_key"),
    path("meetings/", meetings.portal_meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.portal_meeting, name="meeting"),
    path("meetings/<int:pk>/pack/", meetings.meeting_pack_download, name="meeting_pack"),
    path("papers/<int:pk>/", meetings.paper_download, name="paper"),
    path("calendar/reset/", meetings.calendar_feed_reset, name="calendar_reset"),
    path("minutes/", meetings.minutes_list, name="minutes"),
    path("minutes/<int:pk>/", meetings.minutes_detail, name="minutes_detail"),
    path("work-plans/", strategy.portal_work_plans, name="work_plans"),
]
