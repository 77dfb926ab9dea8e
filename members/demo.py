"""Loading the network's structure and the demo records (see demo_data.py)."""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from . import demo_data as data
from .access import groups_ensure
from .models import (
    Activity,
    Endorsement,
    FormerName,
    Need,
    Network,
    Organisation,
    Person,
    Region,
    Role,
    User,
)
from .selectors import roles_current
from .services import person_sync_access


@dataclass
class DemoLogins:
    secretariat: str = ""
    directors: dict[str, str] = field(default_factory=dict)


def _translated(prefix: str, values: tuple[str, ...]) -> dict[str, str]:
    return {f"{prefix}_{lang}": value for lang, value in zip(data.LANGS, values, strict=True)}


def _account(email: str, *, password: str | None, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"is_staff": is_staff})
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _person_with_role(*, email, display_name, language, kind, network, password, since) -> Person:
    user = _account(email, password=password, is_staff=kind == Role.Kind.SECRETARIAT)
    person, _ = Person.objects.update_or_create(
        email=email,
        defaults={
            "user": user,
            "display_name": display_name,
            "preferred_language": language,
            "visibility": "public" if kind == Role.Kind.DIRECTOR else "members",
        },
    )
    # A role that ended (a term that was over when the demo was loaded again) is
    # followed by a new one from today, so the demo people keep their place.
    if not roles_current().filter(person=person, kind=kind, network=network).exists():
        earlier = Role.objects.filter(person=person, kind=kind, network=network).exists()
        starts_on = timezone.localdate() if earlier else since
        Role.objects.create(person=person, kind=kind, network=network, starts_on=starts_on)
    person_sync_access(person=person)
    return person


@transaction.atomic
def demo_seed(*, password: str | None) -> DemoLogins:
    """Create or update everything; running it again changes nothing new.

    With a password, the demo accounts get it; without one they keep no usable
    password (the secretariat invites people instead)."""
    groups_ensure()
    regions = {}
    for position, (slug, names) in enumerate(data.REGIONS):
        regions[slug], _ = Region.objects.update_or_create(
            slug=slug, defaults={"position": position, **_translated("name", names)}
        )
    for slug, names in data.ACTIVITIES:
        Activity.objects.update_or_create(slug=slug, defaults=_translated("name", names))
    for slug, names in data.NEEDS:
        Need.objects.update_or_create(slug=slug, defaults=_translated("name", names))

    networks = {}
    for position, (slug, acronym, region, name, description, former) in enumerate(data.NETWORKS):
        network, _ = Network.objects.update_or_create(
            slug=slug,
            defaults={
                "acronym": acronym,
                "region": regions.get(region),
                "name_en": name,
                "description_en": description,
                "position": position,
                "website": f"https://{slug}.example.org/",
                "member_since": 2010 + position % 5,
            },
        )
        networks[slug] = network
        for former_name, former_acronym, used_from, used_until in former:
            FormerName.objects.get_or_create(
                network=network,
                name=former_name,
                defaults={
                    "acronym": former_acronym,
                    "used_from": used_from,
                    "used_until": used_until,
                },
            )
        for document in Endorsement.Document:
            Endorsement.objects.get_or_create(
                network=network,
                document=document,
                defaults={
                    "endorsed_on": datetime.date(2010 + position % 5, 6, 1),
                    "endorsed_by": "Steering committee (demo record)",
                },
            )

    activities = {a.slug: a for a in Activity.objects.all()}
    needs = {n.slug: n for n in Need.objects.all()}
    for (
        net,
        slug,
        name,
        country,
        city,
        kind,
        legal,
        founded,
        visibility,
        acts,
        wants,
        description,
    ) in data.ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "network": networks[net],
                "name_en": name,
                "description_en": description,
                "country": country,
                "city": city,
                "kind": kind,
                "legal_status": legal,
                "founded_year": founded,
                "visibility": visibility,
            },
        )
        organisation.activities.set([activities[a] for a in acts])
        organisation.needs.set([needs[n] for n in wants])

    since = datetime.date(2025, 1, 1)
    logins = DemoLogins(secretariat=data.SECRETARIAT_EMAIL)
    _person_with_role(
        email=data.SECRETARIAT_EMAIL,
        display_name="Sam (secretariat, demo)",
        language="en",
        kind=Role.Kind.SECRETARIAT,
        network=None,
        password=password,
        since=since,
    )
    director_languages = {"lanpud": "es", "enpud": "ru", "menanpud": "ar", "africanpud": "fr"}
    for slug, network in networks.items():
        email = f"director.{slug}@example.org"
        _person_with_role(
            email=email,
            display_name=f"{network.acronym} director (demo)",
            language=director_languages.get(slug, "en"),
            kind=Role.Kind.DIRECTOR,
            network=network,
            password=password,
            since=since,
        )
        logins.directors[network.acronym] = email
    return logins
