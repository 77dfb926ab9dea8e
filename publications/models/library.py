import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inpud_portal.stored_images import stored_name
from members.models import Network


class Theme(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation INPUD publishes with: a UN agency, a foundation, an NGO."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    record = models.ForeignKey(
        "members.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publishing_names",
        verbose_name=_("record in the partner register"),
        help_text=_("Links the co-publisher to its entry on the public partners page."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        POSITION_PAPER = "position-paper", _("Position paper")
        STATEMENT = "statement", _("Statement")
        TECHNICAL_BRIEF = "technical-brief", _("Technical brief")
        ADVOCACY_BRIEF = "advocacy-brief", _("Advocacy brief")
        TOOLKIT = "toolkit", _("Toolkit or training manual")
        MONITORING_TOOL = "monitoring-tool", _("Community monitoring tool")
        CONSENSUS_STATEMENT = "consensus-statement", _("Consensus statement")
        STRATEGIC_PLAN = "strategic-plan", _("Strategic plan")
        ANNUAL_REPORT = "annual-report", _("Annual report")
        FILM = "film", _("Film")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
        CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
        RESERVED = "all-rights-reserved", _("All rights reserved")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    authors = models.CharField(
        _("authors"),
        max_length=300,
        default="International Network of People who Use Drugs",
        help_text=_("As they should be cited; separate several with semicolons."),
    )
    published_on = models.DateField(_("publication date"))
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="publications", verbose_name=_("themes")
    )
    objective = models.ForeignKey(
        "governance.StrategicObjective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("strategic direction or objective"),
    )
    co_publishing_networks = models.ManyToManyField(
        Network, blank=True, related_name="publications", verbose_name=_("co-publishing networks")
    )
    co_publishing_partners = models.ManyToManyField(
        Partner, blank=True, related_name="publications", verbose_name=_("co-publishing partners")
    )
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_NC
    )
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    doi = models.CharField(_("DOI"), max_length=100, blank=True)
    cover = models.ImageField(_("cover image"), upload_to="covers/", blank=True)
    featured = models.BooleanField(_("featured"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    endorsed = models.BooleanField(
        _("endorsed external resource"),
        default=False,
        help_text=_("Published by others and endorsed by INPUD: a link, not a file."),
    )
    external_url = models.URLField(_("external link"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Full-text search vectors, one per language, kept by save() on PostgreSQL (see
    # publications.search_index). Stored, so ranking reads them instead of parsing
    # every matching text again on each search.
    search_en = SearchVectorField(null=True, editable=False)
    search_fr = SearchVectorField(null=True, editable=False)
    search_es = SearchVectorField(null=True, editable=False)
    search_ru = SearchVectorField(null=True, editable=False)
    search_ar = SearchVectorField(null=True, editable=False)
    search_pt = SearchVectorField(null=True, editable=False)
    # Title and summary only: small enough to stay in the row, so ranking thousands
    # of matches does not read every long text back from TOAST storage.
    rank_en = SearchVectorField(null=True, editable=False)
    rank_fr = SearchVectorField(null=True, editable=False)
    rank_es = SearchVectorField(null=True, editable=False)
    rank_ru = SearchVectorField(null=True, editable=False)
    rank_ar = SearchVectorField(null=True, editable=False)
    rank_pt = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["status", "-published_on"], name="publication_listing")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(endorsed=False) | ~models.Q(external_url=""),
                name="endorsed_resource_has_link",
                violation_error_message=_("An endorsed external resource needs its link."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The search vectors mirror the text: refreshed with every save.
        from ..search_index import search_vectors_refresh

        search_vectors_refresh(Publication.objects.filter(pk=self.pk))

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def cover_url(self) -> str:
        if not self.cover:
            return ""
        return reverse(
            "publication_cover", kwargs={"slug": self.slug, "name": stored_name(self.cover)}
        )

    @property
    def author_names(self) -> list[str]:
        """The authors one by one, as citation formats and indexers want them."""
        return [name.strip() for name in self.authors.split(";") if name.strip()]


def _file_path(instance, filename: str) -> str:
    # The stored name is the server's: nothing the uploader chose reaches the disk.
    return f"publications/{secrets.token_hex(16)}.{instance.format}"


class PublicationFile(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        EPUB = "epub", "EPUB"
        DOCX = "docx", "DOCX"

    MEDIA_TYPES = {
        Format.PDF: "application/pdf",
        Format.EPUB: "application/epub+zip",
        Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="files", verbose_name=_("publication")
    )
    language = models.CharField(
        _("language"),
        max_length=35,
        help_text=_("BCP 47 tag, e.g. en, fr, es, ru, ar, pt, uk, id."),
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, editable=False)
    file = models.FileField(_("file"), upload_to=_file_path)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["publication", "language", "format"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "language", "format"],
                name="one_file_per_language_and_format",
                violation_error_message=_(
                    "This publication already has a file in this language and format."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} [{self.language}] {self.format}"

    def get_absolute_url(self) -> str:
        # Stable: the address names the publication, language and format, not the stored file.
        return reverse(
            "publications:file",
            kwargs={
                "slug": self.publication.slug,
                "language": self.language,
                "format": self.format,
            },
        )

    @property
    def media_type(self) -> str:
        return self.MEDIA_TYPES[self.format]

    @property
    def page_language(self) -> str:
        """The shipped language whose pages offer this file as their own: "pt" for a
        "pt-BR" or "pt-PT" file."""
        return self.language.split("-")[0].lower()

    @property
    def language_name(self) -> str:
        from django.utils.translation import get_language_info

        try:
            return get_language_info(self.language)["name_local"]
        except KeyError:
            return self.language


class DownloadCount(models.Model):
    """Downloads per file per day: a number, nothing about who downloaded."""

    file = models.ForeignKey(
        PublicationFile, on_delete=models.CASCADE, related_name="download_counts"
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(fields=["file", "day"], name="one_count_per_file_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.file} {self.day}: {self.count}"


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
