"""The sitemap: an index of sections, so that each answers quickly however large the
library grows.

Sections: "pages" (the home page and the other fixed pages), "about" (the About
pages), "networks", "meetings", "elections" (their public pages), and one section of
publications per year of publication. Every address in a section carries its
lastmod (the index gives one for each small section) and, as
each page exists in every language, hreflang alternates (publications: only in the
languages their title exists in).

The small sections are Django's sitemaps; the publications are written out
directly (publications/sitemaps.py).
"""

import datetime
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from governance.models import Election, Meeting
from governance.sitemaps import ElectionSitemap, MeetingSitemap
from members.models import Network
from members.sitemaps import NetworkSitemap
from pages.models import Page
from pages.sitemaps import AboutPageSitemap
from publications.models import Publication
from publications.sitemaps import publication_sitemap_urls, publication_sitemap_years

from .page_cache import cache_for_visitors
from .public_pages import public_page

URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def _newest_change() -> datetime.datetime | None:
    """When anything the fixed pages list last changed."""
    changes = [
        model.objects.aggregate(newest=Max("updated_at"))["newest"]
        for model in (Page, Network, Meeting, Election, Publication)
    ]
    return max((c for c in changes if c is not None), default=None)


class FixedPageSitemap(Sitemap):
    """The pages at fixed addresses; they list what the other sections hold, so each
    changed when the newest of those did."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        self._newest = _newest_change()
        return [
            "home",
            "members:network_list",
            "pages:about",
            "governance:board",
            "governance:meetings",
            "governance:strategy",
            "publications:list",
            "publications:subscribe",
        ]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self._newest


SECTIONS = {
    "pages": FixedPageSitemap,
    "about": AboutPageSitemap,
    "networks": NetworkSitemap,
    "meetings": MeetingSitemap,
    "elections": ElectionSitemap,
}


def _base(request) -> str:
    return f"{request.scheme}://{get_current_site(request).domain}"


@public_page
@cache_for_visitors
def sitemap_index(request):
    base = _base(request)
    sections = []
    for name, sitemap in SECTIONS.items():
        newest = sitemap().get_latest_lastmod()
        sections.append((reverse("sitemap_section", kwargs={"section": name}), newest))
    # No lastmod for these (optional in an index): finding it would read every row.
    for year in publication_sitemap_years():
        sections.append((reverse("sitemap_publications", kwargs={"year": year}), None))
    entries = "".join(
        f"<sitemap><loc>{escape(base + location)}</loc>"
        + (f"<lastmod>{timezone.localtime(newest).isoformat()}</lastmod>" if newest else "")
        + "</sitemap>\n"
        for location, newest in sections
    )
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n",
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )


@public_page
@cache_for_visitors(shows=("publications",))
def sitemap_publications(request, year: int):
    urls = publication_sitemap_urls(year=year, base=_base(request))
    return HttpResponse(
        f"{URLSET}{urls}\n</urlset>\n",
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )
