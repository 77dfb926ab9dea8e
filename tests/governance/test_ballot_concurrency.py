"""On PostgreSQL, with real concurrent connections: the database decides."""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from governance.models import Participation, Receipt, SealedBallot
from governance.services import elections as services

from .conftest import count_votes, make_election, open_for_voting, standing_ids

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(targets):
    """Run each target in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def run(target):
        try:
            barrier.wait()
            outcomes.append(target())
        except Exception as error:  # noqa: BLE001 - each outcome is inspected below
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.fixture
def election(napud_seat, delegates):
    return open_for_voting(make_election(napud_seat), delegates[:3])


def test_it_counts_one_ballot_under_fifty_concurrent_submissions(election, delegates):
    choice = standing_ids(election)[:1]

    outcomes = in_threads(
        [lambda: services.ballot_cast(election=election, voter=delegates[3], choices=choice)] * 50
    )

    receipts = [o for o in outcomes if isinstance(o, services.CastReceipt)]
    refusals = [o for o in outcomes if isinstance(o, services.ElectionError)]
    assert len(receipts) == 1
    assert len(refusals) == 49
    assert all("already voted" in " ".join(r.messages) for r in refusals)
    assert SealedBallot.objects.count() == Participation.objects.count() == 1


def test_closing_and_a_last_second_ballot_cannot_race(election, delegates):
    """Every ballot either counts or is refused; none is stored after the close."""
    choice = standing_ids(election)[:1]
    voters = delegates

    def vote(voter):
        return lambda: services.ballot_cast(election=election, voter=voter, choices=choice)

    targets = [vote(v) for v in voters] + [
        lambda: services.election_transition(election=election, transition="close-voting")
    ]
    outcomes = in_threads(targets)

    counted = [o for o in outcomes if isinstance(o, services.CastReceipt)]
    refused = [o for o in outcomes if isinstance(o, services.ElectionError)]
    assert len(counted) + len(refused) == len(voters)
    assert all("not open" in " ".join(r.messages) for r in refused)
    assert SealedBallot.objects.count() == Participation.objects.count() == len(counted)
    from governance.models import AuditEntry

    closing = AuditEntry.objects.get(action="election.close-voting")
    assert closing.data["sealed_ballots"] == len(counted)


def test_a_lost_database_connection_mid_vote_counts_nothing_and_allows_a_retry(election, delegates):
    choice = standing_ids(election)[:1]
    # A ballot counted before the connection is lost stays counted.
    counted = services.ballot_cast(election=election, voter=delegates[0], choices=choice)
    started = threading.Event()
    outcome = []

    def vote():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            started.set()
            outcome.append(
                services.ballot_cast(election=election, voter=delegates[3], choices=choice)
            )
        except Exception as error:  # noqa: BLE001
            outcome.append(error)
        finally:
            connections.close_all()

    pid = []
    # Hold the election's row lock so the vote stops inside its transaction.
    with connections["default"].cursor() as admin:
        admin.execute("BEGIN")
        admin.execute("SELECT id FROM governance_election WHERE id = %s FOR UPDATE", [election.pk])
        thread = threading.Thread(target=vote)
        thread.start()
        started.wait(10)
        time.sleep(0.5)  # the vote is now waiting inside its transaction
        admin.execute("SELECT pg_terminate_backend(%s)", [pid[0]])
        admin.execute("ROLLBACK")
    thread.join(30)

    assert isinstance(outcome[0], OperationalError)
    assert SealedBallot.objects.count() == Participation.objects.count() == 1
    assert Participation.objects.get().person == delegates[0]

    services.ballot_cast(election=election, voter=delegates[3], choices=choice)
    assert SealedBallot.objects.count() == Participation.objects.count() == 2
    count_votes(election)
    assert counted.code in Receipt.objects.values_list("code", flat=True)
