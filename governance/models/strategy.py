from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

YEAR = [MinValueValidator(2006), MaxValueValidator(2100)]


class StrategicPlan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__lte=models.F("end_year")),
                name="plan_years_in_order",
                violation_error_message=_("The first year cannot be after the last year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"


class StrategicObjective(models.Model):
    class Kind(models.TextChoices):
        DIRECTION = "direction", _("Strategic direction")
        OBJECTIVE = "objective", _("Strategic objective")

    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OBJECTIVE)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_objective_number_per_plan")
        ]

    def __str__(self) -> str:
        # Every plan numbers its objectives from 1: the plan's years say which one.
        years = f"{self.plan.start_year}–{self.plan.end_year}"
        return f"{years} · {ABBREVIATIONS[self.kind]}{self.number} {self.title}"


ABBREVIATIONS = {
    StrategicObjective.Kind.DIRECTION: pgettext_lazy("strategic direction, abbreviated", "SD"),
    StrategicObjective.Kind.OBJECTIVE: pgettext_lazy("strategic objective, abbreviated", "SO"),
}


class KPI(models.Model):
    objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.CASCADE,
        related_name="kpis",
        verbose_name=_("objective"),
    )
    title = models.CharField(_("indicator"), max_length=300)
    target = models.CharField(_("target"), max_length=200, blank=True)

    class Meta:
        ordering = ["objective", "pk"]
        verbose_name = _("key performance indicator")
        verbose_name_plural = _("key performance indicators")

    def __str__(self) -> str:
        return self.title


class KPIValue(models.Model):
    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        ordering = ["kpi", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year"], name="one_kpi_value_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class WorkPlan(models.Model):
    """The annual work plan that implements the strategic plan; a Board Meeting
    motion approves it (approved_by)."""

    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.PROTECT,
        related_name="work_plans",
        verbose_name=_("strategic plan"),
    )
    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR)
    approved_by = models.OneToOneField(
        "governance.Motion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("approved by motion"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return str(_("Work plan %(year)s") % {"year": self.year})


class WorkPlanActivity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in-progress", _("In progress")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        DROPPED = "dropped", _("Dropped")

    work_plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("work plan")
    )
    objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("objective"),
    )
    title = models.CharField(_("activity"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["work_plan", "position", "pk"]
        verbose_name = _("work plan activity")
        verbose_name_plural = _("work plan activities")

    def __str__(self) -> str:
        return self.title
