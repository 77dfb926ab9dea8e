from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """A page of site content the secretariat writes and translates in the admin.

    The text is plain: paragraphs separated by blank lines, in ordered sections with
    a heading each. Nothing a member of staff types is rendered as HTML.
    """

    class Placement(models.TextChoices):
        HOME = "home", _("Home page: who INPUD is")
        ABOUT = "about", _("About section")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_(
            "The page's address: /about/ and this slug, e.g. /about/vancouver-declaration/."
        ),
    )
    placement = models.CharField(
        _("placement"), max_length=10, choices=Placement.choices, default=Placement.ABOUT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences, shown under the title, in lists and in link previews."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["placement", "position", "pk"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            # The home page shows one text; a second one would be ambiguous.
            models.UniqueConstraint(
                fields=["placement"],
                condition=models.Q(placement="home"),
                name="one_home_page",
                violation_error_message=_("There is already a home page text."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.placement == self.Placement.HOME:
            return reverse("home")
        return reverse("pages:about_page", kwargs={"slug": self.slug})


class Section(models.Model):
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="sections", verbose_name=_("page")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Plain text: leave a blank line between paragraphs.")
    )

    class Meta:
        ordering = ["page", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.heading or f"{self.page} §{self.position}"
