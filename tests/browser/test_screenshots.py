"""Screenshots of the public pages on a desktop, a 360 px phone and the narrowest phone the
issue names (320 px), in English and Arabic.

They are saved to artifacts/screenshots/ for a person to look at; the tests also check
what a person would notice first: the page must not scroll sideways, and Arabic pages
must be laid out right to left.
"""

import pytest

from .conftest import LANGUAGES, PAGES, open_page
from .tools import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SCREENSHOTS = ARTIFACTS / "screenshots"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "mobile": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    # The site must work from 320 px wide (an iPhone SE, older Android phones).
    "narrow": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def device(request, chromium):
    context = chromium.new_context(**VIEWPORTS[request.param])
    yield request.param, context
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_name", PAGES)
def test_it_fits_the_screen_in_the_reading_direction(device, demo_site, page_name, lang):
    viewport, context = device
    page = open_page(context, demo_site.address(page_name, lang))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{page_name}-{lang}-{viewport}.png", full_page=True)

    # The width of the screen, not window.innerWidth: a phone widens its layout
    # viewport to whatever overflows, and zooms out.
    width = page.viewport_size["width"]
    # The innermost elements wider than the screen, or else sticking out: the culprits.
    overflowing = page.evaluate(
        """width => {
            const all = [...document.querySelectorAll('body *')];
            const innermost = test => all.filter(e => test(e) && ![...e.children].some(test));
            const wide = e => e.getBoundingClientRect().width > width + 1;
            const out = e => { const r = e.getBoundingClientRect();
                               return r.right > width + 1 || r.left < -1; };
            const found = innermost(wide).length ? innermost(wide) : innermost(out);
            return found.slice(0, 5).map(e => e.outerHTML.slice(0, 100));
        }""",
        width,
    )
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{scroll_width} px wide, overflowing: {overflowing}"
    assert page.evaluate("() => document.dir") == ("rtl" if lang == "ar" else "ltr")
    # The brand starts the header: on the left in English, on the right in Arabic.
    brand = page.locator(".brand").bounding_box()
    if lang == "ar":
        assert brand["x"] + brand["width"] > width - width / 4
    else:
        assert brand["x"] < width / 4
    page.close()
