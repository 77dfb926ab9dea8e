from django.conf import settings
from modeltranslation.utils import build_localized_fieldname


def in_every_language(*fields: str) -> list[str]:
    """Search fields for every translation of each translated field: a search by
    someone using the admin in French must still find text that exists only in English."""
    return [
        build_localized_fieldname(field, language)
        for field in fields
        for language, _name in settings.LANGUAGES
    ]
