"""Meetings of the Board, the Executive and the membership; motions and minutes."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import Person


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("Board Meeting")
        GENERAL = "general", _("General Meeting")
        EXECUTIVE = "executive", _("Executive meeting")
        EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    conference = models.CharField(
        _("linked conference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the International Harm Reduction Conference held alongside."),
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    is_public = models.BooleanField(
        _("listed publicly"), default=True, help_text=_("Shown on the public meetings page.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    # The newest paper the invitees have been told about (one digest for a batch of
    # uploads: governance/services/meeting_notices.py).
    papers_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The sitemap's lastmod for the meeting's page.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        # Named with its meeting: an agenda item's title alone ("Election rules")
        # does not say which meeting's agenda it is on.
        day = timezone.localtime(self.meeting.starts_at).date().isoformat()
        return f"{self.meeting.title} {day} · {self.position}. {self.title}"


def _paper_path(instance, filename: str) -> str:
    # A server-chosen name: the uploader's file name is kept only as a label.
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"papers/{secrets.token_hex(16)}.{extension}"


class Paper(models.Model):
    """A paper attached to an agenda item; only the meeting's invitees can open it."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="papers", verbose_name=_("agenda item")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_paper_path)
    added_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """<meeting-date>-<meeting-slug>-<nn>-<paper-slug>.<ext>: a downloaded paper
        says which meeting and agenda item it belongs to, and sorts with its peers."""
        item = self.agenda_item
        meeting = item.meeting
        extension = self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else "bin"
        parts = [
            f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}",
            slugify(meeting.title) or "meeting",
            f"{item.position:02d}",
            slugify(self.title) or "paper",
        ]
        return "-".join(parts) + f".{extension}"


class Invitation(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Will attend")
        REMOTE = "remote", _("Will attend online")
        NO = "no", _("Cannot attend")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("invitee")
    )
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="one_invitation_per_person",
                violation_error_message=_("This person is already invited."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Present online")
        APOLOGIES = "apologies", _("Apologies")
        PROXY = "proxy", _("Represented by proxy")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    proxy = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proxy holder"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person"),
            models.CheckConstraint(
                condition=(models.Q(status="proxy") & models.Q(proxy__isnull=False))
                | (~models.Q(status="proxy") & models.Q(proxy__isnull=True)),
                name="proxy_holder_only_for_proxies",
                violation_error_message=_("A proxy holder is needed for, and only for, a proxy."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"

    @property
    def counts_for_quorum(self) -> bool:
        return self.status != self.Status.APOLOGIES


class Minutes(models.Model):
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    approved_revision = models.OneToOneField(
        "governance.MinutesRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved revision"),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})


class MinutesRevision(models.Model):
    """One version of the minutes. Revisions are only ever added; approval cites
    one by its SHA-256, so approved minutes cannot change silently."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("minutes")
    )
    number = models.PositiveIntegerField(_("revision"))
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} r{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A minutes revision cannot be changed; write a new one.")
        self.sha256 = self.digest(self.text)
        super().save(*args, **kwargs)

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Motion(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Motion")
        WORK_PLAN = "work-plan", _("Approval of the annual work plan")
        MINUTES = "minutes", _("Approval of minutes")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VOTING = "voting", _("Being voted on")
        CARRIED = "carried", _("Carried")
        DEFEATED = "defeated", _("Defeated")
        NO_QUORUM = "no-quorum", _("Not decided: no quorum")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="motions", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    text = models.TextField(_("text"))
    proposer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    seconder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seconded by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    recorded = models.BooleanField(
        _("recorded vote"), default=False, help_text=_("Each person's vote is minuted.")
    )
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)
    attendance_snapshot = models.JSONField(
        _("attendance when the vote opened"), null=True, blank=True
    )
    quorum_required = models.PositiveIntegerField(_("quorum required"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True)
    minutes_revision = models.ForeignKey(
        MinutesRevision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_motions",
        verbose_name=_("minutes revision to approve"),
    )
    minutes_sha256 = models.CharField(_("SHA-256 of the approved text"), max_length=64, blank=True)
    work_plan = models.ForeignKey(
        "governance.WorkPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_motions",
        verbose_name=_("work plan to approve"),
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="minutes") | models.Q(minutes_revision__isnull=False),
                name="minutes_motion_cites_revision",
                violation_error_message=_("A motion to approve minutes must cite the revision."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="work-plan") | models.Q(work_plan__isnull=False),
                name="work_plan_motion_cites_plan",
                violation_error_message=_("A motion to approve a work plan must cite the plan."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class MotionVote(models.Model):
    """A recorded vote: who voted how on a Board Meeting motion."""

    class Vote(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="recorded_votes", verbose_name=_("motion")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)

    class Meta:
        verbose_name = _("recorded vote")
        verbose_name_plural = _("recorded votes")
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "person"],
                name="one_recorded_vote_per_person",
                violation_error_message=_("This person has already voted on this motion."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_vote_display()}"


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private address for a person's meeting calendar; calendar apps cannot log
    in, so the unguessable token is the key. Regenerating it revokes the old one."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_feed_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)
