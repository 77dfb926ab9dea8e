"""The secretariat previews, tests and sends a mailing from the admin."""

import threading

import pytest
from django.core import mail
from django.db import connections

from inpud_portal.models import OutboxMessage
from inpud_portal.outbox import outbox_send
from publications.models import Mailing
from publications.services import mailing as services

from .conftest import make_subscriber


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def test_staff_preview_the_mailing_in_each_language(staff, mailing):
    french = staff.get(
        f"/admin/publications/mailing/{mailing.pk}/preview/?language=fr"
    ).content.decode()
    arabic = staff.get(f"/admin/publications/mailing/{mailing.pk}/preview/?language=ar")

    assert "Lisez notre nouvelle note." in french
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()
    assert "sandbox" in arabic["Content-Security-Policy"]


def test_staff_send_a_test_to_themselves_in_any_language(
    staff, secretariat, mailing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/admin/publications/mailing/{mailing.pk}/test-send/", {"language": "fr"}
        )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [secretariat.email]
    assert message.subject == "Nouvelle note sur l'analyse de produits"
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_the_test_goes_through_the_outbox_ahead_of_bulk_mail(staff, secretariat, mailing):
    staff.post(f"/admin/publications/mailing/{mailing.pk}/test-send/", {"language": "fr"})

    # Not sent before its transaction commits: it is a row, sent by the one sender.
    assert mail.outbox == []
    [row] = OutboxMessage.objects.all()
    assert (row.kind, row.priority, row.to_email) == (
        OutboxMessage.Kind.MAILING,
        OutboxMessage.Priority.ACCOUNT,
        secretariat.email,
    )
    outbox_send()
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    assert [m.subject for m in mail.outbox] == ["Nouvelle note sur l'analyse de produits"]


def test_sending_asks_for_confirmation_then_starts_once(
    staff, mailing, members_audience, django_capture_on_commit_callbacks
):
    make_subscriber("a@example.org", audiences=[members_audience])
    data = {"action": "send_now", "_selected_action": [mailing.pk]}

    confirm = staff.post("/admin/publications/mailing/", data)
    assert "1 recipient" in confirm.content.decode()
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/admin/publications/mailing/", data | {"confirm": "yes"})
        again = staff.post("/admin/publications/mailing/", data | {"confirm": "yes"}, follow=True)

    assert "already sending or sent" in again.content.decode()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    progress = staff.get(f"/admin/publications/mailing/{mailing.pk}/progress/")
    assert progress.context["progress"]["totals"] == {"sent": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_clicks_start_one_mailing(mailing):
    results = []
    barrier = threading.Barrier(10)

    def click():
        barrier.wait()
        try:
            results.append(services.mailing_send_now(mailing=mailing))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results.count(True) == 1
    assert results.count(False) == 9
