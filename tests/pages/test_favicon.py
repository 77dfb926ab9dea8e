"""The portal's icon: linked from every page, and answering at /favicon.ico, where
browsers (and the admin, and feeds) ask for it without being told."""

import re
import xml.etree.ElementTree as ET

import pytest


def icon_link(html: str) -> str:
    [href] = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    return href


@pytest.mark.parametrize("path", ["/en/", "/ar/about/", "/fr/no-such-page/"])
def test_every_page_links_the_self_hosted_icon(client, db, path):
    href = icon_link(client.get(path).content.decode())

    assert href.startswith("/static/img/favicon.")
    icon = client.get(href)
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    svg = b"".join(icon.streaming_content) if icon.streaming else icon.content
    # Our own file, from the repository.
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314
    assert len(svg) < 1024


def test_favicon_ico_sends_browsers_to_the_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == icon_link(client.get("/en/").content.decode())
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200
