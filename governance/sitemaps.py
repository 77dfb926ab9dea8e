from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Election
from .selectors import meetings_public
from .views.public import PUBLISHED


class GovernancePageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return ["governance:board", "governance:meetings", "governance:strategy"]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return meetings_public().order_by("pk")

    def location(self, item):
        return reverse("governance:meeting", kwargs={"pk": item.pk})


class ElectionSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Election.objects.filter(status__in=PUBLISHED).order_by("pk")

    def location(self, item):
        return reverse("governance:election", kwargs={"pk": item.pk})
