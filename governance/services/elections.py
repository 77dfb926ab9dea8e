"""Running a board election: nominations, the roll, secret ballots, tally, certification.

Every state change locks the election row, checks the current state, writes an
audit entry in the same transaction and only then enqueues notifications.
"""

import csv
import datetime
import hashlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Person, Role
from members.selectors import roles_current
from members.services import role_end, role_grant

from .. import tally
from ..models import (
    Ballot,
    Candidate,
    Directorship,
    Election,
    Participation,
    Receipt,
    SealedBallot,
    Voter,
)
from ..models.elections import random_receipt
from ..selectors import directorships_current, election_electorate, network_members
from . import sealing
from .audit import audit_record
from .errors import ElectionError
from .notices import nomination_answer_notice_add, nomination_notice_add

S = Election.Status

# Which status each transition leads from and to. Transitions run in this order.
TRANSITIONS = {
    "open-nominations": (S.DRAFT, S.NOMINATIONS_OPEN),
    "close-nominations": (S.NOMINATIONS_OPEN, S.NOMINATIONS_CLOSED),
    "open-voting": (S.NOMINATIONS_CLOSED, S.VOTING_OPEN),
    "close-voting": (S.VOTING_OPEN, S.VOTING_CLOSED),
    "tally": (S.VOTING_CLOSED, S.TALLIED),
    "certify": (S.TALLIED, S.CERTIFIED),
}


# Published with every election before voting opens.
TIE_RULE = (
    "A tie is broken by the most recent earlier round of this count in which the tied "
    "candidates had different totals; if there is none, by drawing lots: the tied "
    "candidates, sorted by id, are shuffled with Python's random.Random seeded with the "
    "SHA-256 digest of the election's published seed. The draw decides one seat (or one "
    "exclusion) at a time: when more candidates are tied than seats are left, the first of "
    "the shuffled list takes a seat and lots are drawn again, seat by seat, among those "
    "still tied."
)


@dataclass(frozen=True)
class CastReceipt:
    code: str


def _locked(election_id: int) -> Election:
    return Election.objects.select_for_update().get(pk=election_id)


def _notify(election: Election, event: str) -> None:
    # Written in the event's transaction: the notices exist if and only if it commits.
    from .notices import election_notices_add

    election_notices_add(election=election, event=event)


# --- Transitions -------------------------------------------------------------------


def election_transition(*, election: Election, transition: str, actor=None) -> Election:
    """Move an election one step along its lifecycle; refused unless it is in the
    step's starting state. Safe to repeat: a second call is refused, not re-run."""
    source, target = TRANSITIONS[transition]
    with transaction.atomic(durable=True):
        election = _locked(election.pk)
        if election.status != source:
            raise ElectionError(
                _("This election is “%(status)s”; it cannot go to “%(target)s” from there.")
                % {"status": election.get_status_display(), "target": S(target).label}
            )
        data = _STEPS[transition](election)
        election.status = target
        election.save()
        audit_record(
            actor=actor,
            action=f"election.{transition}",
            obj=election,
            summary=f"{election.title}: {S(source).label} → {S(target).label}",
            data=data,
        )
        if transition in NOTIFIED:
            _notify(election, transition)
    return election


def _open_nominations(election: Election) -> dict:
    return {}


def _close_nominations(election: Election) -> dict:
    standing = election.candidates.filter(status=Candidate.Status.ACCEPTED).count()
    return {"candidates_standing": standing}


def _open_voting(election: Election) -> dict:
    # Ballots are accepted only inside the published window (ballot_cast): opened
    # earlier, the member area would offer a ballot that is then refused.
    if timezone.now() < election.voting_open_at:
        raise ElectionError(
            _("Voting opens at %(time)s UTC, as published; it cannot be opened earlier.")
            % {"time": date_format(election.voting_open_at, "DATETIME_FORMAT")}
        )
    standing = list(
        election.candidates.filter(status=Candidate.Status.ACCEPTED).values_list("pk", flat=True)
    )
    if len(standing) < election.seats:
        raise ElectionError(
            _("Voting cannot open: %(standing)d candidate(s) standing for %(seats)d seat(s).")
            % {"standing": len(standing), "seats": election.seats}
        )
    # The roll is frozen now: later changes to roles do not change who may vote.
    Voter.objects.bulk_create(
        Voter(election=election, person=person) for person in election_electorate(election=election)
    )
    data = {
        "roll_size": election.roll.count(),
        "candidates": standing,
        "tie_rule": TIE_RULE,
        "tie_seed": election.tie_seed,
    }
    # Every vote is sealed: an unsealed box would be readable from every nightly
    # backup, WAL archive and replica taken while voting is open.
    data |= sealing.election_key_make(election=election)
    return data


