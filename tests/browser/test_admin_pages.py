"""axe-core and the Nu HTML checker on the admin pages the secretariat works in, in
English and Arabic (issue 11, point 1): each list page and a change page of each."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ..factories import enable_totp
from .test_accessibility import FAILING_IMPACTS, readable
from .test_html_validity import nu_errors
from .tools import AXE_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# app_label, model: the change list and the change page of the first entry.
MODELS = [
    ("members", "person"),
    ("members", "organisation"),
    ("members", "network"),
    ("governance", "election"),
    ("governance", "meeting"),
    ("governance", "agendaitem"),
    ("governance", "paper"),
    ("governance", "motion"),
    ("governance", "minutes"),
    ("governance", "strategicplan"),
    ("publications", "publication"),
    ("publications", "mailing"),
    ("publications", "subscriber"),
    ("pages", "page"),
]
# Add pages whose inlines start with an empty row (labels of the inline fields).
ADD_PAGES = [("publications", "publication"), ("governance", "meeting")]
LANGUAGES = ["en", "ar"]


def _admin_paths() -> list[str]:
    from django.apps import apps

    paths = [reverse("admin:index")]
    for app_label, model_name in MODELS:
        model = apps.get_model(app_label, model_name)
        paths.append(reverse(f"admin:{app_label}_{model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is None:  # the demo has no motion or minutes yet: the add page then
            paths.append(reverse(f"admin:{app_label}_{model_name}_add"))
        else:
            paths.append(reverse(f"admin:{app_label}_{model_name}_change", args=[first.pk]))
    for app_label, model_name in ADD_PAGES:
        paths.append(reverse(f"admin:{app_label}_{model_name}_add"))
    return paths


@pytest.fixture(scope="module")
def staff_session(demo_site, django_db_blocker):
    """The demo's secretariat login, signed in (its authenticator set up): a session
    cookie for the browser and for plain HTTP requests."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.get(email="secretariat@example.org")
        if not user.authenticator_set.exists():
            enable_totp(user)
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value


@pytest.fixture(scope="module")
def admin_paths(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        return _admin_paths()


@pytest.fixture(scope="module")
def admin_context(chromium, demo_site, staff_session):
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": staff_session, "url": demo_site.url}])
    yield context
    context.close()


def _open(context, address: str, lang: str):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(address, wait_until="load")
    assert response.status == 200, f"{address} answered {response.status}"
    assert page.evaluate("document.documentElement.lang") == lang
    assert not errors, f"{address}: script errors {errors}"
    return page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_has_no_serious_accessibility_violation_in_the_admin(
    admin_context, demo_site, admin_paths, lang
):
    # The admin has no language prefix: it speaks the language of the cookie.
    admin_context.add_cookies([{"name": "django_language", "value": lang, "url": demo_site.url}])
    problems = []
    for path in admin_paths:
        page = _open(admin_context, f"{demo_site.url}{path}", lang)
        try:
            page.add_script_tag(path=str(AXE_JS))
            results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        finally:
            page.close()
        failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        if failing:
            problems.append(f"{path} ({lang}):\n{readable(failing)}")
    assert not problems, "\n".join(problems)


def test_it_serves_valid_html_in_the_admin(demo_site, admin_paths, staff_session, tmp_path):
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = staff_session
    documents = {}
    for lang in LANGUAGES:
        client.cookies["django_language"] = lang
        for path in admin_paths:
            response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"
            documents[f"{lang}{path.replace('/', '-')}"] = response.content

    errors = nu_errors(documents, tmp_path)

    report = "\n".join(
        f"{name}:\n" + "\n".join(f"    {m}" for m in messages) for name, messages in errors.items()
    )
    assert not errors, f"The Nu HTML checker found errors:\n{report}"
