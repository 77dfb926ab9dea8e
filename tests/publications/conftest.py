import datetime

import pytest
from django.utils import timezone

from publications.models import Audience, Mailing, Publication, Subscriber

LANGUAGES = ["en", "fr", "es", "ru", "ar", "pt"]


@pytest.fixture
def members_audience(db):
    return Audience.objects.create(slug="members", name_en="Members", public_signup=True)


@pytest.fixture
def donors(db):
    return Audience.objects.create(slug="donors", name_en="Donors")


def make_subscriber(email, *, language="en", audiences=(), confirmed=True, status="active"):
    subscriber = Subscriber.objects.create(
        email=email,
        preferred_language=language,
        consent_at=timezone.now(),
        consent_source="test",
        confirmed_at=timezone.now() if confirmed else None,
        status=status,
    )
    subscriber.audiences.set(audiences)
    return subscriber


@pytest.fixture
def publication(db):
    return Publication.objects.create(
        slug="drug-checking-brief",
        kind=Publication.Kind.TECHNICAL_BRIEF,
        title_en="Drug checking: a technical brief",
        title_fr="L'analyse de produits : note technique",
        summary_en="What peer-led drug checking needs.",
        published_on=datetime.date(2026, 6, 1),
        status=Publication.Status.PUBLISHED,
    )


@pytest.fixture
def mailing(members_audience, publication):
    mailing = Mailing.objects.create(
        publication=publication,
        subject_en="New brief on drug checking",
        body_text_en="Read our new brief.",
        subject_fr="Nouvelle note sur l'analyse de produits",
        body_text_fr="Lisez notre nouvelle note.",
        subject_ar="موجز جديد عن فحص المواد",
        body_text_ar="اقرأ موجزنا الجديد.",
    )
    mailing.audiences.set([members_audience])
    return mailing
