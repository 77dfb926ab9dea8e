"""The organisations directory as CSV, for the secretariat."""

import csv
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from inpud_portal.spreadsheet import spreadsheet_cell

from .models import Organisation


def directory_rows(queryset: QuerySet[Organisation]) -> Iterable[list[str]]:
    yield [
        _("Name"),
        _("Member network"),
        _("Country code"),
        _("Country"),
        _("City"),
        _("Kind"),
        _("Legal status"),
        _("Founded"),
        _("Website"),
        _("What they do"),
        _("What they need"),
        _("Visibility"),
    ]
    for org in queryset.select_related("network").prefetch_related("activities", "needs"):
        yield [
            spreadsheet_cell(v)
            for v in (
                org.name,
                org.network.acronym,
                org.country.code,
                org.country.name,
                org.city,
                org.get_kind_display(),
                org.get_legal_status_display(),
                org.founded_year,
                org.website,
                "; ".join(a.name for a in org.activities.all()),
                "; ".join(n.name for n in org.needs.all()),
                org.get_visibility_display(),
            )
        ]


def directory_csv(queryset: QuerySet[Organisation]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(directory_rows(queryset))
    return buffer.getvalue()
