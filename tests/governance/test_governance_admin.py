"""The secretariat runs elections and meetings from the admin."""

import pytest

from governance.models import AuditEntry, Election, StrategicObjective, StrategicPlan

from .conftest import make_election, name_trustees

PAGES = [
    "/admin/governance/election/",
    "/admin/governance/election/add/",
    "/admin/governance/meeting/",
    "/admin/governance/meeting/add/",
    "/admin/governance/motion/",
    "/admin/governance/minutes/",
    "/admin/governance/minutes/add/",
    "/admin/governance/strategicplan/add/",
    "/admin/governance/kpi/add/",
    "/admin/governance/workplan/add/",
    "/admin/governance/directorship/",
    "/admin/governance/boardseat/",
    "/admin/governance/auditentry/",
    "/admin/governance/paper/add/",
]


@pytest.fixture
def staff_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_every_governance_admin_page_opens(staff_client, path):
    assert staff_client.get(path).status_code == 200


def test_a_transition_asks_for_confirmation_first(staff_client, napud_seat):
    election = make_election(napud_seat)
    data = {"action": "transition_open_nominations", "_selected_action": [election.pk]}

    confirm = staff_client.post("/admin/governance/election/", data)

    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    election.refresh_from_db()
    assert election.status == Election.Status.DRAFT

    staff_client.post("/admin/governance/election/", data | {"confirm": "yes"})

    election.refresh_from_db()
    assert election.status == Election.Status.NOMINATIONS_OPEN
    assert AuditEntry.objects.get().actor.person.display_name == "Sam Secretariat"


def test_a_refused_transition_is_explained(staff_client, napud_seat):
    election = make_election(napud_seat)

    response = staff_client.post(
        "/admin/governance/election/",
        {"action": "transition_certify", "_selected_action": [election.pk], "confirm": "yes"},
        follow=True,
    )

    assert "cannot go to" in response.content.decode()


def test_what_an_election_is_cannot_change_once_published(staff_client, napud_seat):
    election = make_election(napud_seat)
    staff_client.post(
        "/admin/governance/election/",
        {
            "action": "transition_open_nominations",
            "_selected_action": [election.pk],
            "confirm": "yes",
        },
    )

    form = staff_client.get(f"/admin/governance/election/{election.pk}/change/").context[
        "adminform"
    ]

    assert "method" not in form.form.fields
    assert "seats" not in form.form.fields


def test_the_strategy_page_shows_the_current_plan(client, db):
    plan = StrategicPlan.objects.create(title_en="Strategic Plan", start_year=2025, end_year=2029)
    StrategicObjective.objects.create(
        plan=plan, number=1, title_en="Strong networks of people who use drugs"
    )

    body = client.get("/ar/strategy/").content.decode()

    assert "Strong networks of people who use drugs" in body
    assert '<html lang="ar" dir="rtl">' in body


