"""Three trustees collect their keys in the member area, a director votes in a sealed
election, two trustees open the ballot box after the close and the secretariat
certifies the result. The trustee page passes axe and the Nu checker in English and
Arabic on the way."""

import datetime
import re

import pytest
from django.utils import timezone

from governance.models import AuditEntry, BoardSeat, ElectionTrustee, SealedBallot
from governance.models import Election as E
from governance.services import elections as services
from members.models import Role, Visibility

from ..browser.test_accessibility import FAILING_IMPACTS, readable
from ..browser.test_html_validity import nu_errors
from ..browser.tools import AXE_JS, VNU_JAR
from ..factories import PASSWORD, OrganisationFactory, person_with_role
from .conftest import E2E_MARKS, admin_action, enter_code, expect, log_in, screenshot

pytestmark = E2E_MARKS


@pytest.fixture
def election(napud, asia_director, eurasia_director, secretariat):
    now = timezone.now()
    election = E.objects.create(
        title_en="NAPUD board seat 2027",
        network=napud,
        seat=BoardSeat.objects.create(network=napud, position=1),
        method=E.Method.PLURALITY,
        electorate=E.Electorate.STEERING,
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now,
        voting_open_at=now,
        voting_close_at=now + datetime.timedelta(days=7),
        term_starts_on=datetime.date(2027, 1, 1),
        term_ends_on=datetime.date(2028, 12, 31),
        trustee_threshold=2,
    )
    for user in (secretariat, asia_director, eurasia_director):
        ElectionTrustee.objects.create(election=election, person=user.person)
    election = services.election_transition(election=election, transition="open-nominations")
    priya = person_with_role(
        Role.Kind.VOTING_DELEGATE,
        organisation=OrganisationFactory(network=napud, slug="napud-member-priya"),
        display_name="Priya",
        visibility=Visibility.PUBLIC,
    )
    services.candidate_nominate(election=election, person=priya, nominated_by=priya)
    return election


def member_login(page, user, codes):
    page.goto("/en/accounts/login/")
    log_in(page, email=user.email, secret=user.totp_secret, used_codes=codes[user.email])


def collect_key(page, election) -> str:
    page.goto("/en/portal/")
    page.get_by_role("region", name="Ballot box trustee").get_by_role(
        "link", name="NAPUD board seat 2027"
    ).click()
    page.get_by_role("button", name="Collect my trustee key").click()
    key = page.locator("#trustee-key").inner_text().strip()
    assert re.fullmatch(r"([A-Z2-7]{4} ){12}[A-Z2-7]{4}", key), key
    return key


def check_accessible(context, url):
    """axe (no serious or critical violation) and the Nu checker (no error) on the
    page as served to this trustee, in English and Arabic."""
    documents = {}
    for lang in ("en", "ar"):
        address = url.replace("/en/", f"/{lang}/")
        page = context.new_page()
        page.goto(address)
        page.add_script_tag(path=str(AXE_JS))
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        page.close()
        failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"{address}:\n{readable(failing)}"
        documents[f"trustee-{lang}"] = context.request.get(address).body()
    return documents


