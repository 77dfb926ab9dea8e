import datetime

import pytest
from django.utils import timezone

from members.models import Role
from network.services import consultations as services

from ..factories import enable_totp, person_with_role


@pytest.fixture
def napud_staff(napud):
    person = person_with_role(
        Role.Kind.NETWORK_STAFF, network=napud, display_name="Nima", preferred_language="fr"
    )
    enable_totp(person.user)
    return person.user


QUESTIONS = [
    {
        "kind": "single",
        "text": "Do you support the draft?",
        "options": "Yes\nNo\nUnsure",
        "required": True,
    },
    {"kind": "multiple", "text": "Which themes matter most?", "options": "Funding\nLaw\nHealth"},
    {"kind": "scale", "text": "How clear is the draft?"},
    {"kind": "long", "text": "What would you change?"},
    {"kind": "file", "text": "Your position paper"},
]


def draft(
    actor, *, opens_in=datetime.timedelta(hours=-1), lasts=datetime.timedelta(days=10), **fields
):
    now = timezone.now()
    return services.consultation_draft(
        actor=actor,
        title=fields.pop("title", "Work plan 2027"),
        purpose="The Board asks the networks about the work plan.",
        opens_at=now + opens_in,
        closes_at=now + opens_in + lasts,
        questions=fields.pop("questions", QUESTIONS),
        **fields,
    )


@pytest.fixture
def open_consultation(secretariat, napud, enpud, asia_director, eurasia_director):
    consultation = draft(secretariat, responders="staff")
    services.consultation_schedule(consultation=consultation, actor=secretariat)
    services.consultations_advance()
    consultation.refresh_from_db()
    assert consultation.status == "open"
    return consultation


def answers_for(consultation, by_position: dict):
    """Answers keyed by question position, as the services take them (by id)."""
    questions = {q.position: q for q in consultation.questions.all()}
    return {questions[position].pk: value for position, value in by_position.items()}
