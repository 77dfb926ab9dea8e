import pytest
from django.db import connection

from governance.models import AuditEntry
from governance.models.audit import AppendOnlyError
from governance.services import elections as services

from .conftest import make_election


@pytest.fixture
def entry(napud_seat, secretariat):
    election = make_election(napud_seat)
    services.election_transition(
        election=election, transition="open-nominations", actor=secretariat
    )
    return AuditEntry.objects.get()


def test_an_entry_records_who_what_and_when(entry, secretariat):
    assert entry.actor == secretariat
    assert entry.action == "election.open-nominations"
    assert entry.object_type == "governance.election"
    assert entry.created_at is not None


def test_an_entry_cannot_be_changed_or_deleted_through_the_app(entry):
    entry.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_the_admin_shows_the_trail_read_only(client, secretariat, entry):
    client.force_login(secretariat)

    listing = client.get("/admin/governance/auditentry/")
    change = client.get(f"/admin/governance/auditentry/{entry.pk}/change/")
    delete = client.post(f"/admin/governance/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert "election.open-nominations" in listing.content.decode()
    assert change.status_code == 200
    assert 'name="summary"' not in change.content.decode()  # shown, not editable
    assert delete.status_code == 403
    assert client.get("/admin/governance/auditentry/add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_the_trail(entry):
    from django.db import DatabaseError, transaction

    for sql in [
        "UPDATE governance_auditentry SET summary = 'x'",
        "DELETE FROM governance_auditentry",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get().summary != "x"


def test_bulk_changes_to_the_trail_are_refused_too(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["summary"])

    assert AuditEntry.objects.get(pk=entry.pk).summary != "rewritten"


def test_the_admin_offers_no_bulk_action_on_the_trail(client, secretariat, entry):
    client.force_login(secretariat)

    listing = client.get("/admin/governance/auditentry/")
    forced = client.post(
        "/admin/governance/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert 'name="action"' not in listing.content.decode()
    assert forced.status_code in (200, 302, 403)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_published_election_cannot_be_deleted_in_bulk_from_the_admin(client, secretariat, entry):
    from governance.models import Election

    election = Election.objects.get()
    draft = make_election(election.seat, title_en="Never published")
    client.force_login(secretariat)

    def bulk_delete(pk):
        client.post(
            "/admin/governance/election/",
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )

    bulk_delete(draft.pk)
    bulk_delete(election.pk)

    assert not Election.objects.filter(pk=draft.pk).exists()
    assert Election.objects.filter(pk=election.pk).exists()