def test_trustees_open_the_sealed_box_and_the_result_is_certified(
    portal, new_context, election, asia_director, eurasia_director, secretariat, tmp_path
):
    if not (AXE_JS.exists() and VNU_JAR.exists()):
        pytest.fail("npm ci --ignore-scripts installs axe-core and vnu-jar")
    codes = {u.email: set() for u in (asia_director, eurasia_director, secretariat)}
    staff = new_context().new_page()
    director = new_context().new_page()
    # Only this context ignores the Content-Security-Policy, so axe can be injected.
    yuri_context = new_context(bypass_csp=True)
    yuri = yuri_context.new_page()

    # 1. Each trustee collects a key, once; the page never shows it again.
    staff.goto("/admin/")
    log_in(
        staff,
        email=secretariat.email,
        secret=secretariat.totp_secret,
        used_codes=codes[secretariat.email],
    )
    member_login(director, asia_director, codes)
    member_login(yuri, eurasia_director, codes)
    trustee_url = f"{portal.url}/en/portal/elections/{election.pk}/trustee/"
    documents = check_accessible(yuri_context, trustee_url)
    keys = {}
    for page, user in ((staff, secretariat), (director, asia_director), (yuri, eurasia_director)):
        keys[user.email] = collect_key(page, election)
    screenshot(yuri, "trustee-key-shown")
    yuri.reload()
    expect(yuri.locator("main")).not_to_contain_text(keys[eurasia_director.email])

    # 2. The secretariat opens voting; the director votes.
    staff.goto("/admin/governance/election/")
    for action in ("transition_close_nominations", "transition_open_voting"):
        admin_action(staff, pk=election.pk, action=action)
        staff.get_by_role("button", name="Yes, I’m sure").click()
        expect(staff.locator("ul.messagelist")).to_be_visible()
    election.refresh_from_db()
    assert election.status == E.Status.VOTING_OPEN and election.box_is_sealed
    director.goto(f"/en/portal/elections/{election.pk}/vote/")
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
    director.get_by_role("button", name="Cast my vote").click()
    expect(director.get_by_role("heading", level=1)).to_have_text("Your vote has been counted")
    receipt = director.locator("main code").inner_text().strip()
    assert director.url == f"{portal.url}/en/portal/elections/{election.pk}/receipt/"
    assert SealedBallot.objects.filter(election=election).count() == 1
    assert receipt.encode() not in bytes(SealedBallot.objects.get().sealed)

    # 3. The secretariat closes voting; two trustees open the box.
    staff.goto("/admin/governance/election/")
    admin_action(staff, pk=election.pk, action="transition_close_voting")
    staff.get_by_role("button", name="Yes, I’m sure").click()
    expect(staff.locator("ul.messagelist")).to_be_visible()
    director.goto(trustee_url)
    director.get_by_label("Your trustee key").fill(keys[asia_director.email])
    director.get_by_role("button", name="Open the ballot box with my key").click()
    expect(director.get_by_role("status")).to_contain_text("More trustees are needed.")
    expect(director.locator("main")).to_contain_text("1 more trustee is needed")
    documents |= {
        f"trustee-open-{k}": v for k, v in check_accessible(yuri_context, trustee_url).items()
    }
    yuri.goto(trustee_url)
    yuri.get_by_label("Your trustee key").fill(keys[eurasia_director.email].lower())
    yuri.get_by_role("button", name="Open the ballot box with my key").click()
    expect(yuri.get_by_role("status")).to_contain_text(
        "The ballot box is open and the votes are counted."
    )
    screenshot(yuri, "trustee-box-opened")
    election.refresh_from_db()
    assert election.status == E.Status.TALLIED
    assert not SealedBallot.objects.filter(election=election).exists()

    # 4. The secretariat certifies; the public result lists the director's receipt.
    staff.goto("/admin/governance/election/")
    admin_action(staff, pk=election.pk, action="transition_certify")
    staff.get_by_role("button", name="Yes, I’m sure").click()
    expect(staff.locator("ul.messagelist")).to_be_visible()
    election.refresh_from_db()
    assert election.status == E.Status.CERTIFIED
    director.goto(f"/en/elections/{election.pk}/")
    expect(director.get_by_role("main")).to_contain_text("Elected: Priya")
    expect(director.locator("ul.receipts code")).to_have_text([receipt])
    trail = set(
        AuditEntry.objects.filter(object_id=str(election.pk)).values_list("action", flat=True)
    )
    assert {
        "election.trustee.key-collected",
        "election.trustee.key-entered",
        "election.box-opened",
        "election.certify",
    } <= trail
    assert nu_errors(documents, tmp_path) == {}
