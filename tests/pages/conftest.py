import pytest

from pages.models import Page, Section


def make_page(slug, *, placement=Page.Placement.ABOUT, status=Page.Status.PUBLISHED, **fields):
    sections = fields.pop("sections", [])
    page = Page.objects.create(slug=slug, placement=placement, status=status, **fields)
    for position, section in enumerate(sections, start=1):
        Section.objects.create(page=page, position=position, **section)
    return page


@pytest.fixture
def history(db):
    return make_page(
        "history",
        position=1,
        title_en="Our history",
        title_fr="Notre histoire",
        title_ar="تاريخنا",
        summary_en="Founded in Vancouver in 2006.",
        summary_fr="Fondé à Vancouver en 2006.",
        sections=[
            {
                "heading_en": "Founded in Vancouver",
                "heading_fr": "Fondé à Vancouver",
                "body_en": "A meeting of activists in 2006.\n\nThe Declaration followed.",
                "body_fr": "Une réunion de militants en 2006.\n\nLa Déclaration a suivi.",
            },
            {
                # Translated heading, body still only in English.
                "heading_en": "A network of networks",
                "heading_fr": "Un réseau de réseaux",
                "body_en": "Regional membership since Kuala Lumpur, 2015.",
            },
        ],
    )


@pytest.fixture
def draft(db):
    return make_page(
        "board-retreat-notes",
        position=2,
        status=Page.Status.DRAFT,
        title_en="Notes not ready to publish",
        sections=[{"heading_en": "Unfinished", "body_en": "Secret-ish draft text."}],
    )


@pytest.fixture
def home_text(db):
    return make_page(
        "who-we-are",
        placement=Page.Placement.HOME,
        title_en="Who we are",
        title_fr="Qui nous sommes",
        summary_en="A peer-led global network.",
        summary_fr="Un réseau mondial dirigé par les pairs.",
        sections=[
            {
                "heading_en": "Vision",
                "heading_fr": "Vision",
                "body_en": "A world without criminalisation.",
            },
            {"heading_en": "Mission", "body_en": "Bring our voices to decisions."},
        ],
    )
