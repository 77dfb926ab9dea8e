"""Voting in the member area, as a voter does it."""

import pytest
from django.contrib.sessions.models import Session

from governance.models import Ballot, Receipt, SealedBallot

from ..factories import PASSWORD
from .conftest import count_votes, standing_ids


@pytest.fixture
def voter(delegates):
    return delegates[3]


@pytest.fixture
def voter_client(client, voter):
    client.force_login(voter.user)
    return client


def reauthenticate(client, person=None):
    """Re-enter a code from the authenticator app, as the ballot asks."""
    from ..members.test_mfa import totp_code

    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    if person is not None:
        client.post("/en/accounts/2fa/reauthenticate/", {"code": totp_code(person.totp_secret)})


def ranks(election, order):
    ids = standing_ids(election)
    return {f"rank_{ids[i]}": str(rank) for rank, i in enumerate(order, start=1)}


def test_voting_needs_a_fresh_reauthentication(voter_client, voter, open_election):
    response = voter_client.get(f"/en/portal/elections/{open_election.pk}/vote/")

    assert response["Location"].startswith("/en/accounts/reauthenticate/")


def test_a_password_alone_is_not_enough_when_the_voter_has_an_authenticator(
    voter_client, voter, open_election
):
    voter_client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})

    response = voter_client.get(f"/en/portal/elections/{open_election.pk}/vote/")

    assert response["Location"].startswith("/en/accounts/2fa/reauthenticate/")


def test_a_voter_ranks_candidates_and_gets_a_receipt(voter_client, voter, open_election):
    reauthenticate(voter_client, voter)
    page = voter_client.get(f"/en/portal/elections/{open_election.pk}/vote/")
    assert page.status_code == 200
    assert "Delegate 0" in page.content.decode()

    response = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", ranks(open_election, [2, 0]), follow=True
    )

    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0].startswith(
        f"/en/portal/elections/{open_election.pk}/receipt/"
    )
    body = response.content.decode()
    assert "The result is published on the election" in body
    assert SealedBallot.objects.filter(election=open_election).count() == 1

    count_votes(open_election)

    [code] = Receipt.objects.values_list("code", flat=True)
    assert code in body
    ids = standing_ids(open_election)
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[ids[2], ids[0]]]


def test_reloading_the_receipt_shows_it_again_and_casts_nothing(voter_client, voter, open_election):
    reauthenticate(voter_client, voter)
    url = f"/en/portal/elections/{open_election.pk}/vote/"
    receipt_url = voter_client.post(url, ranks(open_election, [0]))["Location"]

    pages = [voter_client.get(receipt_url) for _reload in range(3)]

    assert SealedBallot.objects.count() == 1
    count_votes(open_election)
    code = Receipt.objects.get().code
    for again in pages:
        assert again.status_code == 200
        assert code in again.content.decode()
    assert voter_client.post(receipt_url).status_code == 405


def test_the_ballot_page_says_you_have_voted_instead_of_the_form(
    voter_client, voter, open_election
):
    reauthenticate(voter_client, voter)
    url = f"/en/portal/elections/{open_election.pk}/vote/"
    voter_client.post(url, ranks(open_election, [0]))

    page = voter_client.get(url)

    body = page.content.decode()
    assert "<title>You have voted" in body
    assert "Cast my vote" not in body
    assert "<form" not in body.split("<main", 1)[1]
    assert 'class="error' not in body
    assert "Voting closes on" in body


def test_a_receipt_address_is_only_for_its_own_voter(
    client, voter_client, voter, delegates, open_election
):
    reauthenticate(voter_client, voter)
    receipt_url = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", ranks(open_election, [0])
    )["Location"]
    # The same client, now logged in as another voter of the election.
    client.force_login(delegates[0].user)

    assert client.get(receipt_url).status_code == 404


def test_the_receipt_address_names_neither_the_voter_nor_the_code(
    voter_client, voter, open_election
):
    """Access logs keep addresses; the server's sessions live in the database."""
    reauthenticate(voter_client, voter)
    receipt_url = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", ranks(open_election, [0])
    )["Location"]
    count_votes(open_election)  # the code is readable once the box is open
    code = Receipt.objects.get().code

    assert receipt_url == f"/en/portal/elections/{open_election.pk}/receipt/"
    assert code in voter_client.get(receipt_url).content.decode()
    stored = [s.get_decoded() for s in Session.objects.all()]
    assert stored and not any(code in repr(data) for data in stored)


