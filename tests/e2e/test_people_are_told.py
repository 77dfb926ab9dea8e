"""People are told what concerns them, through the browser and the real mail path:
a director nominates a delegate in the member area and the nominee receives the
email; the secretariat invites the current board in the admin and a director
receives the invitation with a calendar file that calendar apps can read."""

import datetime

import icalendar
from django.utils import timezone

from governance.models import BoardSeat, Directorship, Meeting

from ..celery_worker import wait_until
from .conftest import E2E_MARKS, admin_action, expect, log_in
from .test_director import delegates, election  # noqa: F401 - fixtures

pytestmark = E2E_MARKS


def test_a_nominee_receives_the_nomination_email(
    portal,
    new_context,
    election,  # noqa: F811 - the fixture imported above
    delegates,  # noqa: F811
    asia_director,
):
    priya, _kiran = delegates
    page = new_context().new_page()
    page.goto("/en/accounts/login/")
    log_in(page, email=asia_director.email, secret=asia_director.totp_secret, used_codes=set())
    page.goto(f"/en/portal/elections/{election.pk}/")
    page.get_by_role("link", name="Nominate a candidate").click()
    page.get_by_label("Candidate").select_option(label="Priya")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_role("status")).to_contain_text("The nomination has been recorded.")

    def nominated():
        return [m for m in portal.messages_to(priya.email) if "nominated" in str(m["Subject"])]

    assert wait_until(nominated, timeout=60)
    [message] = nominated()
    assert str(message["Subject"]).strip() == "You have been nominated: NAPUD board seat 2027"
    body = message.get_body(("plain",)).get_content()
    assert f"{portal.url}/en/portal/elections/{election.pk}/" in body


def test_an_invitee_receives_the_meeting_email_with_a_valid_calendar_file(
    portal, new_context, napud, asia_director, secretariat
):
    seat = BoardSeat.objects.create(network=napud, position=1)
    Directorship.objects.create(
        seat=seat, person=asia_director.person, starts_on=datetime.date(2025, 1, 1)
    )
    starts = (timezone.now() + datetime.timedelta(days=20)).replace(microsecond=0)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Annual Board Meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        city="Lisbon",
        country="PT",
    )
    staff = new_context().new_page()
    staff.goto("/admin/")
    log_in(staff, email=secretariat.email, secret=secretariat.totp_secret, used_codes=set())
    staff.goto("/admin/governance/meeting/")
    admin_action(staff, pk=meeting.pk, action="invite_board")
    expect(staff.locator("ul.messagelist").first).to_contain_text("1 email queued")

    assert wait_until(lambda: portal.messages_to(asia_director.email), timeout=60)
    [message] = portal.messages_to(asia_director.email)
    assert str(message["Subject"]).strip() == "Invitation: Annual Board Meeting"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    [event] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert event.decoded("dtstart") == starts
    assert str(event["summary"]) == "Annual Board Meeting"
