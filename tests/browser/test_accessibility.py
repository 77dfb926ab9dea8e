"""axe-core in Chromium on every public page the issue names, in English and Arabic."""

import pytest

from .conftest import LANGUAGES, PAGES, open_page
from .tools import AXE_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# WCAG 2.1 AA is the bar; axe's own best practices (landmarks, one h1...) are run too.
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_context(chromium):
    # axe is injected as a script, which the portal's Content-Security-Policy refuses
    # (rightly): this context alone ignores the policy.
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def axe_violations(context, address: str) -> list[dict]:
    page = open_page(context, address)
    try:
        page.add_script_tag(path=str(AXE_JS))
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    return results["violations"]


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node['failureSummary']!r}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_it_has_no_serious_accessibility_violation(axe_context, demo_site, page, lang):
    violations = axe_violations(axe_context, demo_site.address(page, lang))

    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    # "Headings in order" is a requirement of its own, though axe rates it moderate.
    failing += [v for v in violations if v["id"] == "heading-order"]
    assert not failing, f"{demo_site.paths[page][lang]}:\n{readable(failing)}"


def test_it_reports_what_it_should(axe_context):
    # Injection and reporting work: an image without a text alternative is caught.
    page = axe_context.new_page()
    page.set_content("<!doctype html><html lang=en><title>x</title><main><img src=x.png></main>")
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    page.close()

    assert "image-alt" in [v["id"] for v in results["violations"]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_shows_the_skip_link_and_the_focus_to_keyboard_users(axe_context, demo_site, lang):
    page = open_page(axe_context, demo_site.address("home", lang))

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    box = skip.bounding_box()
    outline = skip.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert skip.get_attribute("href") == "#main"
    assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= 1280, box
    assert outline.split()[0] != "none" and outline.split()[1] != "0px", outline

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    page.close()


@pytest.mark.parametrize("page", ["subscribe", "login"])
def test_it_names_the_purpose_of_personal_fields(axe_context, demo_site, page):
    # WCAG 1.3.5, which axe checks only where an autocomplete attribute is present.
    browser_page = open_page(axe_context, demo_site.address(page, "en"))
    fields = browser_page.evaluate(
        """() => [...document.querySelectorAll('input[type=email], input[type=password],'
                                               + 'input[name=name]')]
                 .map(e => [e.name, e.autocomplete])"""
    )
    browser_page.close()

    assert fields
    assert all(autocomplete for _name, autocomplete in fields), fields
