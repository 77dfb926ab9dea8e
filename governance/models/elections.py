"""Board elections with a secret ballot.

The secrecy is in the schema: a Ballot row has no voter, no timestamp and a random
primary key; who voted is a separate Participation row; receipt codes are a third
table with no link to either. Nothing joins a ballot to a person.
"""

import secrets
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Network, Person

from .board import BoardSeat


class Election(models.Model):
    class Method(models.TextChoices):
        PLURALITY = "plurality", _("Plurality (one vote, most votes wins)")
        APPROVAL = "approval", _("Approval (vote for any number)")
        IRV = "irv", _("Instant-runoff (ranked, single seat)")
        STV = "stv", _("Single transferable vote (ranked, several seats)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATIONS_OPEN = "nominations-open", _("Nominations open")
        NOMINATIONS_CLOSED = "nominations-closed", _("Nominations closed")
        VOTING_OPEN = "voting-open", _("Voting open")
        VOTING_CLOSED = "voting-closed", _("Voting closed")
        TALLIED = "tallied", _("Tallied")
        CERTIFIED = "certified", _("Certified")

    class Electorate(models.TextChoices):
        DELEGATES = "delegates", _("Voting delegates of the network's member organisations")
        STEERING = "steering", _("The network's director and staff (steering committee)")
        BOARD = "board", _("The current board of directors")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="elections",
        verbose_name=_("electing network"),
        help_text=_("The network whose members nominate, stand and vote."),
        null=True,
        blank=True,
    )
    seat = models.ForeignKey(
        BoardSeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elections",
        verbose_name=_("board seat"),
        help_text=_("Empty for an election of officers such as the Executive."),
    )
    method = models.CharField(_("voting method"), max_length=20, choices=Method.choices)
    seats = models.PositiveSmallIntegerField(
        _("seats to fill"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    electorate = models.CharField(
        _("who may vote"), max_length=20, choices=Electorate.choices, default=Electorate.DELEGATES
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    nominations_open_at = models.DateTimeField(_("nominations open"))
    nominations_close_at = models.DateTimeField(_("nominations close"))
    voting_open_at = models.DateTimeField(_("voting opens"))
    voting_close_at = models.DateTimeField(_("voting closes"))
    term_starts_on = models.DateField(_("term starts"))
    term_ends_on = models.DateField(_("term ends"))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percentage of the roll who must vote)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    tie_seed = models.CharField(
        _("seed for drawing lots"),
        max_length=64,
        editable=False,
        help_text=_("Published before voting opens; anyone can redo a drawing of lots with it."),
    )
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    ballots_file = models.TextField(_("anonymised ballots"), blank=True, editable=False)
    ballots_sha256 = models.CharField(
        _("SHA-256 of the ballot file"), max_length=64, blank=True, editable=False
    )
    trustee_threshold = models.PositiveSmallIntegerField(
        _("trustees needed to open the ballot box"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "Ballots are sealed while voting is open; this many of the trustees give "
            "their keys to open the box at the count. Name the trustees before voting opens."
        ),
    )
    ballot_public_key = models.BinaryField(max_length=32, null=True, editable=False)
    box_opened_at = models.DateTimeField(
        _("ballot box opened"), null=True, blank=True, editable=False
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True, editable=False)
    # The sitemap's lastmod for the election's page.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-voting_open_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nominations_open_at__lt=models.F("nominations_close_at"))
                & models.Q(nominations_close_at__lte=models.F("voting_open_at"))
                & models.Q(voting_open_at__lt=models.F("voting_close_at")),
                name="election_schedule_in_order",
                violation_error_message=_(
                    "Nominations must open before they close, and close before voting "
                    "opens; voting must open before it closes."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(term_starts_on__lt=models.F("term_ends_on")),
                name="election_term_in_order",
                violation_error_message=_("The term must start before it ends."),
            ),
            models.CheckConstraint(
                condition=models.Q(method="stv") | models.Q(method="approval") | models.Q(seats=1),
                name="election_single_seat_methods",
                violation_error_message=_(
                    "Plurality and instant-runoff fill one seat; use single transferable "
                    "vote or approval for several."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.tie_seed:
            self.tie_seed = secrets.token_hex(16)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.seat_id and self.network_id and self.seat.network_id != self.network_id:
            raise ValidationError(
                {"network": _("A seat is elected by its own network: choose the seat's network.")}
            )
        if self.seat_id and not self.network_id:
            raise ValidationError({"network": _("Choose the network that elects this seat.")})

    @property
    def box_is_sealed(self) -> bool:
        """Ballots were sealed and the trustees have not opened the box yet."""
        return self.ballot_public_key is not None and self.box_opened_at is None

    @property
    def is_ranked(self) -> bool:
        return self.method in (self.Method.IRV, self.Method.STV)

    @property
    def voting_has_opened(self) -> bool:
        """From then on voters have read the candidates' statements: they stay as
        they were."""
        return self.status not in (
            self.Status.DRAFT,
            self.Status.NOMINATIONS_OPEN,
            self.Status.NOMINATIONS_CLOSED,
        )


class Candidate(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated, awaiting acceptance")
        ACCEPTED = "accepted", _("Standing")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("election")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("candidate")
    )
    nominated_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="nominations_made",
        verbose_name=_("nominated by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    statement = models.TextField(_("candidate statement"), blank=True)

    class Meta:
        ordering = ["person__display_name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="one_candidacy_per_election",
                violation_error_message=_("This person is already a candidate in this election."),
            )
        ]

    def __str__(self) -> str:
        return self.person.display_name


class Voter(models.Model):
    """The electoral roll, frozen when voting opens."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="roll", verbose_name=_("election")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("voter")
    )

    class Meta:
        verbose_name = _("voter on the roll")
        verbose_name_plural = _("electoral roll")
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="one_roll_entry_per_person")
        ]

    def __str__(self) -> str:
        return self.person.display_name


class Participation(models.Model):
    """That a person has voted, never how. The unique constraint is what makes a
    second ballot impossible, however many arrive at once."""

    election = models.ForeignKey(
        Election,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("election"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("voter")
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="one_vote_per_person")
        ]

    def __str__(self) -> str:
        return str(_("Participation"))


def _random_receipt() -> str:
    return secrets.token_hex(6).upper()


# The services draw the code themselves when the receipt is sealed with the ballot.
random_receipt = _random_receipt


class Ballot(models.Model):
    """A cast ballot: a random id, the election and the choice. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("election")
    )
    # plurality: [candidate] or [] (blank); approval: approved candidates;
    # ranked methods: candidates in order of preference.
    choices = models.JSONField(_("choices"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("Ballot"))


class Receipt(models.Model):
    """A voter's receipt code, published once counted; linked to no ballot and no voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("election")
    )
    code = models.CharField(_("receipt code"), max_length=20, default=_random_receipt)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="unique_receipt_code")
        ]

    def __str__(self) -> str:
        return self.code
