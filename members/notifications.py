"""Emails the members app sends to people, each in the person's preferred language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import int_to_base36

from .emails import send_templated
from .models import Person


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
