from django.core.management.base import BaseCommand, CommandError

from governance.models import Candidate, Election
from governance.services.elections import ElectionError, election_count


class Command(BaseCommand):
    help = "Recount an election from its stored ballots and print the result, round by round."

    def add_arguments(self, parser):
        parser.add_argument("election_id", type=int)

    def handle(self, *args, election_id, **options):
        try:
            election = Election.objects.get(pk=election_id)
        except Election.DoesNotExist as exc:
            raise CommandError(f"No election with id {election_id}") from exc
        if election.status in (
            Election.Status.DRAFT,
            Election.Status.NOMINATIONS_OPEN,
            Election.Status.NOMINATIONS_CLOSED,
            Election.Status.VOTING_OPEN,
        ):
            raise CommandError("Votes are counted only after voting has closed.")
        if election.box_is_sealed:
            raise CommandError("The ballot box is still sealed: the trustees open it first.")
        try:
            result = election_count(election=election)
        except ElectionError as error:
            # A damaged ballot box is the operator's to repair: say what is wrong,
            # without a traceback.
            raise CommandError(" ".join(error.messages)) from error
        names = {
            str(c.pk): c.person.display_name
            for c in Candidate.objects.filter(election=election).select_related("person")
        }
        out = self.stdout
        out.write(f"{election.title} ({election.get_method_display()}, {election.seats} seat(s))")
        out.write(f"Ballots: {result['total_ballots']}  valid: {result['valid_ballots']}")
        out.write(
            f"Turnout: {result['turnout']} of {result['roll_size']} on the roll; quorum "
            f"{result['quorum_percent']}% {'met' if result['quorum_met'] else 'NOT met'}"
        )
        if result.get("quota"):
            out.write(f"Quota: {result['quota']['exact']}")
        for round_ in result["rounds"]:
            counts = ", ".join(
                f"{names.get(pk, pk)} {count['exact']}" for pk, count in round_["counts"].items()
            )
            out.write(f"Round {round_['number']}: {counts}")
            for label in ("elected", "excluded"):
                if round_.get(label):
                    people = ", ".join(names.get(str(pk), str(pk)) for pk in round_[label])
                    out.write(f"  {label}: {people}")
        for tie in result["tie_breaks"]:
            outcome = names.get(str(tie["outcome"]))
            out.write(f"Tie in round {tie['round']} resolved by {tie['resolved_by']}: {outcome}")
        if not result["valid_ballots"]:
            out.write(self.style.WARNING("No valid ballot was cast: no one is elected."))
        else:
            elected = ", ".join(names.get(str(pk), str(pk)) for pk in result["elected"])
            out.write(self.style.SUCCESS(f"Elected: {elected}"))
        if election.result is not None and election.result != result:
            raise CommandError("The recount differs from the stored result!")
