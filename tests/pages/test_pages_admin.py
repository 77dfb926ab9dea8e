"""The secretariat writes, translates and publishes site content in the admin."""

from django.test import Client

from pages.models import Page

visitor = Client()  # anonymous: the secretariat itself may preview drafts


def page_form(**overrides):
    data = {
        "slug": "our-partners",
        "placement": "about",
        "title_en": "Our partners",
        "title_fr": "Nos partenaires",
        "summary_en": "Who we work with.",
        "position": 5,
        "status": "draft",
        "sections-TOTAL_FORMS": 1,
        "sections-INITIAL_FORMS": 0,
        "sections-0-position": 1,
        "sections-0-heading_en": "UN agencies",
        "sections-0-heading_ar": "وكالات الأمم المتحدة",
        "sections-0-body_en": "We publish with UNODC and WHO.",
    }
    return data | overrides


def test_the_secretariat_writes_a_page_in_several_languages(client, secretariat):
    client.force_login(secretariat)

    form = client.get("/admin/pages/page/add/").content.decode()
    response = client.post("/admin/pages/page/add/", page_form())

    assert 'name="title_ar"' in form  # a field per language, shown as tabs
    assert response.status_code == 302
    page = Page.objects.get(slug="our-partners")
    assert (page.title_en, page.title_fr) == ("Our partners", "Nos partenaires")
    section = page.sections.get()
    assert section.heading_ar == "وكالات الأمم المتحدة"
    assert visitor.get("/en/about/our-partners/").status_code == 404  # still a draft


def test_a_page_needs_an_english_title(client, secretariat):
    client.force_login(secretariat)

    response = client.post("/admin/pages/page/add/", page_form(title_en=""))

    assert response.status_code == 200
    assert not Page.objects.exists()


def test_publishing_puts_the_page_online_and_withdrawing_takes_it_off(client, secretariat, draft):
    client.force_login(secretariat)

    client.post(
        "/admin/pages/page/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    online = visitor.get(f"/en/about/{draft.slug}/").status_code
    client.post("/admin/pages/page/", {"action": "unpublish", "_selected_action": [draft.pk]})
    offline = visitor.get(f"/en/about/{draft.slug}/").status_code

    assert (online, offline) == (200, 404)


def test_a_second_home_page_text_is_refused_with_a_message(client, secretariat, home_text):
    client.force_login(secretariat)

    response = client.post("/admin/pages/page/add/", page_form(slug="home-again", placement="home"))

    assert response.status_code == 200
    assert "There is already a home page text." in response.content.decode()
    assert Page.objects.filter(placement="home").count() == 1
