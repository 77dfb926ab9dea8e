"""iCalendar files for meetings. Only what the public page shows goes in: never
who is invited or who attended."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from inpud_portal.text import list_separator

from .models import Meeting


def meetings_ics(*, meetings: Iterable[Meeting], name: str, url_name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//INPUD//INPUD portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@inpud-portal")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.title)
        # The country is named in the feed's language, and so is the separator.
        place = list_separator().join(
            p for p in [meeting.city, meeting.country.name if meeting.country else ""] if p
        )
        if place:
            event.add("location", place)
        if meeting.public_summary:
            event.add("description", meeting.public_summary)
        event.add("url", settings.SITE_URL + reverse(url_name, kwargs={"pk": meeting.pk}))
        event.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        calendar.add_component(event)
    calendar.add("x-wr-timezone", "UTC")
    return calendar.to_ical()
