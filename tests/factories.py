import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from members import services
from members.models import Network, Organisation, Person, Region, User, Visibility

PASSWORD = "correct horse battery staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"region-{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"network-{n}")
    acronym = factory.Sequence(lambda n: f"NET{n}")
    name_en = factory.Sequence(lambda n: f"Network {n} of People who Use Drugs")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name_en = factory.Sequence(lambda n: f"Peer Group {n}")
    country = "KE"
    kind = Organisation.Kind.LOCAL_GROUP
    legal_status = Organisation.LegalStatus.REGISTERED
    visibility = Visibility.PUBLIC


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Peer {n}")
    email = factory.SelfAttribute("user.email")
    visibility = Visibility.MEMBERS


def person_with_role(kind: str, *, network=None, organisation=None, **person_fields) -> Person:
    person = PersonFactory(**person_fields)
    services.role_grant(
        person=person,
        kind=kind,
        network=network,
        organisation=organisation,
        starts_on=datetime.date(2024, 1, 1),
    )
    person.user.refresh_from_db()
    return person


def enable_totp(user: User) -> str:
    """Give the user an authenticator app; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
