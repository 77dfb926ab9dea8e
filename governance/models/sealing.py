"""The sealed ballot box and its trustees.

While voting is open a ballot exists only as a SealedBallot: libsodium sealed box
to the election's public key, padded to one size. The private key was split among
the trustees when voting opened and is nowhere on the server; at the count, enough
trustees give their keys and the box is opened (governance.services.sealing).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Person

from .elections import Election


class ElectionTrustee(models.Model):
    """A person the secretariat trusts with a share of an election's key.

    The trustee's own key pair is made when they collect it in the member area: the
    portal keeps the public half only. Their share of the election key is stored
    sealed to that public key, so only the trustee can read it."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="trustees", verbose_name=_("election")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("trustee")
    )
    public_key = models.BinaryField(max_length=32, null=True, editable=False)
    key_collected_at = models.DateTimeField(
        _("trustee key collected"), null=True, blank=True, editable=False
    )
    sealed_share = models.BinaryField(null=True, editable=False)
    # Shares of the trustees who have already opened, sealed to this trustee: the
    # next one to come completes the opening without the portal holding a share.
    handed_over = models.JSONField(default=list, editable=False)
    share_entered_at = models.DateTimeField(
        _("key entered at the count"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("trustee")
        verbose_name_plural = _("trustees")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"], name="one_trusteeship_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.person.display_name


class SealedBallot(models.Model):
    """A ballot and its receipt code, sealed: a random id, the election, the box."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(
        Election,
        on_delete=models.PROTECT,
        related_name="sealed_ballots",
        verbose_name=_("election"),
    )
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("Sealed ballot"))
