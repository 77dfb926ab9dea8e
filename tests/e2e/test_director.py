"""A director logs in with a password and an authenticator code, nominates a
candidate, votes in the open election after re-entering a code, and finds their
receipt among the counted ballots once the secretariat has certified the result.

Every election step is taken in the browser: the director's in the member area, the
secretariat's through the admin actions (close nominations, open voting, close
voting, count, certify). Only the nominee's acceptance is done with the service, as
the nominee would do it in their own session.
"""

import datetime
import re

import pytest
from django.utils import timezone

from governance.models import (
    AuditEntry,
    BoardSeat,
    Candidate,
    Directorship,
    Election,
    ElectionTrustee,
    SealedBallot,
)
from governance.services import elections as services
from governance.services import sealing
from members.models import Role, Visibility

from ..celery_worker import wait_until
from ..factories import PASSWORD, OrganisationFactory, person_with_role
from ..governance.conftest import name_trustees
from .conftest import E2E_MARKS, admin_action, enter_code, expect, log_in, screenshot

pytestmark = E2E_MARKS


@pytest.fixture
def election(napud, asia_director):
    # The director exists before nominations open, so the "nominations are open"
    # notice always reaches them too (left to fixture order, the worker raced it).
    # Nominations are due to close and voting to open now: the secretariat does
    # both by hand instead of waiting for the scheduler.
    now = timezone.now()
    election = Election.objects.create(
        title_en="NAPUD board seat 2027",
        network=napud,
        seat=BoardSeat.objects.create(network=napud, position=1),
        method=Election.Method.PLURALITY,
        electorate=Election.Electorate.STEERING,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now,
        voting_open_at=now,
        voting_close_at=now + datetime.timedelta(days=7),
        term_starts_on=datetime.date(2027, 1, 1),
        term_ends_on=datetime.date(2028, 12, 31),
    )
    return services.election_transition(election=election, transition="open-nominations")


@pytest.fixture
def delegates(napud):
    """Two voting delegates of NAPUD member organisations, whose profiles members
    alone may see: standing makes the name public only for whoever is elected."""
    return [
        person_with_role(
            Role.Kind.VOTING_DELEGATE,
            organisation=OrganisationFactory(network=napud, slug=f"napud-member-{name.lower()}"),
            display_name=name,
            visibility=Visibility.MEMBERS,
        )
        for name in ("Priya", "Kiran")
    ]