def _close_voting(election: Election) -> dict:
    if election.box_is_sealed:
        # Nothing is readable to shuffle: the trustees open and shuffle the box.
        return {
            "sealed_ballots": election.sealed_ballots.count(),
            "roll_size": election.roll.count(),
        }
    _shuffle_ballot_box(election)
    return {"ballots": election.ballots.count(), "roll_size": election.roll.count()}


def _shuffle_ballot_box(election: Election) -> None:
    """Rewrite the ballots and receipts in a random order with new ids.

    A ballot row has no voter, time or sequence, but the database itself keeps
    traces of when a row was written (PostgreSQL's transaction ids and physical
    order, SQLite's rowid), which match the participation written with it. Once
    voting closes, every ballot and receipt is written anew in one transaction, in
    shuffled order, and the originals deleted; on PostgreSQL the tables are then
    vacuumed so the old row versions are gone too.
    """
    rng = secrets.SystemRandom()
    for model, value in ((Ballot, "choices"), (Receipt, "code")):
        values = list(model.objects.filter(election=election).values_list(value, flat=True))
        rng.shuffle(values)
        model.objects.filter(election=election).delete()
        model.objects.bulk_create(model(election=election, **{value: v}) for v in values)
    if connection.vendor == "postgresql":
        transaction.on_commit(_vacuum_ballot_box)


def _vacuum_ballot_box() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (FULL) {Ballot._meta.db_table}, {Receipt._meta.db_table}")


def _tally(election: Election) -> dict:
    if election.box_is_sealed:
        raise ElectionError(
            _("The ballot box is still sealed: the trustees open it before the count.")
        )
    result = election_count(election=election)
    election.result = result
    # Shuffled once and kept, so the published SHA-256 always matches the download.
    election.ballots_file = ballot_file(election=election, elected=result["elected"])
    election.ballots_sha256 = hashlib.sha256(election.ballots_file.encode()).hexdigest()
    # A drawing of lots is in the trail with the seed it used, so anyone reading the
    # trail can redo the draw (see governance.tally.ties).
    return {
        "elected": result["elected"],
        "tie_breaks": result["tie_breaks"],
        "tie_seed": election.tie_seed,
        "sha256": election.ballots_sha256,
    }


def _certify(election: Election) -> dict:
    if not election.result["valid_ballots"]:
        raise ElectionError(
            _("No valid ballot was cast: no one is elected and there is no result to certify.")
        )
    if not election.result["quorum_met"]:
        raise ElectionError(_("The quorum was not met: this result cannot be certified."))
    election.certified_at = timezone.now()
    winners = [
        Candidate.objects.select_related("person").get(pk=pk) for pk in election.result["elected"]
    ]
    if election.seat_id:
        _seat_filled(election, winners[0].person)
    else:
        _executive_elected(election, [w.person for w in winners])
    return {"elected_people": [w.person_id for w in winners]}


def _seat_filled(election: Election, person: Person) -> None:
    """The winner becomes the seat's director for the new term; whoever held the
    seat until then steps down the day before."""
    start = election.term_starts_on
    day_before = start - datetime.timedelta(days=1)
    for previous in Directorship.objects.filter(seat=election.seat, starts_on__lt=start).exclude(
        ends_on__lt=start
    ):
        previous.ends_on = day_before
        previous.save(update_fields=["ends_on"])
    Directorship.objects.create(
        seat=election.seat,
        person=person,
        starts_on=start,
        ends_on=election.term_ends_on,
        origin=Directorship.Origin.ELECTION,
        election=election,
    )
    network = election.seat.network
    # Whoever holds the network's director role until then (the winner too, when
    # re-elected) has it end the day before the new term; the new role lasts the term.
    for role in roles_current(on=start).filter(kind=Role.Kind.DIRECTOR, network=network):
        role_end(role=role, ends_on=max(day_before, role.starts_on))
    role_grant(
        person=person,
        kind=Role.Kind.DIRECTOR,
        network=network,
        starts_on=start,
        ends_on=election.term_ends_on,
    )


