"""A new director goes from the invitation email to the member area in one pass:
choose a password, set up the authenticator app, keep the recovery codes, and land
on the dashboard, typing the password once."""

import datetime
import re

from members import services
from members.models import Person, Role

from ..celery_worker import wait_until
from .conftest import E2E_MARKS, expect, screenshot, totp_code

pytestmark = E2E_MARKS

PASSWORD = "peers lead the way 2027"


def test_a_director_goes_from_the_invitation_email_to_the_dashboard_in_one_pass(
    portal, new_context, napud
):
    person = Person.objects.create(
        display_name="Amara", email="amara@example.org", preferred_language="en"
    )
    services.role_grant(
        person=person, kind=Role.Kind.DIRECTOR, network=napud, starts_on=datetime.date(2024, 1, 1)
    )
    services.person_invite(person=person)
    page = new_context().new_page()
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    # 1. The worker mails the invitation; its link opens the password page.
    assert wait_until(lambda: portal.messages_to("amara@example.org"), timeout=60)
    [invitation] = portal.messages_to("amara@example.org")
    [link] = re.findall(
        r"http://\S+/accounts/invitation/\S+/", invitation.get_body(("plain",)).get_content()
    )
    page.goto(link)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()

    # 2. Straight on to the authenticator: no "Confirm access" in between. The key
    # survives a reload and a change of language.
    page.wait_for_url(re.compile(r"/en/accounts/2fa/totp/activate/"))
    expect(
        page.get_by_role(
            "img", name="QR code that adds your INPUD portal account to an authenticator app"
        )
    ).to_be_visible()
    key = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.reload()
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/accounts/2fa/totp/activate/"))
    assert page.locator("#totp-secret").inner_text().replace(" ", "") == key
    page.get_by_role("link", name="English").click()
    screenshot(page, "first-login-authenticator")
    page.locator("input[name=code]").fill(totp_code(key))
    page.get_by_role("button", name="Confirm the code").click()

    # 3. The recovery codes, with a clear way on to the member area.
    page.wait_for_url(re.compile(r"/en/accounts/2fa/recovery-codes/"))
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    screenshot(page, "first-login-recovery-codes")
    page.get_by_role("link", name="I have kept my codes: continue to the member area").click()
    expect(page).to_have_url(f"{portal.url}/en/portal/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not [url for url in visited if "/reauthenticate/" in url or "/accounts/login/" in url]
