from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Election
from .selectors import meetings_public
from .views.public import PUBLISHED


class MeetingSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return meetings_public().order_by("pk")

    def location(self, item):
        return reverse("governance:meeting", kwargs={"pk": item.pk})

    def lastmod(self, item):
        return item.updated_at


class ElectionSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Election.objects.filter(status__in=PUBLISHED).order_by("pk")

    def location(self, item):
        return reverse("governance:election", kwargs={"pk": item.pk})

    def lastmod(self, item):
        return item.updated_at
