"""The member area gathers the pages of every app under /<lang>/portal/."""

from governance.portal_urls import urlpatterns as governance_urls
from members.portal_urls import urlpatterns as members_urls
from network.portal_urls import urlpatterns as network_urls

app_name = "portal"

urlpatterns = governance_urls + members_urls + network_urls
