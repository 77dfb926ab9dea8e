import datetime
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from .selectors import publications_published

_SLUG = "__slug__"


def publication_sitemap_years() -> list[tuple[int, datetime.datetime]]:
    """Each year that has published publications, with the newest change among them:
    one section of the sitemap index each."""
    return list(
        publications_published()
        .annotate(year=ExtractYear("published_on"))
        .values_list("year")
        .annotate(lastmod=Max("updated_at"))
        .order_by("year")
    )


def publication_sitemap_urls(*, year: int, base: str) -> str:
    """The <url> entries of one year's publications, each in the languages its title
    really exists in, with hreflang alternates for those languages only.

    Written out directly, not through Django's Sitemap and template: at 100,000
    publications a year holds some 5,000 of them, 12,000 addresses with 30,000
    alternates, which a reverse() per address and a template node per line take
    seconds to write; this takes tens of milliseconds."""
    codes = [code for code, _name in settings.LANGUAGES]
    titles = [build_localized_fieldname("title", code) for code in codes]
    addresses = {}
    for code in codes:
        with translation.override(code):
            addresses[code] = base + reverse("publications:detail", kwargs={"slug": _SLUG})
    rows = (
        publications_published()
        .filter(published_on__year=year)
        .order_by("pk")
        .values_list("slug", "updated_at", *titles)
    )
    lines = []
    for slug, updated_at, *translated in rows.iterator(chunk_size=2000):
        languages = [code for code, title in zip(codes, translated, strict=True) if title]
        lastmod = timezone.localtime(updated_at).date().isoformat()
        urls = {code: escape(addresses[code].replace(_SLUG, slug)) for code in languages}
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(urls[code])}/>'
            for code in languages
        )
        for code in languages:
            lines.append(
                f"<url><loc>{urls[code]}</loc><lastmod>{lastmod}</lastmod>"
                f"<changefreq>monthly</changefreq>{alternates}</url>"
            )
    return "\n".join(lines)
