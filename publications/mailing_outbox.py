"""How the one sender renders a mailing's outbox row, and what it reports back:
a refused address is suppressed, a delivered one has its soft bounces reset, and a
mailing with nothing left to send is marked sent."""

from inpud_portal.outbox import KindHandler, NotMailable

from .mail_messages import mailing_message
from .models import Mailing, Subscriber


def prepare(rows):
    mailings = Mailing.objects.select_related("publication").in_bulk(
        {row.ref["mailing"] for row in rows}
    )
    subscribers = Subscriber.objects.in_bulk({row.ref["subscriber"] for row in rows})

    def render(row):
        mailing = mailings.get(row.ref["mailing"])
        subscriber = subscribers.get(row.ref["subscriber"])
        if mailing is None or subscriber is None:
            raise NotMailable("the mailing or the subscriber was deleted")
        if not subscriber.can_be_mailed:
            raise NotMailable("not mailable (unsubscribed, unconfirmed or suppressed)")
        # The row's language is the content's, fixed at fan-out; the chrome around it
        # follows the subscriber's own language (mailing_message).
        return mailing_message(mailing=mailing, subscriber=subscriber)

    return render


def refused(row) -> None:
    from .services.subscribers import subscriber_record_bounce

    subscriber_record_bounce(email=row.to_email, kind="hard")


def delivered(rows) -> None:
    # Soft bounces count "in a row": a message that went through resets them.
    Subscriber.objects.filter(
        pk__in=[row.ref["subscriber"] for row in rows], soft_bounces__gt=0
    ).update(soft_bounces=0)


def settled(groups) -> None:
    from .services.mailing import mailings_settle

    mailings_settle(groups)


HANDLER = KindHandler(prepare=prepare, refused=refused, delivered=delivered, settled=settled)
