"""The partner and skills register: who the network works with, and who can offer
peers what. Records are shown by their own visibility: public ones to everyone,
members-only ones to people who hold a current role, and secretariat-only ones to
the secretariat; the searchable register is for directors and the secretariat."""

from django.conf import global_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Partner, Person, Role, SkillsRecord, Visibility
from .visibility import active_roles, is_secretariat

# Any language people work in, named in the reader's language by Django's own catalogue
# (global_settings marks the names for translation without translating them).
WORKING_LANGUAGES = [(code, gettext_lazy(name)) for code, name in global_settings.LANGUAGES]
_CODES = {code for code, _name in WORKING_LANGUAGES}


def _levels(user) -> list[str]:
    if is_secretariat(user):
        return list(Visibility.values)
    if active_roles(user).exists():
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def partners_visible_to(user) -> QuerySet[Partner]:
    return Partner.objects.filter(visibility__in=_levels(user))


def partners_public() -> QuerySet[Partner]:
    return Partner.objects.filter(visibility=Visibility.PUBLIC)


def skills_visible_to(user) -> QuerySet[SkillsRecord]:
    """A record shows when both it and its owner's own record may be seen: a public
    skills record of a members-only person never names them to the public."""
    levels = _levels(user)
    return SkillsRecord.objects.filter(visibility__in=levels).filter(
        Q(person__visibility__in=levels)
        | Q(organisation__visibility__in=levels)
        | Q(partner__visibility__in=levels)
    )


def can_use_register(user) -> bool:
    return is_secretariat(user) or active_roles(user).filter(kind=Role.Kind.DIRECTOR).exists()


def register_search(
    *, user, expertise=None, language: str = "", region=None, kind: str = ""
) -> tuple[list[Partner], list[SkillsRecord]]:
    if not can_use_register(user):
        raise PermissionDenied
    partners = partners_visible_to(user)
    records = skills_visible_to(user)
    if expertise is not None:
        partners = partners.filter(Q(focus_areas=expertise) | Q(skills__expertise=expertise))
        records = records.filter(expertise=expertise)
    if language:
        partners = partners.filter(skills__languages__contains=f" {language} ")
        records = records.filter(languages__contains=f" {language} ")
    if region is not None:
        partners = partners.filter(regions=region)
        records = records.filter(regions=region)
    if kind:
        partners = partners.filter(kind=kind)
        records = records.filter(partner__kind=kind)
    partners = partners.distinct().prefetch_related("regions", "focus_areas")
    records = (
        records.distinct()
        .select_related("person", "organisation", "partner")
        .prefetch_related("expertise", "regions")
        .order_by("pk")
    )
    return list(partners), list(records)


@transaction.atomic
def skills_save_own(
    *, user, expertise, languages, regions, availability: str, note: str, visibility: str
) -> SkillsRecord:
    """A person's own skills record, edited in the member area."""
    try:
        person = user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc
    unknown = [code for code in languages if code not in _CODES]
    if unknown:
        raise ValidationError(_("Unknown language: %(codes)s") % {"codes": ", ".join(unknown)})
    if not expertise:
        raise ValidationError(_("Choose at least one area of expertise."))
    if visibility == Visibility.PUBLIC and person.visibility != Visibility.PUBLIC:
        raise ValidationError(
            _(
                "Your profile is not public, so your skills cannot be public either: "
                "choose members only or the secretariat only."
            )
        )
    record, _created = SkillsRecord.objects.get_or_create(person=person)
    record.languages = f" {' '.join(sorted(set(languages)))} "
    record.availability = availability
    record.note = note
    record.visibility = visibility
    record.save()
    record.expertise.set(expertise)
    record.regions.set(regions)
    return record
