"""The rules of consultations, in the services, on PostgreSQL."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from inpud_portal.models import OutboxMessage
from network.models import Consultation, ConsultationEvent, Response
from network.services import consultations as services
from network.services.errors import ConsultationError

from .conftest import QUESTIONS, answers_for, draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_only_the_secretariat_and_directors_draft(
    secretariat, asia_director, napud_staff, outsider
):
    assert draft(secretariat).status == "draft"
    assert draft(asia_director).created_by == asia_director.person
    for user in (napud_staff, outsider):
        with pytest.raises(ConsultationError):
            draft(user)


def test_a_draft_must_close_after_it_opens(secretariat):
    with pytest.raises(ConsultationError, match="close after it opens"):
        draft(secretariat, lasts=datetime.timedelta(0))
    assert not Consultation.objects.exists()


def test_choice_questions_need_options_and_translations_must_line_up(secretariat):
    with pytest.raises(ConsultationError, match="at least two options"):
        draft(secretariat, questions=[{"kind": "single", "text": "Yes?", "options": "Yes"}])
    with pytest.raises(ConsultationError, match="same 2 lines"):
        draft(
            secretariat,
            questions=[
                {"kind": "single", "text": "Agree?", "options": "Yes\nNo", "options_fr": "Oui"}
            ],
        )
    assert not Consultation.objects.exists()


def test_opening_tells_each_responder_once_in_their_language(
    secretariat, asia_director, napud_staff, eurasia_director
):
    consultation = draft(secretariat, responders="staff")
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    assert services.consultations_advance()["opened"] == 1
    assert services.consultations_advance()["opened"] == 0
    rows = OutboxMessage.objects.filter(kind="consultation-notice")
    assert sorted(rows.values_list("to_email", "language")) == sorted(
        [
            (asia_director.email, asia_director.person.preferred_language),
            (napud_staff.email, "fr"),
            (eurasia_director.email, eurasia_director.person.preferred_language),
        ]
    )
    assert ConsultationEvent.objects.filter(consultation=consultation, action="opened").count() == 1


def test_directors_only_answer_when_the_consultation_says_so(
    secretariat, napud, asia_director, napud_staff
):
    consultation = draft(secretariat, responders="director")
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    services.consultations_advance()
    consultation.refresh_from_db()
    notified = set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert asia_director.email in notified and napud_staff.email not in notified
    with pytest.raises(ConsultationError, match="do not answer"):
        services.response_save(
            consultation=consultation, network=napud, user=napud_staff, answers={}
        )


def test_a_scheduled_consultation_opens_only_at_its_time(secretariat, asia_director):
    consultation = draft(secretariat, opens_in=datetime.timedelta(days=2))
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    assert services.consultations_advance()["opened"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        assert services.consultations_advance()["opened"] == 1


def test_only_a_draft_with_questions_can_be_scheduled(secretariat):
    consultation = draft(secretariat, questions=[])
    with pytest.raises(ConsultationError, match="at least one question"):
        services.consultation_schedule(consultation=consultation, actor=secretariat)
    consultation = draft(secretariat)
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    with pytest.raises(ConsultationError, match="Only a draft"):
        services.consultation_schedule(consultation=consultation, actor=secretariat)


def test_people_of_one_network_share_one_draft_and_the_last_edit_wins(
    open_consultation, napud, asia_director, napud_staff
):
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {1: 0, 4: "More funding."}),
    )
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=napud_staff,
        answers=answers_for(open_consultation, {4: "More funding for women."}),
    )
    [response] = Response.objects.filter(consultation=open_consultation)
    assert response.updated_by == napud_staff.person
    texts = {a.question.position: (a.text, a.choices) for a in response.answers.all()}
    assert texts[1] == ("", [0])  # the first person's choice stays
    assert texts[4][0] == "More funding for women."


def test_submitting_needs_the_required_answers_and_is_explicit(
    open_consultation, napud, asia_director
):
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {4: "Text"}),
    )
    with pytest.raises(ConsultationError, match="Do you support the draft"):
        services.response_submit(consultation=open_consultation, network=napud, user=asia_director)
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {1: 1}),
    )
    response = services.response_submit(
        consultation=open_consultation, network=napud, user=asia_director
    )
    assert response.status == "submitted" and response.submitted_by == asia_director.person
    with pytest.raises(ConsultationError, match="reopen"):
        services.response_save(
            consultation=open_consultation, network=napud, user=asia_director, answers={}
        )
    services.response_reopen(consultation=open_consultation, network=napud, user=asia_director)
    assert Response.objects.get().status == "draft"


def test_answers_are_checked(open_consultation, napud, asia_director):
    for values in ({1: [0, 1]}, {2: [7]}, {3: 9}):
        with pytest.raises(ConsultationError):
            services.response_save(
                consultation=open_consultation,
                network=napud,
                user=asia_director,
                answers=answers_for(open_consultation, values),
            )


def test_nothing_is_written_after_the_closing_time(open_consultation, napud, asia_director):
    with time_machine.travel(open_consultation.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(ConsultationError, match="not open"):
            services.response_save(
                consultation=open_consultation, network=napud, user=asia_director, answers={}
            )
        assert services.consultations_advance()["closed"] == 1
    open_consultation.refresh_from_db()
    assert open_consultation.status == "closed"
    assert not Response.objects.exists()


def test_the_reminder_goes_once_only_to_networks_that_have_not_submitted(
    open_consultation, napud, enpud, asia_director, napud_staff, eurasia_director
):
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {1: 0}),
    )
    services.response_submit(consultation=open_consultation, network=napud, user=asia_director)
    almost = open_consultation.closes_at - datetime.timedelta(hours=71)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert services.consultations_advance()["reminded"] == 0  # not yet 72 h before
    with time_machine.travel(almost):
        assert services.consultations_advance()["reminded"] == 1
        assert services.consultations_advance()["reminded"] == 0
    reminded = OutboxMessage.objects.filter(template__endswith="consultation_reminder")
    assert list(reminded.values_list("to_email", flat=True)) == [eurasia_director.email]


def test_the_summary_is_published_by_the_secretariat_after_closing(
    open_consultation, secretariat, asia_director
):
    open_consultation.summary = "Most networks support the plan."
    open_consultation.save()
    with pytest.raises(ConsultationError, match="once the consultation has closed"):
        services.summary_publish(consultation=open_consultation, actor=secretariat)
    services.consultation_close(consultation=open_consultation)
    with pytest.raises(ConsultationError, match="secretariat"):
        services.summary_publish(consultation=open_consultation, actor=asia_director)
    services.summary_publish(consultation=open_consultation, actor=secretariat)
    assert open_consultation.summary_published_at is not None


def test_the_questions_fixture_covers_every_kind():
    assert {q["kind"] for q in QUESTIONS} == {"single", "multiple", "scale", "long", "file"}


def test_no_summary_is_published_when_the_networks_were_told_none_would_be(
    secretariat, asia_director
):
    consultation = draft(secretariat, summary_planned=False)
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    services.consultations_advance()
    consultation.refresh_from_db()
    services.consultation_close(consultation=consultation)
    consultation.summary = "Text"
    consultation.save()
    with pytest.raises(ConsultationError, match="no summary would be published"):
        services.summary_publish(consultation=consultation, actor=secretariat)


def test_a_short_consultation_gets_its_opening_notice_without_a_reminder_on_its_heels(
    secretariat, asia_director
):
    consultation = draft(secretariat, lasts=datetime.timedelta(hours=48))
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    assert services.consultations_advance() == {"opened": 1, "reminded": 0, "closed": 0}
    assert OutboxMessage.objects.filter(template__endswith="reminder").count() == 0


def test_network_staff_see_only_the_consultations_they_answer(
    secretariat, napud_staff, outsider, asia_director
):
    by_directors = draft(secretariat, responders="director", title="Directors only")
    with_staff = draft(secretariat, responders="staff", title="With staff")
    for consultation in (by_directors, with_staff):
        services.consultation_schedule(consultation=consultation, actor=secretariat)
    assert list(services.consultations_for(napud_staff)) == [with_staff]
    assert not services.consultations_for(outsider).exists()
    assert services.consultations_for(asia_director).count() == 2
