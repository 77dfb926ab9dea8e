from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Expertise, Need, Network, Organisation, Partner, Person, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("name",)


@register(Need)
class NeedTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("bio",)


@register(Expertise)
class ExpertiseTranslation(TranslationOptions):
    fields = ("name",)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "description")
