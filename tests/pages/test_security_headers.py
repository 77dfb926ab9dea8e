"""The security headers are on every response: pages, errors, redirects, static
files served by WhiteNoise, feeds, the sitemap and the admin."""

import pytest
from django.templatetags.static import static

ANONYMOUS = [
    "/en/",
    "/ar/about/",
    "/fr/about/history/",
    "/en/networks/",
    "/en/publications/",
    "/en/publications/feed/",
    "/en/subscribe/",
    "/en/accounts/login/",
    "/sitemap.xml",
    "/healthz",
    "/",  # redirect to a language
    "/ar/no-such-page/",  # 404
    "/admin/",  # redirect to the login
    "/admin/login/",
]


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no other origin is allowed
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ANONYMOUS)
def test_every_response_carries_the_security_headers(client, history, path):
    response = client.get(path)

    assert response.status_code < 500
    assert_security_headers(response)


@pytest.mark.parametrize("asset", ["css/site.css", "vendor/jquery-ui/jquery-ui.min.js"])
def test_static_files_carry_the_security_headers(client, db, asset):
    # (db only because closing a response signals the end of a request, and Django
    # then tidies the database connection.)
    response = client.get(static(asset))

    assert response.status_code == 200
    assert_security_headers(response)
    response.close()


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/page/", "/admin/pages/page/add/"])
def test_the_admin_carries_the_security_headers(client, secretariat, path):
    client.force_login(secretariat)

    response = client.get(path)

    assert response.status_code == 200
    assert_security_headers(response)
