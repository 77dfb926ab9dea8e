"""A person's private calendar address."""

from django.db import transaction

from members.models import Person

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_replace(*, person: Person) -> CalendarFeed:
    """A new address; the old one stops working at once (it may have leaked)."""
    CalendarFeed.objects.filter(person=person).delete()
    return CalendarFeed.objects.create(person=person)