def test_recorded_votes_entered_in_the_admin_go_through_the_checks(staff_client, secretariat):
    import datetime

    from django.utils import timezone

    from governance.models import Attendance, Invitation, Meeting, Motion, MotionVote
    from governance.services import meetings as meeting_services
    from members.models import Role

    from ..factories import person_with_role

    start = timezone.now()
    meeting = Meeting.objects.create(
        kind="general", title_en="GM", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    present = person_with_role(Role.Kind.SECRETARIAT, display_name="Present P")
    absent = person_with_role(Role.Kind.SECRETARIAT, display_name="Absent A")
    # The General Meeting's voters are its invitees; only "present" attends.
    for person in (present, absent):
        Invitation.objects.create(meeting=meeting, person=person)
    Attendance.objects.create(meeting=meeting, person=present, status="present")
    motion = Motion.objects.create(
        meeting=meeting, text_en="X", proposer=present, seconder=present, recorded=True
    )
    meeting_services.motion_open_vote(motion=motion)
    data = {
        "meeting": meeting.pk,
        "kind": "ordinary",
        "text_en": "X",
        "proposer": present.pk,
        "seconder": present.pk,
        "recorded": "on",
        "votes_for": 0,
        "votes_against": 0,
        "abstentions": 0,
        "recorded_votes-TOTAL_FORMS": 2,
        "recorded_votes-INITIAL_FORMS": 0,
        "recorded_votes-0-person": present.pk,
        "recorded_votes-0-vote": "for",
        "recorded_votes-1-person": absent.pk,
        "recorded_votes-1-vote": "for",
    }

    response = staff_client.post(f"/admin/governance/motion/{motion.pk}/change/", data, follow=True)

    assert list(MotionVote.objects.values_list("person_id", flat=True)) == [present.pk]
    assert "Only those recorded as attending can vote" in response.content.decode()


def test_a_seat_is_elected_by_its_own_network(napud_seat, enpud):
    from django.core.exceptions import ValidationError

    election = make_election(napud_seat, network=enpud)

    with pytest.raises(ValidationError, match="its own network"):
        election.full_clean()


def test_an_appointment_in_the_admin_gives_the_director_role_and_is_audited(
    staff_client, napud_seat
):
    from members.models import Role

    from ..factories import PersonFactory

    person = PersonFactory(display_name="Appointed A")

    response = staff_client.post(
        "/admin/governance/directorship/add/",
        {
            "seat": napud_seat.pk,
            "person": person.pk,
            "starts_on": "2026-03-01",
            "ends_on": "2026-12-31",
            "origin": "appointment",
            "officer": "",
        },
    )

    assert response.status_code == 302
    role = person.roles.get(kind=Role.Kind.DIRECTOR)
    assert (str(role.starts_on), str(role.ends_on), role.network) == (
        "2026-03-01",
        "2026-12-31",
        napud_seat.network,
    )
    assert AuditEntry.objects.filter(action="directorship.record").exists()


def test_an_elected_term_cannot_be_reassigned_or_deleted_in_the_admin(
    staff_client, napud_seat, delegates
):
    import datetime

    from governance.models import Directorship

    election = make_election(napud_seat)
    elected = Directorship.objects.create(
        seat=napud_seat,
        person=delegates[0],
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
        election=election,
    )
    url = f"/admin/governance/directorship/{elected.pk}/"

    form = staff_client.get(f"{url}change/").context["adminform"].form
    deleting = staff_client.post(f"{url}delete/", {"post": "yes"})
    staff_client.post(
        "/admin/governance/directorship/",
        {"action": "delete_selected", "_selected_action": [elected.pk], "post": "yes"},
    )

    assert "person" not in form.fields and "seat" not in form.fields
    assert "ends_on" in form.fields  # a resignation still ends the term
    assert deleting.status_code == 403
    assert Directorship.objects.filter(pk=elected.pk).exists()


def test_deleting_a_directorship_entered_by_mistake_is_audited(staff_client, napud_seat, delegates):
    import datetime

    from governance.models import Directorship

    mistake = Directorship.objects.create(
        seat=napud_seat,
        person=delegates[1],
        starts_on=datetime.date(2026, 1, 1),
        origin=Directorship.Origin.APPOINTMENT,
    )

    staff_client.post(f"/admin/governance/directorship/{mistake.pk}/delete/", {"post": "yes"})

    assert not Directorship.objects.filter(pk=mistake.pk).exists()
    entry = AuditEntry.objects.get(action="directorship.delete")
    assert entry.object_id == str(mistake.pk)
    assert "Delegate 1" in entry.summary


def test_candidate_statements_are_translated_until_voting_opens_then_fixed(
    staff_client, napud_seat, delegates
):
    from governance.services import elections as services

    election = make_election(napud_seat)
    services.election_transition(election=election, transition="open-nominations")
    services.candidate_nominate(election=election, person=delegates[0], nominated_by=delegates[0])
    services.candidate_nominate(election=election, person=delegates[1], nominated_by=delegates[1])
    services.election_transition(election=election, transition="close-nominations")
    url = f"/admin/governance/election/{election.pk}/change/"

    def statement_fields():
        inline = staff_client.get(url).context["inline_admin_formsets"][0]
        return {name for name in inline.formset.forms[0].fields if name.startswith("statement")}

    before = statement_fields()
    name_trustees(election)
    services.election_transition(election=election, transition="open-voting")
    after = statement_fields()

    assert {"statement_en", "statement_fr", "statement_ar"} <= before
    assert not after