def _executive_elected(election: Election, people: list[Person]) -> None:
    """The Executive is replaced as a whole: former Executive members lose the role;
    winners who hold no other office become Executive members. The Chair, Vice-Chair
    and Treasurer keep their office, which already places them on the Executive."""
    current = directorships_current(on=election.term_starts_on)
    current.filter(officer=Directorship.Officer.EXECUTIVE).exclude(person__in=people).update(
        officer=""
    )
    current.filter(person__in=people, officer="").update(officer=Directorship.Officer.EXECUTIVE)


_STEPS = {
    "open-nominations": _open_nominations,
    "close-nominations": _close_nominations,
    "open-voting": _open_voting,
    "close-voting": _close_voting,
    "tally": _tally,
    "certify": _certify,
}
NOTIFIED = {"open-nominations", "close-nominations", "open-voting", "certify"}

# What the scheduler does on its own when a scheduled time has passed. Certifying
# stays a human decision.
SCHEDULED = [
    ("open-nominations", "nominations_open_at"),
    ("close-nominations", "nominations_close_at"),
    ("open-voting", "voting_open_at"),
    ("close-voting", "voting_close_at"),
]


def elections_advance_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Run every transition whose scheduled time has passed; returns what it did."""
    now = now or timezone.now()
    done = []
    for transition, field in SCHEDULED:
        source, _target = TRANSITIONS[transition]
        for election in Election.objects.filter(status=source, **{f"{field}__lte": now}):
            try:
                election = election_transition(election=election, transition=transition)
                done.append(f"{election.pk}:{transition}")
                if transition == "close-voting" and not election.box_is_sealed:
                    election_transition(election=election, transition="tally")
                    done.append(f"{election.pk}:tally")
            except ElectionError as error:
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action=f"election.{transition}.refused",
                        obj=election,
                        summary=" ".join(error.messages),
                    )
    return done


# --- Nominations -------------------------------------------------------------------


def candidate_is_eligible(*, election: Election, person: Person) -> str | None:
    """Why the person cannot stand, or None when they can."""
    if election.seat_id is None:
        if not directorships_current().filter(person=person).exists():
            return _("Only current directors can stand in this election.")
        return None
    if not network_members(network=election.seat.network).filter(pk=person.pk).exists():
        return _("The candidate must be a member of %(network)s.") % {
            "network": election.seat.network
        }
    other_seat = (
        directorships_current(on=election.term_starts_on)
        .filter(person=person)
        .exclude(seat=election.seat)
    )
    if other_seat.exists():
        return _("The candidate already holds another board seat.")
    return None


def candidate_nominate(
    *, election: Election, person: Person, nominated_by: Person, actor=None
) -> Candidate:
    with transaction.atomic(durable=True):
        election = _locked(election.pk)
        if election.status != S.NOMINATIONS_OPEN:
            raise ElectionError(_("Nominations are not open for this election."))
        electorate = (
            network_members(network=election.network)
            if election.network_id
            else election_electorate(election=election)
        )
        if not electorate.filter(pk=nominated_by.pk).exists():
            raise ElectionError(_("Only members of the electing network can nominate."))
        reason = candidate_is_eligible(election=election, person=person)
        if reason:
            raise ElectionError(reason)
        try:
            with transaction.atomic():
                candidate = Candidate.objects.create(
                    election=election,
                    person=person,
                    nominated_by=nominated_by,
                    # Standing for oneself needs no second step.
                    status=Candidate.Status.ACCEPTED
                    if person == nominated_by
                    else Candidate.Status.NOMINATED,
                )
        except IntegrityError as exc:
            raise ElectionError(_("This person is already a candidate in this election.")) from exc
        audit_record(
            actor=actor,
            action="election.nominate",
            obj=election,
            summary=f"{person.display_name} nominated by {nominated_by.display_name}",
            data={"candidate": candidate.pk},
        )
        nomination_notice_add(candidate=candidate)
    return candidate


def candidate_respond(
    *, candidate: Candidate, accept: bool, statement: str = "", actor=None
) -> Candidate:
    """The nominee accepts (with a statement in the page's language) or declines."""
    with transaction.atomic(durable=True):
        election = _locked(candidate.election_id)
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if election.status != S.NOMINATIONS_OPEN:
            raise ElectionError(_("Nominations are closed: the candidacy can no longer change."))
        if candidate.status not in (Candidate.Status.NOMINATED, Candidate.Status.ACCEPTED):
            raise ElectionError(_("This nomination was already declined or withdrawn."))
        reason = candidate_is_eligible(election=election, person=candidate.person)
        if accept and reason:
            raise ElectionError(reason)
        candidate.status = Candidate.Status.ACCEPTED if accept else Candidate.Status.DECLINED
        if accept:
            candidate.statement = statement
        candidate.save()
        audit_record(
            actor=actor,
            action="election.candidacy." + ("accept" if accept else "decline"),
            obj=election,
            summary=f"{candidate.person.display_name}: {candidate.get_status_display()}",
            data={"candidate": candidate.pk},
        )
        nomination_answer_notice_add(candidate=candidate)
    return candidate


# --- Voting --------------------------------------------------------------------------


def ballot_validate(*, election: Election, choices: list[int]) -> list[int]:
    """Check a ballot against the election's method and standing candidates."""
    standing = set(
        election.candidates.filter(status=Candidate.Status.ACCEPTED).values_list("pk", flat=True)
    )
    if not choices:
        raise ElectionError(_("Your ballot is empty: choose at least one candidate."))
    if any(choice not in standing for choice in choices):
        raise ElectionError(_("Your ballot names someone who is not a candidate in this election."))
    if len(set(choices)) != len(choices):
        raise ElectionError(_("Each candidate can be chosen or ranked only once."))
    if election.method == Election.Method.PLURALITY and len(choices) != 1:
        raise ElectionError(_("Choose exactly one candidate."))
    return choices


def ballot_cast(*, election: Election, voter: Person, choices: list[int], now=None) -> CastReceipt:
    """Cast a secret ballot.

    1. Lock the election, so closing the vote waits for ballots being cast and a
       ballot after the close is refused, never half-counted.
    2. Check the window, the roll and the ballot.
    3. Record participation: the unique constraint lets only one through per voter,
       whatever the number of simultaneous submissions.
    4. Store the ballot (random id, no voter, no time) and a receipt code, unlinked;
       when the election has trustees, both only sealed to the election key.
    All of it commits together or not at all.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        election = _locked(election.pk)
        if election.status != S.VOTING_OPEN or not (
            election.voting_open_at <= now < election.voting_close_at
        ):
            raise ElectionError(_("Voting is not open for this election."))
        if not election.roll.filter(person=voter).exists():
            raise ElectionError(_("You are not on the electoral roll of this election."))
        choices = ballot_validate(election=election, choices=choices)
        try:
            with transaction.atomic():
                Participation.objects.create(election=election, person=voter)
        except IntegrityError as exc:
            raise ElectionError(_("You have already voted in this election.")) from exc
        code = random_receipt()
        if election.box_is_sealed:
            SealedBallot.objects.create(
                election=election,
                sealed=sealing.ballot_seal(election=election, choices=choices, code=code),
            )
        else:
            Ballot.objects.create(election=election, choices=choices)
            Receipt.objects.create(election=election, code=code)
    return CastReceipt(code=code)


def has_voted(*, election: Election, person: Person) -> bool:
    return Participation.objects.filter(election=election, person=person).exists()


# --- Counting --------------------------------------------------------------------------


def _stored_ballot_problems(election: Election, candidates: list[int], raw: list) -> list[str]:
    """What makes stored ballots uncountable, in words: ballot_cast never stores such a
    ballot, so one found here was written by hand or restored from a damaged copy."""
    standing = set(candidates)
    problems = []
    for choices in raw:
        if not isinstance(choices, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in choices
        ):
            problems.append(_("a ballot is not a list of candidates"))
            continue
        unknown = sorted({c for c in choices if c not in standing})
        if unknown:
            problems.append(
                _("a ballot names %(ids)s, not a standing candidate")
                % {"ids": ", ".join(map(str, unknown))}
            )
        repeated = sorted({c for c in choices if choices.count(c) > 1})
        if repeated:
            problems.append(
                _("a ballot names candidate %(ids)s more than once")
                % {"ids": ", ".join(map(str, repeated))}
            )
        if election.method == Election.Method.PLURALITY and len(choices) > 1:
            problems.append(_("a plurality ballot names more than one candidate"))
    return problems


def _tally_input(election: Election):
    candidates = sorted(
        election.candidates.filter(status=Candidate.Status.ACCEPTED).values_list("pk", flat=True)
    )
    raw = list(election.ballots.values_list("choices", flat=True))
    problems = _stored_ballot_problems(election, candidates, raw)
    if problems:
        # Counting around a damaged ballot would publish a result nobody can
        # reproduce: the count stops and says why, changing nothing.
        unique = list(dict.fromkeys(problems))
        raise ElectionError(
            _(
                "The stored ballots cannot be counted: %(problems)s. Nothing was changed; "
                "restore the ballots from a backup before counting."
            )
            % {"problems": "; ".join(unique)}
        )
    if election.method == Election.Method.PLURALITY:
        return candidates, [c[0] if c else None for c in raw]
    if election.method == Election.Method.APPROVAL:
        return candidates, [frozenset(c) for c in raw]
    return candidates, [tuple(c) for c in raw]


def _no_valid_ballots(election: Election, candidates: list[int], total: int) -> dict:
    """The record of a count with nothing to count: no rounds, no one elected. Drawing
    lots among candidates nobody voted for would be an election by lot."""
    return {
        "method": election.method,
        "seats": election.seats,
        "candidates": candidates,
        "elected": [],
        "quota": None,
        "total_ballots": total,
        "valid_ballots": 0,
        "blank_ballots": total,
        "seed": election.tie_seed,
        "rounds": [],
        "tie_breaks": [],
    }


def election_count(*, election: Election) -> dict:
    """Count the stored ballots from scratch: the same ballots always give the same
    result, byte for byte. Raises ElectionError when a stored ballot cannot be read."""
    candidates, ballots = _tally_input(election)
    tie_break = tally.TieBreak(seed=election.tie_seed)
    method = election.method
    if not any(ballots):
        data = _no_valid_ballots(election, candidates, len(ballots))
    elif method == Election.Method.PLURALITY:
        data = tally.tally_plurality(
            candidates=candidates, ballots=ballots, seats=election.seats, tie_break=tie_break
        ).to_dict()
    elif method == Election.Method.APPROVAL:
        data = tally.tally_approval(
            candidates=candidates, ballots=ballots, seats=election.seats, tie_break=tie_break
        ).to_dict()
    elif method == Election.Method.IRV:
        data = tally.tally_irv(
            candidates=candidates, ballots=ballots, tie_break=tie_break
        ).to_dict()
    else:
        data = tally.tally_stv(
            candidates=candidates, ballots=ballots, seats=election.seats, tie_break=tie_break
        ).to_dict()
    roll = election.roll.count()
    voted = election.participations.count()
    data["roll_size"] = roll
    data["turnout"] = voted
    data["quorum_percent"] = election.quorum_percent
    data["quorum_met"] = roll > 0 and voted * 100 >= election.quorum_percent * roll
    return data


def candidate_public_names(*, election: Election, elected: Iterable[int] = ()) -> dict[str, str]:
    """How candidates are named in public (results page, ballot file): their display
    name when their profile is public, or members-only and they are among the
    `elected` (accepting a candidacy says so); otherwise a neutral label. A profile
    the secretariat alone may see is never named."""
    from members.models import Visibility

    names = {}
    elected = set(elected)
    standing = election.candidates.select_related("person").order_by("pk")
    for number, candidate in enumerate(standing, start=1):
        visibility = candidate.person.visibility
        if visibility == Visibility.PUBLIC or (
            visibility == Visibility.MEMBERS and candidate.pk in elected
        ):
            names[str(candidate.pk)] = candidate.person.display_name
        else:
            names[str(candidate.pk)] = _("Candidate %(number)d") % {"number": number}
    return names


def ballot_file(*, election: Election, elected: Iterable[int] = ()) -> str:
    """The anonymised ballots, shuffled, in BLT (ranked) or CSV (other methods), naming
    the `elected` and the candidates whose profile is public.

    The file is written once and its SHA-256 published, so it must not depend on the
    language of whoever ran the count: neutral labels are always in English."""
    with translation.override(settings.LANGUAGE_CODE):
        names = candidate_public_names(election=election, elected=elected)
    candidates = [
        (pk, names[str(pk)])
        for pk in election.candidates.filter(status=Candidate.Status.ACCEPTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    ballots = list(election.ballots.values_list("choices", flat=True))
    secrets.SystemRandom().shuffle(ballots)
    if election.is_ranked:
        return tally.write_blt(
            title=election.title_en or election.title,
            candidates=candidates,
            seats=election.seats,
            ballots=[tuple(b) for b in ballots],
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for _pk, name in candidates])
    writer.writerows([1 if pk in ballot else 0 for pk, _name in candidates] for ballot in ballots)
    return buffer.getvalue()
