"""Input no page can use answers 400 before any view runs, and no page answers 500 to
it: every URL pattern, with a NUL, a lone surrogate and an over-long segment in each
of its parameters, for a visitor and for a director."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from inpud_portal.names import validate_name
from inpud_portal.unsafe_input import RejectUnsafeInputMiddleware, json_depth
from publications.models import Subscriber

NUL = "%00"
# The UTF-8 form of U+D800, which only exists as half of a pair: Django turns the
# bytes of a path back into %-escapes, and a query string decodes it to U+FFFD.
LONE_SURROGATE = "%ED%A0%80"
OVER_LONG = "a" * 5000
BAD_VALUES = {"NUL": NUL, "lone surrogate": LONE_SURROGATE, "over-long": OVER_LONG}
# A value each converter accepts, so that only the parameter under test is bad.
GOOD_VALUE = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "0" * 32}
PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
TOKEN = "bounce-token-for-tests"


def _route_of(pattern) -> str:
    """The pattern as a route with <converter:name> placeholders."""
    if isinstance(pattern, LocalePrefixPattern):
        return "en/"
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    assert isinstance(pattern, RegexPattern)
    route = REGEX_GROUP.sub(lambda m: f"<str:{m.group(1)}>", str(pattern._regex))
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    # Alternatives and optional parts: take the first way through.
    route = re.sub(r"\((?:\?:)?([^|()]*)[^()]*\)\??", r"\1", route).replace("?", "")
    return route.replace(".*", "x").replace("\\", "")


def all_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + _route_of(entry.pattern)
        if isinstance(entry, URLPattern):
            routes.append(route)
        else:
            routes += all_routes(entry, route)
    return sorted(set(routes))


def paths_with_bad_input(route: str) -> list[tuple[str, str]]:
    """Each parameter in turn holds each bad value; a route without parameters gets
    them as an extra segment and in its query string."""
    params = list(PLACEHOLDER.finditer(route))

    def fill(bad_index: int | None, bad: str) -> str:
        path, end = "/", 0
        for index, match in enumerate(params):
            good = GOOD_VALUE.get(match.group(1) or "str", "x")
            path += route[end : match.start()] + (bad if index == bad_index else good)
            end = match.end()
        return path + route[end:]

    paths = []
    for label, bad in BAD_VALUES.items():
        if params:
            paths += [(label, fill(i, bad)) for i in range(len(params))]
        else:
            paths.append((label, "/" + route.rstrip("/") + "/" + bad))
        paths.append((label, fill(None, "") + "?q=" + bad + "&" + bad + "=1"))
    return paths


def server_errors(client) -> list[str]:
    client.raise_request_exception = False
    failures = []
    for route in all_routes():
        for label, path in paths_with_bad_input(route):
            status = client.get(path).status_code
            if status >= 500:
                failures.append(f"{status} {label}: {path[:120]}")
    return failures


def test_it_knows_every_url_pattern():
    routes = all_routes()

    assert "calendar/<str:token>.ics" in routes
    assert "en/publications/<slug:slug>/<str:language>.<str:format>" in routes
    assert "mail/bounces" in routes
    assert any(route.startswith("admin/") for route in routes)
    assert any(route.startswith("en/accounts/") for route in routes)


def test_no_page_fails_for_a_visitor(client, db):
    assert server_errors(client) == []


def test_no_page_fails_for_a_director(client, asia_director):
    client.force_login(asia_director)

    assert server_errors(client) == []


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/%00.ics",
        "/en/publications/x/%00.pdf",
        "/en/publications/x/en.pdf%00",
        "/covers/x/x%00.jpg",
        "/en/publications/?q=%00",
    ],
)
def test_a_nul_in_the_address_answers_400_in_the_pages_language(client, db, path):
    response = client.get(path)

    assert response.status_code == 400
    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert "This request cannot be read" in response.content.decode()


def test_it_answers_in_the_language_of_the_address(client, db):
    response = client.get("/fr/publications/?q=%00")

    assert response.status_code == 400
    assert '<html lang="fr" dir="ltr">' in response.content.decode()
    assert "This request cannot be read" not in response.content.decode()


def test_a_missing_page_is_still_missing(client, db):
    assert client.get("/en/publications/no-such-publication/").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_nul_in_a_form_field_changes_nothing(client, db):
    response = client.post(
        "/en/subscribe/",
        {"email": "someone@example.org", "name": "A\x00", "language": "en", "consent": "on"},
    )

    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_no_view_sees_a_nul_in_an_uploaded_file_name(rf):
    # Django's multipart parser drops unprintable characters from file names; the
    # middleware refuses whatever would still carry one.
    seen = []

    def view(request):
        seen.extend(f.name for f in request.FILES.values())
        return HttpResponse()

    upload = SimpleUploadedFile("photo\x00.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    request = rf.post("/en/portal/profile/", {"photo": upload})

    response = RejectUnsafeInputMiddleware(view)(request)

    assert response.status_code == 400 or seen == ["photo.jpg"]


def test_a_lone_surrogate_in_a_json_body_answers_400(client, db):
    response = client.post("/en/subscribe/", '{"name": "\\ud800"}', content_type="application/json")

    assert response.status_code == 400


def report(client, body):
    return client.post(
        "/mail/bounces",
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {TOKEN}"},
    )


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "body",
    [
        '{"email": "\\u0000", "type": "hard"}',
        '{"email": "\\ud800", "type": "hard"}',
        '{"email": "a@example.org", "type": "hard", "x": "\\udc00"}',
        "[" * 100_000 + "]" * 100_000,
        '{"email": "a@example.org", "type": "hard", "x": ' + "[" * 5 + "]" * 5 + "}",
    ],
    ids=["NUL", "lone high surrogate", "lone low surrogate", "100000 brackets", "too deep"],
)
def test_the_bounce_webhook_answers_400_to_unusable_reports(client, db, body):
    assert report(client, body).status_code == 400


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
def test_the_bounce_webhook_checks_a_report_not_labelled_json(client, db):
    response = client.post(
        "/mail/bounces",
        "[" * 100_000 + "]" * 100_000,
        content_type="text/plain",
        headers={"authorization": f"Bearer {TOKEN}"},
    )

    assert response.status_code == 400


@override_settings(BOUNCE_WEBHOOK_TOKEN=TOKEN)
def test_the_bounce_webhook_still_takes_a_good_report(client, db):
    response = report(client, json.dumps({"email": "a@example.org", "type": "hard"}))

    assert response.status_code == 200


def test_a_string_holding_brackets_is_not_nesting():
    assert json_depth('{"a": "[[[[\\"[[[", "b": [1, {"c": []}]}') == 4


@pytest.mark.parametrize(
    "name",
    ["\u200b", " \u200b\u2060 ", "\u202eevil", "Asha\u2066", "Asha\u200f", "A\x00", "A\tB"],
    ids=["zero-width space", "only invisible", "override", "isolate", "mark", "NUL", "tab"],
)
def test_it_refuses_a_name_that_cannot_be_seen_as_typed(name):
    with pytest.raises(ValidationError):
        validate_name(name)


@pytest.mark.parametrize("name", ["Asha", "أحمد", "שרה", "Nguyễn Thị", "O'Brien-Smith", "李"])
def test_it_takes_names_in_any_script(name):
    validate_name(name)


def test_a_subscriber_is_told_why_their_name_is_refused(client, db):
    response = client.post(
        "/fr/subscribe/",
        {"email": "someone@example.org", "name": "\u200b", "language": "fr", "consent": "on"},
    )

    assert response.status_code == 200
    assert "au moins une lettre" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_director_cannot_take_a_name_with_a_direction_override(client, asia_director):
    client.force_login(asia_director)

    response = client.post(
        "/en/portal/profile/", {"display_name": "\u202eahsA", "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert "change the direction of the text" in response.content.decode()
    asia_director.person.refresh_from_db()
    assert asia_director.person.display_name == "Asha"


def test_the_admin_refuses_an_invisible_name(secretariat):
    from members.models import Person

    with pytest.raises(ValidationError):
        Person(display_name="\u200b").full_clean(exclude=["user"])
