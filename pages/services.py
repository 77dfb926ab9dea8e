from django.db.models import QuerySet

from .models import Page


def pages_set_status(*, pages: QuerySet[Page], status: str) -> int:
    """Publish or withdraw pages; returns how many changed (those already in that
    status are left alone, so their "updated" date keeps its meaning)."""
    changed = 0
    for page in pages.exclude(status=status):
        page.status = status
        page.save(update_fields=["status", "updated_at"])
        changed += 1
    return changed
