from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from inpud_portal.names import validate_name
from inpud_portal.stored_images import stored_name


class Visibility(models.TextChoices):
    """Who may see a record. Anything but PUBLIC never reaches a public page."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the network only")
    SECRETARIAT = "secretariat", _("Secretariat only")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. Who the person is lives on Person; the login is only an email."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.email


class Region(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A member network of INPUD: one per region, plus global constituency networks."""

    class Status(models.TextChoices):
        FULL = "full", _("Full member")
        PROVISIONAL = "provisional", _("Provisional member")
        SUSPENDED = "suspended", _("Membership suspended")
        FORMER = "former", _("Former member")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # One network per region; a global network (INWUD) has none.
    region = models.OneToOneField(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network",
    )
    status = models.CharField(
        _("membership status"), max_length=20, choices=Status.choices, default=Status.FULL
    )
    member_since = models.PositiveSmallIntegerField(
        _("member since (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2006), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The sitemap's lastmod for the network's page.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["position", "acronym"]
        verbose_name = _("member network")
        verbose_name_plural = _("member networks")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("members:network_detail", kwargs={"slug": self.slug})


class FormerName(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    used_from = models.PositiveSmallIntegerField(
        _("used from (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1980), MaxValueValidator(2100)],
    )
    used_until = models.PositiveSmallIntegerField(
        _("used until (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1980), MaxValueValidator(2100)],
    )

    class Meta:
        ordering = ["used_until", "name"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_from__isnull=True)
                | models.Q(used_until__isnull=True)
                | models.Q(used_from__lte=models.F("used_until")),
                name="former_name_years_in_order",
                violation_error_message=_("The first year cannot be after the last year."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Endorsement(models.Model):
    """A network's endorsement of one of the founding documents of INPUD."""

    class Document(models.TextChoices):
        VANCOUVER_DECLARATION = "vancouver-declaration", _("Vancouver Declaration")
        CONSENSUS_STATEMENT = (
            "consensus-statement",
            _("Consensus Statement on Drug Use under Prohibition"),
        )

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("network")
    )
    document = models.CharField(_("document"), max_length=40, choices=Document.choices)
    endorsed_on = models.DateField(_("endorsed on"))
    endorsed_by = models.CharField(
        _("endorsed by"),
        max_length=200,
        help_text=_("Who endorsed it on the network's side, e.g. its steering committee."),
    )

    class Meta:
        ordering = ["document"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "document"],
                name="one_endorsement_per_document",
                violation_error_message=_("This network already endorsed this document."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} – {self.get_document_display()}"


class Activity(models.Model):
    """Something a group does: advocacy, peer outreach, naloxone distribution..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.name


class Need(models.Model):
    """Something a group needs: funding, governance training, legal support..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A national or local drug-user-led group in the directory of a member network."""

    class Kind(models.TextChoices):
        NATIONAL_NETWORK = "national-network", _("National network")
        LOCAL_GROUP = "local-group", _("Local group")
        COMMUNITY_ORGANISATION = "community-organisation", _("Community organisation")
        WOMEN_GROUP = "women-group", _("Women's group")
        YOUTH_GROUP = "youth-group", _("Youth group")

    class LegalStatus(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        UNREGISTERED = "unregistered", _("Not registered")

    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("member network"),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    legal_status = models.CharField(_("legal status"), max_length=20, choices=LegalStatus.choices)
    founded_year = models.PositiveSmallIntegerField(
        _("founded (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1970), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True)
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="organisations", verbose_name=_("what they do")
    )
    needs = models.ManyToManyField(
        Need, blank=True, related_name="organisations", verbose_name=_("what they need")
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            (
                "view_private_directory",
                _("Can see every organisation and person, whatever their visibility"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="organisation_visibility_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the network. The display name may be a pseudonym: it is the only
    name ever shown publicly; the legal name stays with the secretariat."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("Shown instead of the legal name; may be a pseudonym."),
        validators=[validate_name],
    )
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("Only the secretariat sees this."),
        validators=[validate_name],
    )
    email = models.EmailField(_("email address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Every email the portal sends this person is in this language."),
    )
    bio = models.TextField(_("short biography"), blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="people/",
        blank=True,
        help_text=_("Optional; shown on the public board page when the profile is public."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_email_unique_ci",
                violation_error_message=_("Another person already has this email address."),
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="person_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def photo_url(self) -> str:
        if not self.photo:
            return ""
        return reverse("person_photo", kwargs={"pk": self.pk, "name": stored_name(self.photo)})


class Role(models.Model):
    """What a person does in the network, and for how long."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat staff")
        DIRECTOR = "director", _("Board director")
        NETWORK_STAFF = "network-staff", _("Network staff")
        VOTING_DELEGATE = "voting-delegate", _("Voting delegate")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person")
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("member network"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("organisation"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "starts_on"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            # Secretariat roles belong to INPUD itself; directors and network staff to
            # a network; a voting delegate represents one organisation.
            models.CheckConstraint(
                condition=(
                    models.Q(kind="secretariat", network__isnull=True, organisation__isnull=True)
                    | models.Q(
                        kind__in=["director", "network-staff"],
                        network__isnull=False,
                        organisation__isnull=True,
                    )
                    | models.Q(
                        kind="voting-delegate", network__isnull=True, organisation__isnull=False
                    )
                ),
                name="role_scope_matches_kind",
                violation_error_message=_(
                    "Secretariat roles have no network or organisation; directors and "
                    "network staff need a network; voting delegates need an organisation."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_dates_in_order",
                violation_error_message=_("A role cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.network or self.organisation
        label = self.get_kind_display()
        return f"{label} ({scope})" if scope else str(label)

    @property
    def scope_network(self) -> Network | None:
        """The network this role gives access to."""
        if self.organisation_id:
            return self.organisation.network
        return self.network


# The partner and skills register ---------------------------------------------------


class Expertise(models.Model):
    """An area of expertise on the secretariat's controlled list (e.g. Global Fund
    processes, drug checking): what the skills audit records and requests ask for."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation the network works with, with the visibility its record needs."""

    class Kind(models.TextChoices):
        UN_AGENCY = "un-agency", _("UN agency")
        INGO = "ingo", _("International NGO")
        DONOR = "donor", _("Donor")
        ACADEMIC = "academic", _("Academic or research institution")
        ALLIED_NETWORK = "allied-network", _("Allied network")
        DRUG_USER_GROUP = "drug-user-group", _("Drug-user-led group")
        OTHER = "other", _("Other")

    class Relationship(models.TextChoices):
        FUNDER = "funder", _("Funder")
        CO_PUBLISHER = "co-publisher", _("Co-publisher")
        TECHNICAL = "technical", _("Technical partner")
        ALLY = "ally", _("Ally")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    relationships = models.JSONField(
        _("relationship"), default=list, blank=True, help_text=_("Funder, co-publisher, …")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="partners", verbose_name=_("regions")
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    focus_areas = models.ManyToManyField(
        Expertise, blank=True, related_name="partners", verbose_name=_("focus areas")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entry in the directory"),
        help_text=_("For a drug-user-led group that is already in the directory."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def relationship_labels(self) -> list[str]:
        labels = dict(self.Relationship.choices)
        return [str(labels[r]) for r in self.relationships if r in labels]


class SkillsRecord(models.Model):
    """What a person, organisation or partner can offer peers: the skills audit.
    Each record has its own visibility, separate from its owner's profile."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LIMITED = "limited", _("Limited availability")
        UNAVAILABLE = "unavailable", _("Not available at the moment")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="skills"
    )
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="skills"
    )
    partner = models.OneToOneField(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="skills"
    )
    expertise = models.ManyToManyField(
        Expertise, related_name="records", verbose_name=_("areas of expertise")
    )
    # Codes between spaces (" en fr "): a language filter is one LIKE on any database.
    languages = models.CharField(_("working languages"), max_length=300, blank=True)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="skills_records", verbose_name=_("regions")
    )
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("skills record")
        verbose_name_plural = _("skills records")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, organisation__isnull=True, partner__isnull=True)
                    | models.Q(
                        person__isnull=True, organisation__isnull=False, partner__isnull=True
                    )
                    | models.Q(
                        person__isnull=True, organisation__isnull=True, partner__isnull=False
                    )
                ),
                name="skills_record_has_one_owner",
                violation_error_message=_(
                    "A skills record belongs to one person, organisation or partner."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.owner)

    @property
    def owner(self):
        return self.person or self.organisation or self.partner

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()