def test_a_director_nominates_votes_and_finds_their_receipt_in_the_result(
    portal, new_context, election, delegates, asia_director, secretariat
):
    priya, kiran = delegates
    services.candidate_nominate(election=election, person=kiran, nominated_by=kiran)
    codes = {asia_director.email: set(), secretariat.email: set()}
    director = new_context().new_page()
    staff = new_context().new_page()

    # 1. Log in with the password and a code from the authenticator app.
    director.goto("/en/")
    director.get_by_role("link", name="Member login").click()
    screenshot(director, "director-login")
    log_in(
        director,
        email=asia_director.email,
        secret=asia_director.totp_secret,
        used_codes=codes[asia_director.email],
    )
    expect(director).to_have_url(f"{portal.url}/en/portal/")

    # 2. Nominate Priya from the election's page in the member area.
    director.get_by_role("main").get_by_role("link", name="NAPUD board seat 2027").click()
    director.get_by_role("link", name="Nominate a candidate").click()
    director.get_by_label("Candidate").select_option(label="Priya")
    screenshot(director, "director-nominate")
    director.get_by_role("button", name="Nominate").click()
    expect(director.get_by_role("status")).to_contain_text("The nomination has been recorded.")
    nomination = Candidate.objects.get(election=election, person=priya)
    assert nomination.nominated_by == asia_director.person
    assert nomination.status == Candidate.Status.NOMINATED
    services.candidate_respond(candidate=nomination, accept=True, statement="Peers first.")

    # Two trustees collected their keys in the member area (tests/e2e/test_trustees.py).
    trustee_keys = name_trustees(
        election,
        [person_with_role(Role.Kind.SECRETARIAT, display_name=f"Trustee {n}") for n in (1, 2)],
    )

    # 3. The secretariat closes nominations and opens voting in the admin.
    staff.goto("/admin/")
    log_in(
        staff,
        email=secretariat.email,
        secret=secretariat.totp_secret,
        used_codes=codes[secretariat.email],
    )
    staff.get_by_role("link", name="Elections").click()
    for action in ("transition_close_nominations", "transition_open_voting"):
        admin_action(staff, pk=election.pk, action=action)
        staff.get_by_role("button", name="Yes, I’m sure").click()
        expect(staff.locator("ul.messagelist")).to_be_visible()
    election.refresh_from_db()
    assert election.status == Election.Status.VOTING_OPEN
    assert list(election.roll.values_list("person", flat=True)) == [asia_director.person.pk]

    # 4. The worker mails the roll that voting is open; the director follows the
    # link, votes, and the ballot page asks for the password again, then for a
    # fresh authenticator code.
    def voting_notices():
        return [
            message
            for message in portal.messages_to(asia_director.email)
            if "Voting is open" in message["Subject"]
        ]

    assert wait_until(voting_notices, timeout=60)
    [notice] = voting_notices()
    assert notice["Subject"] == "Voting is open: NAPUD board seat 2027"
    [link] = re.findall(r"http://\S+", notice.get_body(("plain",)).get_content())
    assert link == f"{portal.url}/en/portal/elections/{election.pk}/"
    director.goto(link)
    director.get_by_role("link", name="Vote").click()
    director.wait_for_url(re.compile(r"/en/accounts/reauthenticate/"))
    director.get_by_label("Password").fill(PASSWORD)
    director.get_by_role("button", name="Confirm").click()
    director.wait_for_url(re.compile(r"/en/accounts/2fa/reauthenticate/"))
    enter_code(
        director,
        secret=asia_director.totp_secret,
        used_codes=codes[asia_director.email],
        button="Confirm",
    )
    director.wait_for_url(re.compile(rf"/en/portal/elections/{election.pk}/vote/$"))
    director.get_by_label("Priya").check()
    screenshot(director, "director-ballot")
    director.get_by_role("button", name="Cast my vote").click()
    expect(director.get_by_role("heading", level=1)).to_have_text("Your vote has been counted")
    receipt = director.locator("main code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{8,}", receipt), receipt
    screenshot(director, "director-receipt")
    # Reloading the receipt shows it again and casts nothing; the ballot page now
    # says the director has voted instead of offering the form.
    assert "/receipt/" in director.url
    director.reload()
    expect(director.locator("main code")).to_have_text(receipt)
    assert SealedBallot.objects.filter(election=election).count() == 1
    director.goto(f"/en/portal/elections/{election.pk}/vote/")
    expect(director.get_by_role("heading", level=1)).to_contain_text("You have voted")
    expect(director.get_by_role("button", name="Cast my vote")).to_have_count(0)

    # 5. The secretariat closes voting, the trustees open the box (which counts the
    # votes), and the secretariat certifies, confirming each step.
    staff.get_by_role("link", name="Elections").first.click()

    def confirm(action):
        admin_action(staff, pk=election.pk, action=action)
        staff.get_by_role("button", name="Yes, I’m sure").click()
        expect(staff.locator("ul.messagelist")).to_be_visible()

    confirm("transition_close_voting")
    opened = [
        sealing.trustee_key_enter(trustee=ElectionTrustee.objects.get(pk=trustee), key=key)
        for trustee, key in trustee_keys
    ]
    assert opened == [False, True]
    confirm("transition_certify")
    screenshot(staff, "secretariat-election-certified")
    election.refresh_from_db()
    assert election.status == Election.Status.CERTIFIED
    assert Directorship.objects.filter(person=priya, seat=election.seat).exists()
    assert AuditEntry.objects.filter(action="election.certify", actor=secretariat).exists()

    # 6. The public result names the winner and lists the director's receipt code.
    director.goto(f"/en/portal/elections/{election.pk}/")
    director.get_by_role("link", name="See the result").click()
    director.wait_for_url(f"{portal.url}/en/elections/{election.pk}/")
    expect(director.get_by_role("main")).to_contain_text("Elected: Priya")
    expect(director.get_by_role("main")).not_to_contain_text("Kiran")
    expect(director.locator("ul.receipts code")).to_have_text([receipt])
    screenshot(director, "director-result")
    # The incoming board is public too, from the day of certification.
    director.goto("/en/board/")
    director.get_by_role("link", name="The board elected for 2027").click()
    expect(director.get_by_role("heading", name="Priya")).to_be_visible()
    expect(director.get_by_role("main")).to_contain_text("Takes office on Jan. 1, 2027")
