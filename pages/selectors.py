from django.db.models import Prefetch, QuerySet

from governance.selectors import meetings_upcoming_public
from members.selectors import networks_for_directory
from publications.selectors import publications_latest, statements_latest

from .models import Page, Section

HOME_PUBLICATIONS = 4
HOME_STATEMENTS = 3
HOME_MEETINGS = 3


def pages_published() -> QuerySet[Page]:
    return Page.objects.filter(status=Page.Status.PUBLISHED)


def pages_with_sections(queryset: QuerySet[Page]) -> QuerySet[Page]:
    return queryset.prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position", "pk"))
    )


def about_pages() -> QuerySet[Page]:
    """The published About pages, in the order the secretariat gave them."""
    return pages_published().filter(placement=Page.Placement.ABOUT).order_by("position", "pk")


def about_page_for(*, user, slug: str) -> Page | None:
    """The About page at this address as this person may see it: published pages for
    everybody, drafts too for staff who may edit pages, so they can check a page in
    the site's layout before publishing it."""
    pages = Page.objects.filter(placement=Page.Placement.ABOUT, slug=slug)
    if not user.has_perm("pages.change_page"):
        pages = pages.filter(status=Page.Status.PUBLISHED)
    return pages_with_sections(pages).first()


def home_content() -> dict:
    """Everything the home page shows, read in a fixed number of queries.

    Lists, not querysets: the result can be cached as it is.
    """
    home = pages_with_sections(pages_published().filter(placement=Page.Placement.HOME)).first()
    return {
        "page": home,
        "sections": list(home.sections.all()) if home else [],
        "networks": list(networks_for_directory()),
        "publications": list(publications_latest(limit=HOME_PUBLICATIONS)),
        "statements": list(statements_latest(limit=HOME_STATEMENTS)),
        "meetings": list(meetings_upcoming_public(limit=HOME_MEETINGS)),
    }
