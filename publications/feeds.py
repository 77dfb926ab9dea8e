from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import publications_published


class LatestPublicationsFeed(Feed):
    """New publications, in the language of the URL (/fr/publications/feed/): Django's
    Feed takes the active language when `language` is not set."""

    feed_type = Atom1Feed
    public_page = True  # read by RequireMFAMiddleware: a feed of public content
    title = _("INPUD publications")
    subtitle = _(
        "New reports, briefs, statements and tools from the International Network of "
        "People who Use Drugs."
    )

    def link(self):
        return reverse("publications:list")

    def items(self):
        return publications_published().order_by("-published_on", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.published_on, time()))
