"""One renderer for every email: the recipient's language for the chrome too, and
HTML written by the secretariat sanitised before it reaches anyone."""

from django.core import mail

from inpud_portal import outbox
from inpud_portal.mail_render import clean_html
from publications.models import Mailing
from publications.services import mailing as services

from .conftest import make_subscriber

HOSTILE = (
    '<p onclick="steal()">Hello <strong>peers</strong></p>'
    "<script>alert(1)</script>"
    '<img src="https://tracker.example.net/pixel.gif?u=1">'
    '<a href="javascript:alert(2)">click</a>'
    '<a href="https://inpud.net/news/">news</a>'
    "<style>body{display:none}</style>"
    '<form action="https://phish.example.net"><input name="password"></form>'
)


def test_hostile_html_is_reduced_to_harmless_markup():
    cleaned = clean_html(HOSTILE)

    for forbidden in ("onclick", "<script", "alert(1)", "<img", "tracker", "javascript:"):
        assert forbidden not in cleaned
    for forbidden in ("<style", "<form", "<input", "phish"):
        assert forbidden not in cleaned
    assert "<strong>peers</strong>" in cleaned
    assert '<a href="https://inpud.net/news/" rel="noopener noreferrer">news</a>' in cleaned


def test_a_mailing_with_hostile_html_reaches_inboxes_sanitised_with_the_chrome_in_their_language(
    members_audience,
):
    mailing = Mailing.objects.create(
        subject_en="News",
        body_text_en="News from the network",
        body_html_en=HOSTILE,
        subject_fr="Nouvelles",
        body_text_fr="Nouvelles du réseau",
        body_html_fr=HOSTILE,
    )
    mailing.audiences.add(members_audience)
    make_subscriber("fr@example.org", language="fr", audiences=[members_audience])

    assert services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    outbox.outbox_send()

    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert "<script" not in html and "onclick" not in html and "<img" not in html
    assert "javascript:" not in html
    assert "<strong>peers</strong>" in html
    # The footer is the site's, in the reader's language.
    assert "Se désabonner en un clic" in html
    assert '<html lang="fr"' in html
    assert message.extra_headers["Content-Language"] == "fr"
