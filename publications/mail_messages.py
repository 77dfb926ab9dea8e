"""Mailings rendered for one subscriber, in their language or in English."""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from inpud_portal.mail_render import clean_html, render_email

from .models import Mailing, Subscriber

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "publications.unsubscribe"
MANAGE_SALT = "publications.manage-subscription"


MANAGE_LINK_TEMPLATE = "publications/email/manage_link"


def subscriber_token(subscriber: Subscriber, *, salt: str) -> str:
    # signing.dumps stamps the time: the manage link's age is read from the token.
    return signing.dumps(subscriber.pk, salt=salt)


def manage_link_max_age() -> datetime.timedelta:
    """How long a manage link works: it downloads and erases the subscriber's data, so
    a link found in an old mailbox must not. Unsubscribe links never expire (RFC 8058):
    a years-old message must still stop the mail."""
    return datetime.timedelta(days=settings.SUBSCRIPTION_MANAGE_LINK_DAYS)


def subscriber_from_token(
    token: str, *, salt: str, max_age: datetime.timedelta | None = None
) -> Subscriber | None:
    """The subscriber a signed link names; None for a forged or broken link. A genuine
    link older than ``max_age`` raises ``signing.SignatureExpired``."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(pk=pk).first()


def mailing_languages(mailing: Mailing) -> list[str]:
    """The shipped languages the mailing is written in (a subject and a text)."""
    return [
        code
        for code, _name in settings.LANGUAGES
        if getattr(mailing, build_localized_fieldname("subject", code))
        and getattr(mailing, build_localized_fieldname("body_text", code))
    ]


def reader_language(preferred: str) -> str:
    """The subscriber's language when the portal speaks it, otherwise English."""
    return preferred if preferred in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def manage_link_expires_at(token: str) -> datetime.datetime:
    """When a (checked) manage link stops working: the time signed into it plus the
    allowed age."""
    # value:timestamp:signature, the timestamp in base 62 (signing.TimestampSigner).
    signed_at = signing.b62_decode(token.rsplit(":", 2)[1])
    return datetime.datetime.fromtimestamp(signed_at, datetime.UTC) + manage_link_max_age()


def subscriber_id_from_expired_token(token: str, *, salt: str) -> int | None:
    """Whom a genuine but expired link was sent to, to mail them a fresh one."""
    try:
        return signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None


def manage_link_message(*, subscriber: Subscriber, language: str) -> EmailMultiAlternatives:
    url = _absolute("publications:manage", subscriber_token(subscriber, salt=MANAGE_SALT), language)
    return render_email(
        template_prefix=MANAGE_LINK_TEMPLATE,
        to=subscriber.email,
        language=language,
        context={"url": url, "days": settings.SUBSCRIPTION_MANAGE_LINK_DAYS},
    )


def mailing_language(mailing: Mailing, preferred: str) -> str:
    """The subscriber's language if the mailing exists in it, otherwise English."""
    fields = ("subject", "body_text")
    if all(getattr(mailing, build_localized_fieldname(f, preferred)) for f in fields):
        return preferred
    if preferred != settings.LANGUAGE_CODE:
        logger.info("mailing %s has no %s version; sending it in English", mailing.pk, preferred)
    return settings.LANGUAGE_CODE


def _absolute(view: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(view, kwargs={"token": token})


def mailing_message(
    *, mailing: Mailing, subscriber: Subscriber, language: str | None = None, to: str | None = None
) -> EmailMultiAlternatives:
    """The mailing for one subscriber. The content is in their language, or in English
    when the mailing has no version in it; everything the portal writes around it
    (footer, unsubscribe and preferences links and the pages they open) is in the
    subscriber's language all the same, and English content is marked lang="en"."""
    language = reader_language(language or subscriber.preferred_language)
    content_language = mailing_language(mailing, language)
    unsubscribe = _absolute(
        "publications:unsubscribe", subscriber_token(subscriber, salt=UNSUBSCRIBE_SALT), language
    )
    manage = _absolute(
        "publications:manage", subscriber_token(subscriber, salt=MANAGE_SALT), language
    )

    def field(name: str) -> str:
        return getattr(mailing, build_localized_fieldname(name, content_language)) or ""

    publication_url = ""
    if mailing.publication_id:
        with translation.override(language):
            publication_url = settings.SITE_URL + mailing.publication.get_absolute_url()
    content_bidi = translation.get_language_info(content_language)["bidi"]
    context = {
        "content_language": content_language,
        "content_dir": "rtl" if content_bidi else "ltr",
        "subscriber": subscriber,
        "subject": field("subject"),
        "body_text": field("body_text"),
        # Written by the secretariat in the admin: sanitised before anyone gets it.
        "body_html": clean_html(field("body_html")),
        "publication_url": publication_url,
        "unsubscribe_url": unsubscribe,
        "manage_url": manage,
    }
    return render_email(
        template_prefix="publications/email/mailing",
        subject=context["subject"],
        to=to or subscriber.email,
        language=language,
        context=context,
        headers={
            # The language of the content; the chrome around it is the reader's.
            "Content-Language": content_language,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
