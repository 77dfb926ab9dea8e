"""Answering with an uploaded file once a view has decided it may be shown.

The file is streamed through the web server from wherever the storage keeps it (the
local media folder or an S3 bucket). With MEDIA_REDIRECT on and object storage, the
reader is sent instead to a signed storage address valid for S3_URL_SECONDS, so a
large file does not hold a web worker; the object itself is never public.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def _signs_addresses(storage) -> bool:
    # Only object storage can hand out an address that expires; a folder cannot.
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def stored_file_response(
    field_file,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    as_attachment: bool = False,
) -> HttpResponse:
    """Stream field_file, or redirect to a short-lived signed address of it; 404 when
    the storage has lost it. Without a content_type, the file name's decides."""
    storage = field_file.storage
    if settings.MEDIA_REDIRECT and _signs_addresses(storage):
        parameters = {"ResponseContentType": content_type} if content_type else {}
        if filename or as_attachment:
            parameters["ResponseContentDisposition"] = content_disposition_header(
                as_attachment, filename or ""
            )
        response = HttpResponseRedirect(
            storage.url(field_file.name, parameters=parameters, expire=settings.S3_URL_SECONDS)
        )
        # The address is a bearer token for a minute: no cache may keep or share it.
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=as_attachment, filename=filename or "", content_type=content_type
    )
