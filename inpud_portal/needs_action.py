"""The secretariat's home: what needs doing, gathered from each app.

Each app lists its own lines (`<app>/needs_action.py`); this module only puts them
in order for the admin index. Every app's function runs a fixed number of queries,
whatever the number of elections, meetings or mailings.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname


@dataclass(frozen=True)
class ActionLine:
    text: str
    url: str  # where it is fixed


def missing_in_some_language(field: str) -> Q:
    """Rows whose translated field is empty in at least one language."""
    missing = Q()
    for code, _name in settings.LANGUAGES:
        name = build_localized_fieldname(field, code)
        missing |= Q(**{f"{name}__isnull": True}) | Q(**{name: ""})
    return missing


def secretariat_sections(*, today: datetime.date | None = None) -> list[tuple[str, list]]:
    """(heading, lines) for each kind of work that has something waiting."""
    from governance.needs_action import election_lines, meeting_lines
    from pages.needs_action import translation_lines as page_translation_lines
    from publications.needs_action import mailing_lines, subscriber_lines, translation_lines

    from .outbox_lines import outbox_lines

    today = today or timezone.localdate()
    sections = [
        (_("Elections"), election_lines(today=today)),
        (_("Meetings in the next 60 days"), meeting_lines(today=today)),
        (_("Mailings"), mailing_lines()),
        (_("Subscribers"), subscriber_lines()),
        (_("Deliveries"), outbox_lines()),
        (_("Translations of published content"), translation_lines() + page_translation_lines()),
    ]
    return [(heading, lines) for heading, lines in sections if lines]
