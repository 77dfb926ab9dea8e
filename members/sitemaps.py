from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Network


class NetworkSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return Network.objects.order_by("pk")

    def location(self, item):
        return item.get_absolute_url()


class StaticPageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return ["home", "members:network_list"]

    def location(self, item):
        return reverse(item)
