from modeltranslation.translator import TranslationOptions, register

from .models import Forum


@register(Forum)
class ForumTranslation(TranslationOptions):
    fields = ("name",)
