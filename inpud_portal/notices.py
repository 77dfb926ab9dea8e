"""Outbox rows for the portal's own emails (notices, invitations, account mail).

Two shapes of row:

- a *templated* row names its template and the ids it renders from; the app that
  owns the kind registers how to turn those ids into the template's context
  (``templated_kind``), and the one sender renders it in the recipient's language
  when it sends it, so nothing but ids is stored;
- a *stored* row carries a body rendered when it was queued, for mail that cannot
  be rendered again from ids (allauth's one-time keys, a mailing's test send);
  the sender empties the body once the message is handed over.
"""

from collections.abc import Callable

from django.core.mail import EmailMessage
from django.utils import translation

from .mail_render import known_language, person_address, render_email
from .models import OutboxMessage
from .outbox import KindHandler

# Given the claimed rows of a kind, return a function that gives one row's
# template context (raising outbox.NotMailable when it can no longer be sent).
# Called with the row's language active, so links point at that language's pages.
# An "attachments" entry, a list of (filename, bytes, mimetype), is attached.
ContextBuilder = Callable[[list[OutboxMessage]], Callable[[OutboxMessage], dict]]


def templated_kind(context: ContextBuilder) -> KindHandler:
    def prepare(rows):
        context_for = context(rows)

        def render(row: OutboxMessage):
            with translation.override(row.language):
                values = context_for(row)
            attachments = values.pop("attachments", None)
            return render_email(
                template_prefix=row.template,
                to=row.to_email,
                language=row.language,
                context=values,
                attachments=attachments,
            )

        return render

    return KindHandler(prepare=prepare)


def person_notice(
    *,
    person,
    kind: str,
    template: str,
    ref: dict,
    dedupe_key: str | None = None,
    group: str = "",
    priority: int = OutboxMessage.Priority.NOTICE,
) -> OutboxMessage | None:
    """An unsaved row for a notice to a person, in their language; None when the
    person has no address to write to."""
    address = person_address(person)
    if not address:
        return None
    return OutboxMessage(
        kind=kind,
        priority=priority,
        to_email=address,
        language=known_language(person.preferred_language),
        template=template,
        ref={"person": person.pk, **ref},
        dedupe_key=dedupe_key,
        group=group,
    )


def stored_row(
    message: EmailMessage,
    *,
    kind: str,
    template: str,
    language: str,
    priority: int = OutboxMessage.Priority.ACCOUNT,
    ref: dict | None = None,
) -> OutboxMessage:
    """An unsaved row that carries a rendered message's body."""
    html = ""
    text = message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    if message.content_subtype == "html":
        html, text = message.body, ""
    [to] = message.to
    return OutboxMessage(
        kind=kind,
        priority=priority,
        to_email=to,
        language=known_language(language),
        template=template,
        ref={**(ref or {}), "stored": True},
        subject=" ".join(str(message.subject).splitlines()),
        body_text=text,
        body_html=html,
    )
