from django.urls import path

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from .feeds import LatestPublicationsFeed
from .views import library, subscriptions

app_name = "publications"

urlpatterns = [
    path("publications/", library.publication_list, name="list"),
    path(
        "publications/feed/",
        public_page(cache_for_visitors(LatestPublicationsFeed(), shows=("publications",))),
        name="feed",
    ),
    path("publications/<slug:slug>/", library.publication_detail, name="detail"),
    path(
        "publications/<slug:slug>/cite.<str:fmt>",
        library.publication_citation,
        name="cite",
    ),
    path(
        "publications/<slug:slug>/<str:language>.<str:format>",
        library.publication_file,
        name="file",
    ),
    path("subscribe/", subscriptions.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", subscriptions.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("subscription/<str:token>/", subscriptions.manage, name="manage"),
]
