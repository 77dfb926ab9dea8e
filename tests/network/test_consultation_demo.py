"""seed_demo gives every consultation journey something to walk through, today and a
year from now."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from network.models import Consultation, Response

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _check_demo(client):
    now = timezone.now()
    [current] = Consultation.objects.filter(status="open", closes_at__gt=now)
    assert current.responses.filter(status=Response.Status.SUBMITTED).count() == 1
    assert current.responses.filter(status=Response.Status.DRAFT).count() == 1
    [past] = Consultation.objects.filter(summary_published_at__isnull=False)
    assert past.closes_at < now
    assert past.responses.filter(status=Response.Status.SUBMITTED).count() == 5
    page = client.get(f"/ar/consultations/{past.pk}/").content.decode()
    assert "أجابت خمس شبكات" in page


def test_seed_demo_fills_consultations_once(client):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Consultation.objects.count() == 2
    _check_demo(client)


def test_a_year_later_the_demo_has_a_current_consultation(client):
    call_command("seed_demo", verbosity=0)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=365)):
        call_command("seed_demo", verbosity=0)
        assert Consultation.objects.filter(status="open", closes_at__gt=timezone.now()).exists()


def test_seed_demo_fills_the_partner_and_skills_register(client):
    from members.models import Partner, SkillsRecord

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Partner.objects.filter(visibility="public").count() == 4
    assert SkillsRecord.objects.count() == 4
    page = client.get("/fr/partners/").content.decode()
    assert "UNAIDS" in page and "A private foundation" not in page
