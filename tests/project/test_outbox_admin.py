"""The outbox screen: staff find a person's messages by kind, status, address and
date, send failed ones again, and never see a stored body; finished rows are
purged after the retention period."""

import datetime

import pytest
from django.utils import timezone

from inpud_portal.models import OutboxMessage
from inpud_portal.tasks import purge_outbox

URL = "/admin/inpud_portal/outboxmessage/"
K, S = OutboxMessage.Kind, OutboxMessage.Status


def row(email="rosa@example.org", *, kind=K.ELECTION_NOTICE, status=S.SENT, **fields):
    return OutboxMessage.objects.create(
        kind=kind,
        to_email=email,
        language="es",
        template="governance/email/election_open_voting",
        status=status,
        **{"ref": {"election": 3, "person": 7}, **fields},
    )


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def test_it_filters_by_kind_status_and_recipient(staff):
    row(status=S.FAILED, error="550 mailbox unavailable")
    row(kind=K.MAILING, status=S.FAILED)
    row("other@example.org", status=S.FAILED)
    row(status=S.SENT)

    response = staff.get(
        URL, {"kind": K.ELECTION_NOTICE, "status": S.FAILED, "q": "ROSA@example.org"}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(
        OutboxMessage.objects.filter(
            kind=K.ELECTION_NOTICE, status=S.FAILED, to_email="rosa@example.org"
        )
    )
    assert len(response.context["cl"].result_list) == 1


def test_it_filters_by_date(staff):
    old = row()
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    recent = row()

    response = staff.get(
        URL, {"created_at__gte": (timezone.now() - datetime.timedelta(days=7)).date()}
    )

    assert list(response.context["cl"].result_list) == [recent]


def test_it_never_shows_a_stored_body(staff):
    stored = row(
        kind=K.ACCOUNT,
        status=S.FAILED,
        ref={"stored": True},
        subject="Reset your password",
        body_text="https://portal/reset/key/one-time-secret/",
    )

    listing = staff.get(URL).content.decode()
    detail = staff.get(f"{URL}{stored.pk}/change/").content.decode()

    assert "rosa@example.org" in listing
    assert "one-time-secret" not in listing + detail
    assert "Reset your password" not in listing + detail


def test_it_is_read_only(staff):
    message = row()

    assert staff.get(f"{URL}add/").status_code == 403
    assert staff.post(f"{URL}{message.pk}/delete/", {"post": "yes"}).status_code == 403
    staff.post(f"{URL}{message.pk}/change/", {"status": S.QUEUED})
    message.refresh_from_db()
    assert message.status == S.SENT


def test_staff_send_failed_rows_again_and_only_those(staff):
    failed = row(status=S.FAILED, attempts=8, error="550")
    sent = row(status=S.SENT)
    uncertain = row(status=S.UNCERTAIN)

    response = staff.post(
        URL,
        {"action": "retry", "_selected_action": [failed.pk, sent.pk, uncertain.pk]},
        follow=True,
    )

    assert "1 failed message is queued again." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (S.QUEUED, 0)
    assert OutboxMessage.objects.get(pk=sent.pk).status == S.SENT
    # It may have gone out: never resent, even by hand.
    assert OutboxMessage.objects.get(pk=uncertain.pk).status == S.UNCERTAIN


def test_people_without_the_secretariat_role_do_not_see_it(client, asia_director):
    client.force_login(asia_director)

    assert client.get(URL).status_code in (302, 403)


def test_the_listing_costs_the_same_for_many_rows(staff, django_assert_max_num_queries):
    for n in range(3):
        row(f"p{n}@example.org")
    with django_assert_max_num_queries(12) as few:
        staff.get(URL)
    for n in range(60):
        row(f"q{n}@example.org")

    with django_assert_max_num_queries(len(few)):
        staff.get(URL)


def test_finished_rows_are_purged_after_the_retention_period(db, settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=31)
    old_sent, old_failed, old_queued, recent = (
        row(),
        row(status=S.FAILED),
        row(status=S.QUEUED),
        row(),
    )
    OutboxMessage.objects.filter(pk__in=[old_sent.pk, old_failed.pk, old_queued.pk]).update(
        created_at=long_ago
    )

    assert purge_outbox.apply().get() == 2

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {old_queued.pk, recent.pk}
