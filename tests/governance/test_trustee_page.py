"""The trustee's page in the member area."""

import pytest

from governance.models import AuditEntry, ElectionTrustee, Receipt
from governance.services import elections as services

from .conftest import open_for_voting, standing_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(napud_seat, delegates):
    from .conftest import make_election

    election = make_election(napud_seat, trustee_threshold=2)
    for person in delegates[2:]:
        ElectionTrustee.objects.create(election=election, person=person)
    return election


def collect(client, person, election) -> str:
    client.force_login(person.user)
    page = client.post(f"/en/portal/elections/{election.pk}/trustee/key/")
    assert page.status_code == 200
    return page.context["key"]


def test_a_trustee_collects_a_key_shown_once_and_never_cached(client, election, delegates):
    key = collect(client, delegates[2], election)

    again = client.get(f"/en/portal/elections/{election.pk}/trustee/")
    assert key not in again.content.decode()
    assert "no-store" in again["Cache-Control"]
    refused = client.post(f"/en/portal/elections/{election.pk}/trustee/key/", follow=True)
    assert key not in refused.content.decode()
    assert "already collected" in refused.content.decode()


def test_only_the_elections_trustees_have_a_trustee_page(client, election, delegates):
    client.force_login(delegates[0].user)

    assert client.get(f"/en/portal/elections/{election.pk}/trustee/").status_code == 404
    assert client.post(f"/en/portal/elections/{election.pk}/trustee/key/").status_code == 404


def test_two_trustees_open_the_box_from_their_pages(client, election, delegates):
    keys = [collect(client, person, election) for person in delegates[2:]]
    open_for_voting(election, delegates[:2])
    ids = standing_ids(election)
    code = services.ballot_cast(election=election, voter=delegates[0], choices=[ids[1]]).code
    services.election_transition(election=election, transition="close-voting")
    url = f"/en/portal/elections/{election.pk}/trustee/"

    client.force_login(delegates[2].user)
    page = client.get(url)
    assert "Open the ballot box with my key" in page.content.decode()
    wrong = client.post(url, {"key": keys[1]})
    assert "not your trustee key" in wrong.content.decode()
    first = client.post(url, {"key": keys[0]}, follow=True)
    assert "1 more trustee is needed" in first.content.decode()
    client.force_login(delegates[3].user)
    second = client.post(url, {"key": keys[1]}, follow=True)

    assert "The ballot box is open and the votes are counted." in second.content.decode()
    election.refresh_from_db()
    assert election.status == election.Status.TALLIED
    assert list(Receipt.objects.values_list("code", flat=True)) == [code]
    assert AuditEntry.objects.filter(action="election.box-opened", actor=delegates[3].user).exists()


def test_the_dashboard_lists_the_trusteeship(client, election, delegates):
    client.force_login(delegates[2].user)

    page = client.get("/en/portal/")

    assert f"/en/portal/elections/{election.pk}/trustee/" in page.content.decode()
