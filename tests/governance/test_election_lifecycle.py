import datetime

import pytest
from django.utils import timezone

from governance.models import AuditEntry, Election, Voter
from governance.services import elections as services

from .conftest import count_votes, make_election, name_trustees, open_for_voting

S = Election.Status


def test_it_moves_through_the_lifecycle_and_audits_every_step(napud_seat, delegates, secretariat):
    election = make_election(napud_seat)

    services.election_transition(
        election=election, transition="open-nominations", actor=secretariat
    )
    for person in delegates[:2]:
        services.candidate_nominate(election=election, person=person, nominated_by=person)
    services.election_transition(
        election=election, transition="close-nominations", actor=secretariat
    )
    [(trustee, _key)] = name_trustees(election, [secretariat.person])
    services.election_transition(election=election, transition="open-voting", actor=secretariat)
    election = count_votes(election, actor=secretariat)

    assert election.status == S.TALLIED
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
    assert actions == [
        ("election.open-nominations", secretariat.pk),
        ("election.nominate", None),
        ("election.nominate", None),
        ("election.close-nominations", secretariat.pk),
        ("election.trustee.key-collected", None),
        ("election.open-voting", secretariat.pk),
        ("election.close-voting", secretariat.pk),
        ("election.trustee.key-entered", secretariat.pk),
        ("election.box-opened", secretariat.pk),
        ("election.tally", secretariat.pk),
    ]


def test_voting_cannot_open_before_trustees_are_named(napud_seat, delegates):
    """Every vote is sealed: without trustees there would be no one to open the box."""
    election = make_election(napud_seat, trustee_threshold=2)
    services.election_transition(election=election, transition="open-nominations")
    for person in delegates[:2]:
        services.candidate_nominate(election=election, person=person, nominated_by=person)
    services.election_transition(election=election, transition="close-nominations")

    with pytest.raises(services.ElectionError, match="2 trustees open the box, 0 named"):
        services.election_transition(election=election, transition="open-voting")

    election.refresh_from_db()
    assert election.status == S.NOMINATIONS_CLOSED
    assert not Voter.objects.exists()


@pytest.mark.parametrize(
    "transition", ["close-nominations", "open-voting", "close-voting", "tally", "certify"]
)
def test_it_refuses_a_step_out_of_order(napud_seat, transition):
    election = make_election(napud_seat)

    with pytest.raises(services.ElectionError):
        services.election_transition(election=election, transition=transition)

    election.refresh_from_db()
    assert election.status == S.DRAFT
    assert not AuditEntry.objects.exists()


def test_repeating_a_step_is_refused_not_rerun(napud_seat):
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")

    with pytest.raises(services.ElectionError, match="cannot go to"):
        services.election_transition(election=election, transition="open-nominations")

    assert AuditEntry.objects.count() == 1


def test_voting_cannot_open_without_enough_candidates(napud_seat, delegates):
    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")
    services.election_transition(election=election, transition="close-nominations")

    with pytest.raises(services.ElectionError, match="0 candidate"):
        services.election_transition(election=election, transition="open-voting")

    assert not Voter.objects.exists()


def test_the_roll_is_frozen_when_voting_opens(open_election, delegates, napud):
    from members.models import Role

    from ..factories import OrganisationFactory, person_with_role

    roll = set(open_election.roll.values_list("person_id", flat=True))
    latecomer = person_with_role(
        Role.Kind.VOTING_DELEGATE, organisation=OrganisationFactory(network=napud)
    )

    assert roll == {p.pk for p in delegates}
    assert not open_election.roll.filter(person=latecomer).exists()
    entry = AuditEntry.objects.get(action="election.open-voting")
    assert entry.data["roll_size"] == 4
    assert entry.data["tie_seed"] == open_election.tie_seed


def test_the_tie_seed_is_set_and_published_before_voting(napud_seat):
    election = make_election(napud_seat)

    assert len(election.tie_seed) == 32
    assert make_election(napud_seat, title_en="Other").tie_seed != election.tie_seed


