from django.contrib.sitemaps import Sitemap

from .selectors import about_pages


class AboutPageSitemap(Sitemap):
    """Published About pages in every language: a page not yet translated still
    reads in English, marked as such, under each language's address."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return about_pages()

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at
