import pytest

from governance.models import AuditEntry, Candidate, Directorship
from governance.services import elections as services
from members.models import Role

from ..factories import person_with_role
from .conftest import make_election


@pytest.fixture
def nominating(napud_seat):
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")
    return election


def test_a_member_nominates_another_who_then_accepts(nominating, delegates):
    candidate = services.candidate_nominate(
        election=nominating, person=delegates[1], nominated_by=delegates[0]
    )
    assert candidate.status == Candidate.Status.NOMINATED

    services.candidate_respond(candidate=candidate, accept=True, statement="I will listen.")

    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ACCEPTED
    assert candidate.statement_en == "I will listen."
    assert AuditEntry.objects.filter(action="election.candidacy.accept").exists()


def test_a_self_nomination_stands_at_once(nominating, delegates):
    candidate = services.candidate_nominate(
        election=nominating, person=delegates[0], nominated_by=delegates[0]
    )

    assert candidate.status == Candidate.Status.ACCEPTED


def test_a_nominee_can_decline(nominating, delegates):
    candidate = services.candidate_nominate(
        election=nominating, person=delegates[1], nominated_by=delegates[0]
    )

    services.candidate_respond(candidate=candidate, accept=False)

    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.DECLINED
    with pytest.raises(services.ElectionError):
        services.candidate_respond(candidate=candidate, accept=True)


def test_a_candidate_must_belong_to_the_network(nominating, delegates, enpud):
    outsider = person_with_role(Role.Kind.NETWORK_STAFF, network=enpud)

    with pytest.raises(services.ElectionError, match="must be a member of NAPUD"):
        services.candidate_nominate(election=nominating, person=outsider, nominated_by=delegates[0])

    assert not Candidate.objects.exists()


def test_a_nominator_must_belong_to_the_network(nominating, delegates, enpud):
    outsider = person_with_role(Role.Kind.NETWORK_STAFF, network=enpud)

    with pytest.raises(services.ElectionError, match="Only members"):
        services.candidate_nominate(election=nominating, person=delegates[0], nominated_by=outsider)


def test_a_director_of_another_seat_cannot_stand(nominating, delegates, enpud):
    from governance.models import BoardSeat

    other_seat = BoardSeat.objects.create(network=enpud)
    Directorship.objects.create(
        seat=other_seat, person=delegates[2], starts_on=nominating.term_starts_on
    )

    with pytest.raises(services.ElectionError, match="already holds another board seat"):
        services.candidate_nominate(
            election=nominating, person=delegates[2], nominated_by=delegates[0]
        )


def test_nobody_is_nominated_twice(nominating, delegates):
    services.candidate_nominate(election=nominating, person=delegates[1], nominated_by=delegates[0])

    with pytest.raises(services.ElectionError, match="already a candidate"):
        services.candidate_nominate(
            election=nominating, person=delegates[1], nominated_by=delegates[2]
        )


def test_nominations_are_refused_when_closed(nominating, delegates):
    services.election_transition(election=nominating, transition="close-nominations")

    with pytest.raises(services.ElectionError, match="not open"):
        services.candidate_nominate(
            election=nominating, person=delegates[0], nominated_by=delegates[0]
        )


def test_a_director_nominates_in_the_member_area(client, nominating, delegates, asia_director):
    client.force_login(asia_director)

    response = client.post(
        f"/en/portal/elections/{nominating.pk}/nominate/", {"person": delegates[1].pk}
    )

    assert response.status_code == 302
    assert Candidate.objects.get().person == delegates[1]


def test_a_nominee_accepts_in_french_in_the_member_area(client, nominating, delegates):
    candidate = services.candidate_nominate(
        election=nominating, person=delegates[1], nominated_by=delegates[0]
    )
    client.force_login(delegates[1].user)

    response = client.post(
        f"/fr/portal/elections/{nominating.pk}/candidacy/",
        {"decision": "accept", "statement": "Je défendrai la réduction des risques."},
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ACCEPTED
    assert candidate.statement_fr == "Je défendrai la réduction des risques."


def test_an_ineligible_nomination_shows_a_clear_message(client, nominating, asia_director, enpud):
    outsider = person_with_role(Role.Kind.NETWORK_STAFF, network=enpud)
    client.force_login(asia_director)

    response = client.post(
        f"/en/portal/elections/{nominating.pk}/nominate/", {"person": outsider.pk}
    )

    # Not offered as a choice: the form refuses it before the service would.
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Candidate.objects.exists()
