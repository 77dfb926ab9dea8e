from allauth.account.decorators import reauthentication_required, secure_admin_login
from allauth.account.views import password_change
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_section
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from governance.views import meetings as meetings_views
from members.views import public as members_public
from members.views.invitation import accept as invitation_accept
from publications import oai
from publications.views import library as library_views
from publications.views.bounces import bounce_report

from . import sitemaps, views
from .page_cache import cache_for_visitors
from .public_pages import public_page

# The admin logs in through allauth, so staff get the same rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("INPUD portal administration")
admin.site.site_title = _("INPUD portal")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path(
        "sitemap-publications-<int:year>.xml",
        sitemaps.sitemap_publications,
        name="sitemap_publications",
    ),
    path(
        "sitemap-<slug:section>.xml",
        public_page(cache_for_visitors(sitemap_section)),
        {"sitemaps": sitemaps.SECTIONS},
        name="sitemap_section",
    ),
    # Password changes go through allauth, which asks for a fresh reauthentication.
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path("admin/", admin.site.urls),
    path("mail/bounces", bounce_report, name="bounce_report"),
    # OAI-PMH for library harvesters: one address, whatever the language.
    path("oai", oai.endpoint, name="oai"),
    # Calendar apps fetch this without logging in: the private token is the key.
    path("calendar/<str:token>.ics", meetings_views.calendar_feed, name="calendar_feed"),
    # Pictures are the same in every language; each view checks the record is public.
    path("people/<int:pk>/photo/<str:name>", members_public.person_photo, name="person_photo"),
    path(
        "covers/<slug:slug>/<str:name>", library_views.publication_cover, name="publication_cover"
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("networks/", include("members.urls")),
    path("partners/", include("members.partner_urls")),
    path("about/", include("pages.urls")),
    path("portal/", include("inpud_portal.portal_urls")),
    path("", include("governance.urls")),
    path("", include("publications.urls")),
    path("", include("network.urls")),
    path(
        "accounts/invitation/<str:uidb36>/<str:token>/",
        invitation_accept,
        name="invitation_accept",
    ),
    # allauth asks for the old password here; we also ask for a recent
    # reauthentication, as for email and MFA changes.
    path(
        "accounts/password/change/",
        reauthentication_required(password_change),
        name="account_change_password",
    ),
    path("accounts/", include("allauth.urls")),
)

handler404 = "inpud_portal.views.page_not_found"
handler500 = "inpud_portal.views.server_error"
