from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from inpud_portal.page_cache import public_pages_invalidate

from ..models import Mailing, Publication


def publications_set_status(*, queryset, status: str) -> int:
    # updated_at moves too: the sitemap's lastmod tells indexers to look again.
    changed = queryset.exclude(status=status).update(status=status, updated_at=timezone.now())
    # update() sends no save signal: tell the page cache (a new publication is on
    # the home and library pages at the next request, a withdrawn one is gone).
    if changed:
        public_pages_invalidate(kinds=("publications",))
    return changed


@transaction.atomic
def mailing_for_publication(*, publication: Publication, actor=None) -> Mailing:
    """A draft mailing announcing the publication, in every language the
    publication has a title in; staff then choose audiences and send it."""
    from django.core.exceptions import ValidationError

    if publication.status != Publication.Status.PUBLISHED:
        raise ValidationError(_("Publish the publication before disseminating it."))
    fields = {}
    for code, _name in settings.LANGUAGES:
        title = getattr(publication, build_localized_fieldname("title", code))
        if not title:
            continue
        summary = getattr(publication, build_localized_fieldname("summary", code)) or ""
        with translation.override(code):
            fields[build_localized_fieldname("subject", code)] = _("New from INPUD: %(title)s") % {
                "title": title
            }
        fields[build_localized_fieldname("body_text", code)] = f"{title}\n\n{summary}".strip()
    return Mailing.objects.create(publication=publication, created_by=actor, **fields)
