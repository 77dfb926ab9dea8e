"""Emails the members app sends to people, each in the person's preferred language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import int_to_base36

from .emails import send_templated
from .models import Person, User


def invitation_send(*, person_id: int) -> None:
    from .services import invitation_token

    person = Person.objects.select_related("user").get(pk=person_id)
    user = person.user
    language = person.preferred_language
    if user.has_usable_password():
        template_prefix = "members/email/account_exists"
        with translation.override(language):
            url = settings.SITE_URL + reverse("account_reset_password")
    else:
        template_prefix = "members/email/invitation"
        with translation.override(language):
            url = settings.SITE_URL + reverse(
                "invitation_accept",
                kwargs={"uidb36": int_to_base36(user.pk), "token": invitation_token(user=user)},
            )
    send_templated(
        template_prefix=template_prefix,
        to=user.email,
        language=language,
        context={"person": person, "url": url},
    )


def sign_in_warning_send(*, user_id: int, second_factor: bool) -> None:
    """Tell the owner of an account that sign-ins on it now wait (members.login_throttle)."""
    user = User.objects.select_related("person").get(pk=user_id)
    person = getattr(user, "person", None)
    language = person.preferred_language if person else settings.LANGUAGE_CODE
    # A wrong code after the right password means the password is known: the link
    # changes it. A wrong password only needs a reset if the owner wants one.
    with translation.override(language):
        url = settings.SITE_URL + reverse(
            "account_change_password" if second_factor else "account_reset_password"
        )
    send_templated(
        template_prefix="members/email/sign_in_warning",
        to=user.email,
        language=language,
        context={"person": person, "url": url, "second_factor": second_factor},
    )
