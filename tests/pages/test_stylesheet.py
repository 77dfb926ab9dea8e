"""The stylesheet mirrors for Arabic, prints cleanly and keeps the home page light."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

CSS = Path(finders.find("css/site.css")).read_text()

PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
    r"|(?:float|clear|text-align)\s*:\s*(?:left|right)\b"
)


def test_it_uses_logical_properties_so_right_to_left_pages_mirror():
    assert PHYSICAL.findall(CSS) == []
    # The physical-property pattern does catch what it is for.
    assert PHYSICAL.findall("a{margin-left:1px;float: right;left: 0;text-align:left}") == [
        "margin-left",
        "float: right",
        "left:",
        "text-align:left",
    ]


def test_it_loads_nothing_from_elsewhere():
    assert "@import" not in CSS
    assert "@font-face" not in CSS
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", CSS)


def test_it_shows_where_the_keyboard_focus_is():
    assert re.search(r":focus-visible\s*{[^}]*outline:\s*3px solid", CSS)
    assert re.search(r"\.skip-link:focus\s*{", CSS)


def test_it_has_a_print_stylesheet_without_the_site_chrome():
    blocks = re.findall(r"@media print\s*{(.*?)\n}", CSS, flags=re.S)
    assert len(blocks) == 1
    printed = blocks[0]
    hidden = re.search(r"([^{}]*){\s*display:\s*none;\s*}", printed).group(1)
    for selector in [".site-header", ".site-footer", ".languages", ".skip-link"]:
        assert selector in hidden
    assert "attr(href)" in printed  # link addresses are written out


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_home_page_with_its_css_and_scripts_weighs_under_100_kb(client, demo, lang):
    body = client.get(f"/{lang}/").content
    html = body.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', html)
    root = Path(settings.STATIC_ROOT)
    sizes = [(root / url.removeprefix(settings.STATIC_URL)).stat().st_size for url in assets]

    assert assets  # the stylesheet was found
    assert len(body) + sum(sizes) < 100 * 1024


def test_the_skip_link_comes_first_and_lands_on_the_main_content(client, db):
    html = client.get("/ar/").content.decode()
    body = html.split("<body>", 1)[1]

    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert first_link == '<a class="skip-link" href="#main">'
    assert '<main id="main"' in body
