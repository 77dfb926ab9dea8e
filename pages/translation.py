from modeltranslation.translator import TranslationOptions, register

from .models import Page, Section


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("heading", "body")
