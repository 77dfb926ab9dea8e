"""Email rendered in the recipient's language.

Templates come in threes: `<prefix>.subject.txt`, `<prefix>.txt` and `<prefix>.html`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

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
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}.subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}.txt", context)
        html = render_to_string(f"{template_prefix}.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.splitlines()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
