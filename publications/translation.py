from modeltranslation.translator import TranslationOptions, register

from .models import Audience, Mailing, Publication, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)


@register(Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)


@register(Mailing)
class MailingTranslation(TranslationOptions):
    fields = ("subject", "body_text", "body_html")