def test_without_its_cookie_the_receipt_page_is_not_found(voter_client, voter, open_election):
    reauthenticate(voter_client, voter)
    receipt_url = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", ranks(open_election, [0])
    )["Location"]
    voter_client.cookies.pop(f"receipt-{open_election.pk}-en")

    assert voter_client.get(receipt_url).status_code == 404


def test_the_receipt_survives_a_change_of_language(voter_client, voter, open_election):
    reauthenticate(voter_client, voter)
    response = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", ranks(open_election, [0])
    )
    count_votes(open_election)  # the code is readable once the box is open
    code = Receipt.objects.get().code
    french = response.cookies[f"receipt-{open_election.pk}-fr"]

    assert french["path"] == f"/fr/portal/elections/{open_election.pk}/receipt/"
    page = voter_client.get(f"/fr/portal/elections/{open_election.pk}/receipt/")
    assert code in page.content.decode()


def test_a_shared_rank_names_the_clashing_candidates_and_marks_their_fields(
    voter_client, voter, open_election
):
    reauthenticate(voter_client, voter)
    ids = standing_ids(open_election)

    response = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/",
        {f"rank_{ids[0]}": "1", f"rank_{ids[1]}": "2", f"rank_{ids[2]}": "1"},
    )

    body = response.content.decode()
    assert "Rank 1 is also given to Delegate 2." in body
    assert "Rank 1 is also given to Delegate 0." in body
    assert f'name="rank_{ids[0]}" aria-invalid="true"' in body
    assert f'name="rank_{ids[2]}" aria-invalid="true"' in body
    assert f'name="rank_{ids[1]}" aria-invalid' not in body
    assert not SealedBallot.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda e: {}, "Rank at least one candidate"),
        (
            lambda e: {f"rank_{standing_ids(e)[0]}": "1", f"rank_{standing_ids(e)[1]}": "1"},
            "one candidate only",
        ),
        (lambda e: {f"rank_{standing_ids(e)[0]}": "2"}, "without gaps"),
        (lambda e: {f"rank_{standing_ids(e)[0]}": "9"}, "Select a valid choice"),
    ],
)
def test_a_bad_ranking_is_refused_with_a_clear_message(
    voter_client, voter, open_election, data, message
):
    reauthenticate(voter_client, voter)

    response = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", data(open_election)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SealedBallot.objects.exists()


def test_a_tampered_form_naming_a_non_candidate_is_ignored_or_refused(
    voter_client, voter, open_election
):
    reauthenticate(voter_client, voter)

    response = voter_client.post(
        f"/en/portal/elections/{open_election.pk}/vote/", {"rank_999999": "1"}
    )

    assert "Rank at least one candidate" in response.content.decode()
    assert not SealedBallot.objects.exists()


def test_voting_twice_shows_a_clear_message(voter_client, voter, open_election):
    reauthenticate(voter_client, voter)
    url = f"/en/portal/elections/{open_election.pk}/vote/"
    voter_client.post(url, ranks(open_election, [0]))

    response = voter_client.post(url, ranks(open_election, [1]))

    assert "You have voted" in response.content.decode()
    assert SealedBallot.objects.count() == 1


def test_the_ballot_page_is_translated_and_right_to_left_in_arabic(
    voter_client, voter, open_election
):
    reauthenticate(voter_client, voter)

    body = voter_client.get(f"/ar/portal/elections/{open_election.pk}/vote/").content.decode()

    assert '<html lang="ar" dir="rtl">' in body
    assert "Cast my vote" not in body


def test_someone_outside_the_election_gets_a_404(client, eurasia_director, open_election):
    from ..members.test_mfa import totp_code

    client.force_login(eurasia_director)
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    client.post(
        "/en/accounts/2fa/reauthenticate/", {"code": totp_code(eurasia_director.totp_secret)}
    )

    assert client.get(f"/en/portal/elections/{open_election.pk}/vote/").status_code == 404
    assert client.get(f"/en/portal/elections/{open_election.pk}/").status_code == 404
