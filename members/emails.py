"""Email rendered in the recipient's language.

Templates come in threes: `<prefix>.subject.txt`, `<prefix>.txt` and `<prefix>.html`.
"""

import logging

from django.conf import settings

from inpud_portal.mail_render import render_email

logger = logging.getLogger(__name__)


def language_for(email: str) -> str:
    """The preferred language of whoever owns this address, English when unknown."""
    from .models import Person

    language = (
        Person.objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
        or Person.objects.filter(user__email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    if language not in dict(settings.LANGUAGES):
        if language:
            logger.warning("unknown preferred language %r, sending in English", language)
        return settings.LANGUAGE_CODE
    return language


def send_templated(*, template_prefix: str, to: str, language: str, context: dict) -> None:
    render_email(template_prefix=template_prefix, to=to, language=language, context=context).send()
