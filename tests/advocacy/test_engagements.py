import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from advocacy.models import Engagement, Forum
from advocacy.services import engagement_record, engagements_visible_to
from governance.models import AuditEntry
from members.models import Visibility

pytestmark = pytest.mark.django_db


def _record(visibility):
    forum = Forum.objects.create(name="Commission on Narcotic Drugs", acronym="CND")
    return engagement_record(
        actor=None,
        recorded_by=None,
        representatives=[],
        forum=forum,
        level=Engagement.Level.GLOBAL,
        starts_on=datetime.date(2026, 3, 10),
        ends_on=datetime.date(2026, 3, 14),
        asks="End the criminalisation of people who use drugs.",
        visibility=visibility,
    )


def test_it_audits_a_recorded_engagement():
    engagement = _record(Visibility.PUBLIC)
    assert AuditEntry.objects.filter(
        action="engagement.recorded", object_id=str(engagement.pk)
    ).exists()


def test_it_hides_secretariat_only_engagements_from_the_public():
    _record(Visibility.SECRETARIAT)
    assert not engagements_visible_to(AnonymousUser()).exists()


def test_it_records_and_audits_the_outcome_and_refuses_an_empty_one():
    from django.core.exceptions import ValidationError

    from advocacy.services import engagement_outcome_record

    engagement = _record(Visibility.MEMBERS)
    with pytest.raises(ValidationError):
        engagement_outcome_record(actor=None, engagement=engagement, outcome="  ")
    engagement = engagement_outcome_record(
        actor=None, engagement=engagement, outcome="The resolution named harm reduction."
    )
    assert engagement.outcome_recorded_at is not None
    assert AuditEntry.objects.filter(action="engagement.outcome").count() == 1
