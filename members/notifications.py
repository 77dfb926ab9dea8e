"""Emails the members app sends to people, as outbox rows rendered in the
person's preferred language when they are sent."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import int_to_base36

from inpud_portal.models import OutboxMessage
from inpud_portal.notices import person_notice
from inpud_portal.outbox import NotMailable, outbox_add

from .models import Person

INVITATION = "members/email/invitation"
ACCOUNT_EXISTS = "members/email/account_exists"
SIGN_IN_WARNING = "members/email/sign_in_warning"


def invitation_add(*, person: Person) -> int:
    """Queue the invitation of a person who has an account; call it inside the
    transaction that invites them. An invitation still waiting to go out covers a
    second one asked for meanwhile."""
    waiting = OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.INVITATION,
        ref__person=person.pk,
        status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING],
    )
    if waiting.exists():
        return 0
    # Someone who has chosen a password is reminded how to log in instead: the
    # secretariat sees the same outcome, and no mail tells whether an address had
    # an account.
    template = ACCOUNT_EXISTS if person.user.has_usable_password() else INVITATION
    row = person_notice(
        person=person,
        kind=OutboxMessage.Kind.INVITATION,
        template=template,
        ref={},
        priority=OutboxMessage.Priority.ACCOUNT,
    )
    return outbox_add([row] if row else [])


def sign_in_warning_add(*, user_id: int, second_factor: bool) -> int:
    """Tell the owner of an account that sign-ins on it now wait (members.login_throttle)."""
    person = Person.objects.select_related("user").filter(user_id=user_id).first()
    if person is None:
        return 0
    row = person_notice(
        person=person,
        kind=OutboxMessage.Kind.ACCOUNT,
        template=SIGN_IN_WARNING,
        ref={"second_factor": second_factor},
        priority=OutboxMessage.Priority.ACCOUNT,
    )
    return outbox_add([row] if row else [])


def members_context(rows):
    people = Person.objects.select_related("user").in_bulk({row.ref["person"] for row in rows})

    def context(row):
        from .services import invitation_token

        person = people.get(row.ref["person"])
        if person is None or person.user is None:
            raise NotMailable("the person or their account was deleted")
        if row.template == INVITATION:
            user = person.user
            path = reverse(
                "invitation_accept",
                kwargs={"uidb36": int_to_base36(user.pk), "token": invitation_token(user=user)},
            )
            return {"person": person, "url": settings.SITE_URL + path}
        if row.template == ACCOUNT_EXISTS:
            return {"person": person, "url": settings.SITE_URL + reverse("account_reset_password")}
        # A wrong code after the right password means the password is known: the
        # link changes it. A wrong password only needs a reset if the owner wants one.
        second_factor = bool(row.ref.get("second_factor"))
        url = reverse("account_change_password" if second_factor else "account_reset_password")
        return {"person": person, "url": settings.SITE_URL + url, "second_factor": second_factor}

    return context
