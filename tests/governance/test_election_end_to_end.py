"""An election run as people run it: the secretariat in the admin, members in the
member area in their own languages, and the public reading the certified result."""

import datetime
import re

from django.utils import timezone

from governance.models import AuditEntry, Candidate, Directorship, Election, ElectionTrustee
from governance.services import sealing

from .conftest import name_trustees
from .test_vote_view import reauthenticate


def admin_transition(client, election, action):
    """An admin action as staff do it: choose, read the confirmation, confirm."""
    data = {"action": f"transition_{action}", "_selected_action": [election.pk]}
    confirmation = client.post("/admin/governance/election/", data)
    assert "cannot be undone" in confirmation.content.decode()
    done = client.post("/admin/governance/election/", data | {"confirm": "yes"}, follow=True)
    # Each action answers in a sentence naming the election.
    assert f"{election.title}: " in done.content.decode(), action
    assert 'class="success"' in done.content.decode(), action
    election.refresh_from_db()
    return election


def split(moment: datetime.datetime) -> dict:
    return {"0": moment.strftime("%Y-%m-%d"), "1": moment.strftime("%H:%M:%S")}


def test_an_election_runs_from_the_admin_and_the_member_area_to_the_board(
    client, secretariat, asia_director, napud_seat, delegates
):
    now = timezone.now()
    schedule = {
        "nominations_open_at": now - datetime.timedelta(days=3),
        "nominations_close_at": now - datetime.timedelta(days=2),
        "voting_open_at": now - datetime.timedelta(hours=1),
        "voting_close_at": now + datetime.timedelta(days=1),
    }
    form = {
        "title_en": "NAPUD seat 2027",
        "title_fr": "Siège de NAPUD 2027",
        "network": napud_seat.network.pk,
        "seat": napud_seat.pk,
        "method": "irv",
        "seats": "1",
        "electorate": "delegates",
        "quorum_percent": "50",
        "term_starts_on": "2027-01-01",
        "term_ends_on": "2028-12-31",
        "candidates-TOTAL_FORMS": "0",
        "candidates-INITIAL_FORMS": "0",
        "candidates-MIN_NUM_FORMS": "0",
        "candidates-MAX_NUM_FORMS": "1000",
        "trustees-TOTAL_FORMS": "0",
        "trustees-INITIAL_FORMS": "0",
        "trustees-MIN_NUM_FORMS": "0",
        "trustees-MAX_NUM_FORMS": "1000",
        "trustee_threshold": "2",
    }
    for field, moment in schedule.items():
        form |= {f"{field}_{part}": value for part, value in split(moment).items()}

    # 1. The secretariat creates the election and opens nominations.
    client.force_login(secretariat)
    created = client.post("/admin/governance/election/add/", form)
    assert created.status_code == 302, created.context["adminform"].form.errors
    election = Election.objects.get()
    admin_transition(client, election, "open_nominations")

    # 2. The director nominates two delegates; one accepts in French, one stands
    #    for herself in Spanish.
    client.force_login(asia_director)
    for nominee in delegates[:2]:
        client.post(f"/en/portal/elections/{election.pk}/nominate/", {"person": nominee.pk})
    client.force_login(delegates[0].user)
    client.post(
        f"/fr/portal/elections/{election.pk}/candidacy/",
        {"decision": "accept", "statement": "Je défendrai la réduction des risques."},
    )
    client.force_login(delegates[2].user)
    client.post(f"/es/portal/elections/{election.pk}/nominate/", {"person": delegates[2].pk})
    # delegates[1] never answers: a nomination without acceptance does not stand.
    assert set(
        election.candidates.filter(status=Candidate.Status.ACCEPTED).values_list(
            "person", flat=True
        )
    ) == {delegates[0].pk, delegates[2].pk}

    # 3. The secretariat closes nominations and opens the vote.
    client.force_login(secretariat)
    admin_transition(client, election, "close_nominations")
    # Two trustees (the threshold): a delegate and the secretariat.
    [(other_trustee, other_key), (_trustee, key)] = name_trustees(
        election, [delegates[3], secretariat.person]
    )
    admin_transition(client, election, "open_voting")
    assert election.roll.count() == 4

    # 4. Three delegates vote, each in their own language, after re-authenticating.
    first, second = (
        election.candidates.get(person=delegates[0]),
        election.candidates.get(person=delegates[2]),
    )
    receipts = []
    for voter, lang, ranking in [
        (delegates[0], "ar", [first, second]),
        (delegates[1], "ru", [first]),
        (delegates[3], "pt", [second, first]),
    ]:
        client.force_login(voter.user)
        reauthenticate(client, voter)
        url = f"/{lang}/portal/elections/{election.pk}/vote/"
        assert f'<html lang="{lang}"' in client.get(url).content.decode()
        ranks = {f"rank_{c.pk}": str(n) for n, c in enumerate(ranking, start=1)}
        receipt = client.post(url, ranks, follow=True)
        receipts.append(receipt.context["receipt"]["code"])
        assert receipts[-1] in receipt.content.decode()

    # Nothing is published while the vote is open.
    public = client.get(f"/fr/elections/{election.pk}/").content.decode()
    assert not any(code in public for code in receipts)

    # 5. The secretariat closes, counts and certifies.
    client.force_login(secretariat)
    admin_transition(client, election, "close_voting")
    # The trustees give their keys; the second, in the member area, opens the box and
    # the votes are counted.
    assert not sealing.trustee_key_enter(
        trustee=ElectionTrustee.objects.get(pk=other_trustee), key=other_key
    )
    client.post(f"/en/portal/elections/{election.pk}/trustee/", {"key": key})
    admin_transition(client, election, "certify")
    assert election.status == Election.Status.CERTIFIED
    assert election.result["elected"] == [first.pk]

    # 6. The public reads the result, with every receipt, in any language.
    client.logout()
    page = client.get(f"/fr/elections/{election.pk}/").content.decode()
    assert "Siège de NAPUD 2027" in page
    assert "Je défendrai la réduction des risques." in page
    for code in receipts:
        assert code in page
    assert election.ballots_sha256 in page

    # 7. The winner is the seat's director for the new term, and every step is audited.
    directorship = Directorship.objects.get(seat=napud_seat, election=election)
    assert directorship.person == delegates[0]
    assert (directorship.starts_on, directorship.ends_on) == (
        datetime.date(2027, 1, 1),
        datetime.date(2028, 12, 31),
    )
    staff_steps = AuditEntry.objects.filter(actor=secretariat).values_list("action", flat=True)
    assert [a for a in staff_steps.order_by("id") if re.match(r"election\.[a-z-]+$", a)] == [
        "election.open-nominations",
        "election.close-nominations",
        "election.open-voting",
        "election.close-voting",
        "election.box-opened",
        "election.tally",
        "election.certify",
    ]
