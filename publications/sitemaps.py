from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from .selectors import publications_published


class PublicationSitemap(Sitemap):
    """Each publication in the languages its title really exists in, with hreflang
    alternates for those languages only."""

    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return publications_published().order_by("pk")

    def get_languages_for_item(self, item):
        return [
            code
            for code, _name in settings.LANGUAGES
            if getattr(item, build_localized_fieldname("title", code))
        ]

    def lastmod(self, item):
        return item.updated_at


class LibrarySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["publications:list", "publications:subscribe"]

    def location(self, item):
        return reverse(item)
