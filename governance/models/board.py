from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Network, Person


class BoardSeat(models.Model):
    """One of the nine seats: one per regional network, one for INWUD."""

    network = models.OneToOneField(
        Network, on_delete=models.PROTECT, related_name="board_seat", verbose_name=_("network")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "network__acronym"]
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")

    def __str__(self) -> str:
        return str(_("Seat of %(network)s") % {"network": self.network.acronym})


class Directorship(models.Model):
    class Origin(models.TextChoices):
        ELECTION = "election", _("Elected")
        APPOINTMENT = "appointment", _("Appointed to fill a vacancy")

    class Officer(models.TextChoices):
        NONE = "", _("No officer role")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice-chair", _("Vice-Chair")
        TREASURER = "treasurer", _("Treasurer")
        EXECUTIVE = "executive", _("Executive member")

    seat = models.ForeignKey(
        BoardSeat, on_delete=models.PROTECT, related_name="directorships", verbose_name=_("seat")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="directorships", verbose_name=_("director")
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    origin = models.CharField(
        _("how the seat was filled"), max_length=20, choices=Origin.choices, default=Origin.ELECTION
    )
    election = models.ForeignKey(
        "governance.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directorships",
        verbose_name=_("election"),
    )
    officer = models.CharField(
        _("officer role"), max_length=20, choices=Officer.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["seat__position", "-starts_on"]
        verbose_name = _("directorship")
        verbose_name_plural = _("directorships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="directorship_dates_in_order",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.seat}"
