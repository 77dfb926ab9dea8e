from modeltranslation.translator import TranslationOptions, register

from .models import Consultation, Question


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "purpose", "summary")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "options")
