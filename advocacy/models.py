"""Advocacy engagements in forums and governing bodies (issue 14, point 3).

The list of forums is managed by the secretariat. An engagement names who
represented the network; a secretariat-only engagement exists because naming the
representative can put them at risk.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Person, Region, Visibility


class Forum(models.Model):
    """A policy, advisory or governance body: UNAIDS PCB, CND, a Global Fund CCM…"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum or body")
        verbose_name_plural = _("forums and bodies")

    def __str__(self) -> str:
        return self.acronym or self.name


class Engagement(models.Model):
    class Level(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("forum or body")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("region"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    representatives = models.ManyToManyField(
        Person, blank=True, related_name="engagements", verbose_name=_("representatives")
    )
    # A model relation only: advocacy does not import governance code.
    objective = models.ForeignKey(
        "governance.StrategicObjective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("strategic objective"),
    )
    asks = models.TextField(_("asks"))
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    support_received = models.TextField(_("support received"), blank=True)
    support_needed = models.TextField(_("support that was needed"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    recorded_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    outcome_reminder_sent_at = models.DateTimeField(
        _("outcome reminder sent"), null=True, blank=True
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")),
                name="engagement_ends_after_it_starts",
                violation_error_message=_("An engagement cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum} {self.starts_on:%Y-%m-%d}"

    @property
    def names_representatives(self) -> bool:
        return self.visibility != Visibility.SECRETARIAT


class EngagementDocument(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("engagement")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="advocacy/", blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
