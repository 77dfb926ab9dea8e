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