def test_the_scheduler_advances_elections_whose_time_has_come(napud_seat, delegates):
    election = make_election(napud_seat)
    open_for_voting(election, delegates[:2])
    Election.objects.filter(pk=election.pk).update(
        voting_close_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    done = services.elections_advance_due()

    election.refresh_from_db()
    # The box stays sealed until the trustees open it, which counts the votes.
    assert election.status == S.VOTING_CLOSED and election.box_is_sealed
    assert done == [f"{election.pk}:close-voting"]
    assert AuditEntry.objects.filter(action="election.close-voting", actor=None).exists()
    # Running again does nothing more.
    assert services.elections_advance_due() == []


def test_voting_cannot_be_opened_before_its_published_time(napud_seat, delegates):
    # Ballots are refused before voting_open_at: opening early would offer directors
    # a ballot that cannot be cast.
    soon = timezone.now() + datetime.timedelta(hours=2)
    election = make_election(
        napud_seat, voting_open_at=soon, voting_close_at=soon + datetime.timedelta(days=1)
    )
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[0], nominated_by=delegates[0])
    services.election_transition(election=election, transition="close-nominations")

    with pytest.raises(services.ElectionError, match="cannot be opened earlier"):
        services.election_transition(election=election, transition="open-voting")

    election.refresh_from_db()
    assert election.status == S.NOMINATIONS_CLOSED
    assert not Voter.objects.filter(election=election).exists()
    assert not AuditEntry.objects.filter(action="election.open-voting").exists()


def test_the_scheduler_records_a_refused_step(napud_seat):
    election = make_election(napud_seat)

    # Opens and closes nominations (their times passed), cannot open voting.
    services.elections_advance_due()

    election.refresh_from_db()
    assert election.status == S.NOMINATIONS_CLOSED
    assert AuditEntry.objects.filter(action="election.open-voting.refused").exists()


def test_the_scheduler_opens_nominations_at_their_time_and_not_before(napud_seat):
    later = timezone.now() + datetime.timedelta(days=1)
    waiting = make_election(
        napud_seat,
        nominations_open_at=later,
        nominations_close_at=later + datetime.timedelta(days=1),
        voting_open_at=later + datetime.timedelta(days=2),
        voting_close_at=later + datetime.timedelta(days=3),
    )
    due = make_election(
        napud_seat,
        nominations_open_at=timezone.now() - datetime.timedelta(minutes=1),
        nominations_close_at=later,
        voting_open_at=later + datetime.timedelta(days=1),
        voting_close_at=later + datetime.timedelta(days=2),
    )

    services.elections_advance_due()

    waiting.refresh_from_db()
    due.refresh_from_db()
    assert waiting.status == S.DRAFT
    assert due.status == S.NOMINATIONS_OPEN


def test_a_schedule_out_of_order_is_refused(napud_seat):
    from django.core.exceptions import ValidationError

    election = make_election(napud_seat)
    election.voting_close_at = election.voting_open_at - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError, match="voting must open before it closes"):
        election.full_clean()


def test_celery_beat_runs_the_scheduled_steps_and_reminders(settings, napud_seat, delegates):
    from governance.tasks import advance_elections
    from inpud_portal.celery import app

    scheduled = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    # Every minute, so a vote closes within a minute of its time; the tasks exist.
    assert scheduled["governance.tasks.advance_elections"] <= 60
    assert "governance.tasks.remind_voters" in scheduled
    assert {"governance.tasks.advance_elections", "governance.tasks.remind_voters"} <= set(
        app.tasks
    )
    election = make_election(napud_seat)
    open_for_voting(election, delegates[:2])
    Election.objects.filter(pk=election.pk).update(
        voting_close_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    done = advance_elections.apply().get()

    election.refresh_from_db()
    # The box stays sealed until the trustees open it, which counts the votes.
    assert election.status == S.VOTING_CLOSED and election.box_is_sealed
    assert done == [f"{election.pk}:close-voting"]
