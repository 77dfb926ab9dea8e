from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from .selectors import publications_published

_SLUG = "__slug__"


def publication_sitemap_years() -> range:
    """The years from the first publication to the last: one section of the sitemap
    each (a year with none is an empty section).

    Two reads of the listing index. Which years hold publications, or each year's
    newest change, would read every row: at 100,000 publications that alone costs
    more than a section may."""
    published = publications_published().order_by("published_on")
    first = published.values_list("published_on", flat=True).first()
    last = published.reverse().values_list("published_on", flat=True).first()
    return range(first.year, last.year + 1) if first else range(0)


def publication_sitemap_urls(*, year: int, base: str) -> str:
    """The <url> entries of one year's publications, each in the languages its title
    really exists in, with hreflang alternates for those languages only.

    Written out directly, not through Django's Sitemap and template: at 100,000
    publications a year holds some 5,000 of them, 12,000 addresses with 30,000
    alternates, which a reverse() per address and a template node per line take
    seconds to write. Slugs need no escaping ([-a-zA-Z0-9_]), the rest is escaped
    once; the database says which titles exist and the date of each change."""
    codes = [code for code, _name in settings.LANGUAGES]
    prefixes = {}
    for code in codes:
        with translation.override(code):
            address = escape(base + reverse("publications:detail", kwargs={"slug": _SLUG}))
        prefixes[code] = address.split(_SLUG)
    exists = {
        f"in_{code}": ExpressionWrapper(
            Q(**{f"{build_localized_fieldname('title', code)}__gt": ""}),
            output_field=BooleanField(),
        )
        for code in codes
    }
    rows = (
        publications_published()
        .filter(published_on__year=year)
        .order_by("pk")
        .annotate(lastmod=TruncDate("updated_at"), **exists)
        .values_list("slug", "lastmod", *exists)
    )
    lines = []
    for slug, lastmod, *present in rows.iterator(chunk_size=2000):
        urls = [
            (code, f"{prefixes[code][0]}{slug}{prefixes[code][1]}")
            for code, there in zip(codes, present, strict=True)
            if there
        ]
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}" href="{url}"/>' for code, url in urls
        )
        tail = f"</loc><lastmod>{lastmod.isoformat()}</lastmod><changefreq>monthly</changefreq>"
        lines.extend(f"<url><loc>{url}{tail}{alternates}</url>" for _code, url in urls)
    return "\n".join(lines)
