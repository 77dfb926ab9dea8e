"""Reading the sitemap as a crawler does: the index, then every section it lists."""

import re

from django.test import Client

LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_sections(client: Client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    return [re.sub(r"^https?://[^/]+", "", loc) for loc in LOC.findall(index.content.decode())]


def whole_sitemap(client: Client) -> str:
    """The index and every section, one after the other."""
    bodies = [client.get("/sitemap.xml").content.decode()]
    for path in sitemap_sections(client):
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
    return "\n".join(bodies)
