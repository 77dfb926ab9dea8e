"""How the one sender renders subscription emails: a fresh manage link is rendered
from the subscriber's id when it is sent, so the link in it is signed at that moment
and its token is never stored. Rows that carry their own body are sent as stored."""

from inpud_portal.mail_render import stored_message
from inpud_portal.outbox import KindHandler, NotMailable

from .mail_messages import MANAGE_LINK_TEMPLATE, manage_link_message
from .models import Subscriber


def prepare(rows):
    subscribers = Subscriber.objects.in_bulk(
        {row.ref["subscriber"] for row in rows if row.template == MANAGE_LINK_TEMPLATE}
    )

    def render(row):
        if row.template != MANAGE_LINK_TEMPLATE:
            return stored_message(row)
        subscriber = subscribers.get(row.ref["subscriber"])
        if subscriber is None:
            raise NotMailable("the subscriber erased their data")
        if subscriber.status == Subscriber.Status.SUPPRESSED:
            raise NotMailable("the address bounced or complained")
        return manage_link_message(subscriber=subscriber, language=row.language)

    return render


HANDLER = KindHandler(prepare=prepare)
