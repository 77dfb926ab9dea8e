"""The main navigation says which section the visitor is in (aria-current="page")."""

import re

import pytest


def current_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">\s*<ul class="nav">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


@pytest.mark.parametrize(
    "path,current",
    [
        ("/en/", "/en/"),
        ("/en/about/", "/en/about/"),
        ("/en/about/history/", "/en/about/"),
        ("/en/networks/", "/en/networks/"),
        ("/en/networks/napud/", "/en/networks/"),
        ("/en/board/", "/en/board/"),
        ("/en/meetings/", "/en/meetings/"),
        ("/ar/publications/", "/ar/publications/"),
        ("/en/accounts/login/", "/en/accounts/login/"),
    ],
)
def test_the_current_section_is_marked(client, history, napud, path, current):
    response = client.get(path)

    assert response.status_code == 200
    assert current_links(response.content.decode()) == [current]


@pytest.mark.parametrize("path", ["/en/subscribe/", "/en/no-such-page/"])
def test_a_page_in_no_section_marks_none(client, history, napud, path):
    assert current_links(client.get(path).content.decode()) == []


def test_the_member_area_is_marked_for_members(client, history, napud, secretariat):
    client.force_login(secretariat)

    response = client.get("/en/portal/")

    assert current_links(response.content.decode()) == ["/en/portal/"]
