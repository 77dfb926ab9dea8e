"""Serving an uploaded picture (a director's photo, a publication's cover).

Pictures are not served from a public /media/ folder: each is served by a view that
first checks the record may be shown, so a private person's photo cannot be fetched
by guessing its address. The address carries the stored (random) file name, so a
replaced picture gets a new address and browsers may keep one for a long time.
"""

from pathlib import PurePosixPath

from django.http import Http404, HttpResponse

from .stored_files import stored_file_response

# Uploads are re-encoded to one of these (publications.cover_images.cover_cleaned).
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}


def stored_name(field_file) -> str:
    return PurePosixPath(field_file.name).name


def image_response(field_file, *, name: str) -> HttpResponse:
    if not field_file or stored_name(field_file) != name:
        raise Http404
    content_type = CONTENT_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        raise Http404
    response = stored_file_response(field_file, content_type=content_type)
    if response.status_code != 200:
        return response
    response["Cache-Control"] = "public, max-age=604800, immutable"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
