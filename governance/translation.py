from modeltranslation.translator import TranslationOptions, register

from .models import Candidate, Election


@register(Election)
class ElectionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Candidate)
class CandidateTranslation(TranslationOptions):
    fields = ("statement",)
