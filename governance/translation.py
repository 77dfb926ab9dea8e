from modeltranslation.translator import TranslationOptions, register

from .models import (
    KPI,
    AgendaItem,
    Candidate,
    Election,
    Meeting,
    Motion,
    StrategicObjective,
    StrategicPlan,
    WorkPlanActivity,
)


@register(Election)
class ElectionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Candidate)
class CandidateTranslation(TranslationOptions):
    fields = ("statement",)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "public_summary")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Motion)
class MotionTranslation(TranslationOptions):
    fields = ("text",)


@register(StrategicPlan)
class StrategicPlanTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(StrategicObjective)
class StrategicObjectiveTranslation(TranslationOptions):
    fields = ("title", "description")


@register(KPI)
class KPITranslation(TranslationOptions):
    fields = ("title",)


@register(WorkPlanActivity)
class WorkPlanActivityTranslation(TranslationOptions):
    fields = ("title",)
