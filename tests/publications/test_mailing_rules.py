"""The mailing rules live in the service, so admin, scheduler and any API obey them alike."""

import datetime

import pytest
from django.utils import timezone

from publications.models import Mailing
from publications.services import mailing as services

M = Mailing.Status


def test_a_mailing_without_an_audience_cannot_be_sent(mailing):
    mailing.audiences.clear()

    with pytest.raises(services.MailingError, match="choose at least one audience"):
        services.mailing_send_now(mailing=mailing)

    mailing.refresh_from_db()
    assert mailing.status == M.DRAFT


def test_a_mailing_without_an_audience_cannot_be_scheduled(mailing):
    mailing.audiences.clear()

    with pytest.raises(services.MailingError, match="choose at least one audience"):
        services.mailing_schedule(mailing=mailing, at=timezone.now())

    mailing.refresh_from_db()
    assert mailing.status == M.DRAFT


def test_the_scheduler_leaves_a_due_mailing_without_an_audience_scheduled(mailing):
    services.mailing_schedule(mailing=mailing, at=timezone.now() - datetime.timedelta(minutes=1))
    mailing.audiences.clear()

    assert services.mailings_start_due() == []

    mailing.refresh_from_db()
    assert mailing.status == M.SCHEDULED
    assert mailing.started_at is None


def test_a_stale_copy_cannot_turn_a_sending_mailing_back_into_scheduled(mailing):
    stale = Mailing.objects.get(pk=mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(status=M.SENDING, started_at=timezone.now())

    with pytest.raises(services.MailingError, match="Only a draft or scheduled"):
        services.mailing_schedule(mailing=stale, at=timezone.now())

    mailing.refresh_from_db()
    assert mailing.status == M.SENDING


def events(mailing):
    return list(mailing.events.values_list("actor_id", "from_status", "to_status"))


def test_scheduling_and_sending_are_recorded_with_who_did_them(mailing, secretariat):
    services.mailing_schedule(mailing=mailing, at=timezone.now(), actor=secretariat)
    services.mailings_start_due()

    assert events(mailing) == [
        (secretariat.pk, M.DRAFT, M.SCHEDULED),
        (None, M.SCHEDULED, M.SENDING),
    ]


def test_sending_now_records_the_person_who_sent(mailing, secretariat):
    assert services.mailing_send_now(mailing=mailing, actor=secretariat)
    assert not services.mailing_send_now(mailing=mailing, actor=secretariat)

    assert events(mailing) == [(secretariat.pk, M.DRAFT, M.SENDING)]


def test_pausing_resuming_and_cancelling_are_recorded(mailing, secretariat):
    Mailing.objects.filter(pk=mailing.pk).update(status=M.SENDING, started_at=timezone.now())

    assert services.mailing_pause(mailing=mailing, actor=secretariat)
    assert services.mailing_resume(mailing=mailing, actor=secretariat)
    assert services.mailing_cancel(mailing=mailing, actor=secretariat)
    assert not services.mailing_cancel(mailing=mailing, actor=secretariat)

    assert events(mailing) == [
        (secretariat.pk, M.SENDING, M.PAUSED),
        (secretariat.pk, M.PAUSED, M.SENDING),
        (secretariat.pk, M.SENDING, M.CANCELLED),
    ]
