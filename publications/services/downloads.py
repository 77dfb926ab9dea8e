"""Download counts: one number per file per day, nothing about the reader."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import DownloadCount, PublicationFile


def download_count(*, file: PublicationFile) -> None:
    today = timezone.localdate()
    if DownloadCount.objects.filter(file=file, day=today).update(count=F("count") + 1):
        return
    try:
        # A savepoint: two first downloads of the day race for the one row.
        with transaction.atomic():
            DownloadCount.objects.create(file=file, day=today, count=1)
    except IntegrityError:
        DownloadCount.objects.filter(file=file, day=today).update(count=F("count") + 1)
