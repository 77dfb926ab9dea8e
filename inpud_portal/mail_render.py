"""The one renderer: subject, text and HTML of an email in one language.

Templates come in threes: `<prefix>.subject.txt`, `<prefix>.txt` and `<prefix>.html`,
each rendered with the recipient's language active, so the site chrome (footer,
links) is in that language too.
"""

import logging

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

# Images load from wherever their address points, which tells that server who read
# the message and when: no remote image, no tracking pixel, in any email.
_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"}


def clean_html(html: str) -> SafeString:
    """HTML written by the secretariat, safe to put in anyone's inbox: no script,
    style, event handler, form, image or javascript: link survives."""
    cleaned = nh3.clean(
        html or "",
        tags=_TAGS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it


def known_language(language: str | None) -> str:
    """The language itself when the portal ships it, English otherwise."""
    if language in dict(settings.LANGUAGES):
        return language
    if language:
        logger.warning("unknown preferred language %r, sending in English", language)
    return settings.LANGUAGE_CODE


def language_for(email: str) -> str:
    """The preferred language of whoever owns this address, English when unknown."""
    from members.models import Person

    language = (
        Person.objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
        or Person.objects.filter(user__email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return known_language(language)


def person_address(person) -> str:
    """Where a person is written to: their login's address, else their own."""
    return (person.user.email if person.user_id else person.email) or ""


def render_email(
    *,
    template_prefix: str,
    to: str,
    language: str,
    context: dict,
    headers: dict | None = None,
    subject: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMultiAlternatives:
    with translation.override(language):
        if subject is None:
            subject = render_to_string(f"{template_prefix}.subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}.txt", context)
        html = render_to_string(f"{template_prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=text,
        to=[to],
        headers={"Content-Language": language, **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message


def stored_message(row) -> EmailMultiAlternatives:
    """A row that carries its own body (rendered when it was queued)."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        to=[row.to_email],
        headers={"Content-Language": row.language},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message
