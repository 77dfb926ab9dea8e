"""Domain operations of the members app: roles, invitations, profiles, the directory."""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .access import groups_ensure
from .models import Network, Organisation, Person, Role, User
from .selectors import roles_current
from .tokens import invitation_tokens
from .visibility import can_edit_organisation

logger = logging.getLogger(__name__)


def user_sync_access(*, user: User) -> None:
    """Make a login match its person's current roles: groups and the staff flag.
    A login without a person, or whose roles have all ended, keeps neither."""
    groups = groups_ensure()
    kinds = set(roles_current().filter(person__user=user).values_list("kind", flat=True))
    user.groups.remove(*[g for kind, g in groups.items() if kind not in kinds])
    user.groups.add(*[groups[kind] for kind in kinds])
    is_staff = Role.Kind.SECRETARIAT in kinds or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def person_sync_access(*, person: Person) -> None:
    if person.user is not None:
        user_sync_access(user=person.user)


def access_sync_all() -> int:
    """Re-check every login with access, so roles that ended by date lose it."""
    users = User.objects.filter(
        models.Q(is_staff=True) | models.Q(groups__isnull=False) | models.Q(person__isnull=False)
    ).distinct()
    count = 0
    for user in users:
        user_sync_access(user=user)
        count += 1
    return count


@transaction.atomic
def person_delete(*, person: Person) -> None:
    """Delete a person; their login, if any, loses every role-given access."""
    user = person.user
    person.delete()
    if user is not None:
        user_sync_access(user=user)


@transaction.atomic
def role_grant(
    *,
    person: Person,
    kind: str,
    network: Network | None = None,
    organisation: Organisation | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Role:
    role = Role(
        person=person,
        kind=kind,
        network=network,
        organisation=organisation,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    role.full_clean()
    role.save()
    person_sync_access(person=person)
    return role


@transaction.atomic
def role_end(*, role: Role, ends_on: datetime.date | None = None) -> Role:
    role.ends_on = ends_on or timezone.localdate()
    role.full_clean()
    role.save(update_fields=["ends_on"])
    person_sync_access(person=role.person)
    return role


def person_invite(*, person: Person) -> None:
    """Invite a person to the member area, by email, in their preferred language.

    1. Without an account, one is made for the person's email with no usable
       password; the invitation links to a page where they choose one.
    2. With an account that is already in use, they are reminded how to log in
       and reset their password instead: the secretariat sees the same outcome
       either way, and no mail reveals whether an address had an account.
    The email is an outbox row written in the same transaction.
    """
    from .notifications import invitation_add

    if not person.email:
        raise ValidationError(_("This person has no email address to invite."))
    with transaction.atomic():
        user = person.user
        if user is None:
            user = User.objects.filter(email__iexact=person.email).first()
            if user is not None and hasattr(user, "person") and user.person != person:
                raise ValidationError(_("Another person already has this email address."))
            if user is None:
                user = User.objects.create_user(email=person.email)
                user.set_unusable_password()
                user.save(update_fields=["password"])
            person.user = user
            person.save(update_fields=["user"])
        EmailAddress.objects.get_or_create(
            user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
        )
        person_sync_access(person=person)
        invitation_add(person=person)


def invitation_token(*, user: User) -> str:
    return invitation_tokens.make_token(user)


def invitation_accept(*, user: User, token: str, password: str) -> User:
    """Set the invited user's password and mark their email as verified: the
    invitation reached that address, which is what verification proves."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not invitation_tokens.check_token(user, token):
            raise PermissionDenied
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    return user


def profile_update(
    *, person: Person, display_name: str, preferred_language: str, bio: str
) -> Person:
    person.display_name = display_name
    person.preferred_language = preferred_language
    # bio is a translated field: this writes the version of the active language.
    person.bio = bio
    person.full_clean()
    person.save()
    return person


def organisation_save(
    *, organisation: Organisation, editor: User, activities, needs
) -> Organisation:
    """Save an organisation edited in the member area, after checking the editor may."""
    if not can_edit_organisation(editor, organisation):
        raise PermissionDenied
    with transaction.atomic():
        if not organisation.slug:
            organisation.slug = _unique_slug(organisation.name)
        organisation.full_clean()
        organisation.save()
        organisation.activities.set(activities)
        organisation.needs.set(needs)
    logger.info("organisation %s saved by user %s", organisation.pk, editor.pk)
    return organisation


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
