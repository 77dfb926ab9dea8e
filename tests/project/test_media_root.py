"""Tests keep uploaded files out of the checkout (tests/conftest.py::_media_root)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..celery_worker import Worker


def test_uploads_go_to_the_tests_own_folder(tmp_path):
    name = default_storage.save("papers/plan.pdf", ContentFile(b"%PDF-1.4"))

    assert default_storage.path(name).startswith(str(tmp_path))
    assert not (settings.BASE_DIR / "media" / name).exists()


def test_a_worker_started_by_a_test_reads_the_same_folder():
    assert Worker().env["MEDIA_ROOT"] == str(settings.MEDIA_ROOT)
