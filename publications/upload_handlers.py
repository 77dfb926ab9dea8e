"""Stop oversized uploads while they arrive, before Django buffers them.

Install it first, so it sees every chunk before the handlers that store it::

    FILE_UPLOAD_HANDLERS = [
        "publications.upload_handlers.SizeLimitedUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]

The limit is ``settings.PUBLICATION_MAX_UPLOAD_BYTES`` (100 MiB by default) and
applies to all the files of one request together. A stopped upload resets the
connection (the browser shows a connection error, the rest of the body is never
read); a view that is still reached finds the file missing and can tell why with
``upload_limit_exceeded(request)``.

The size of each file is still checked by ``publications.file_checks``: this
handler only saves the server from receiving and storing what will be refused.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# Room for the multipart boundaries and part headers and the form's text fields
# (Django caps those separately with DATA_UPLOAD_MAX_MEMORY_SIZE), so that a file
# just under the limit is not refused because of the envelope around it.
FORM_ENVELOPE_ALLOWANCE_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "PUBLICATION_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class SizeLimitedUploadHandler(FileUploadHandler):
    """Abort a multipart upload as soon as it is known to exceed the limit.

    1. ``handle_raw_input``: a declared Content-Length over the limit (plus the
       envelope allowance) marks the upload as too large. Django calls this
       outside its StopUpload handling, so raising there would be a server error;
       the stop happens at the first file instead, before any of it is read.
    2. ``new_file``: stop if the request was marked too large, or the part
       declares a length that would take the request over the limit.
    3. ``receive_data_chunk``: count every file byte of the request (the
       Content-Length can be missing or wrong, for example with chunked transfer
       encoding) and stop when the count passes the limit. Chunks within the limit
       go to the next handler unchanged.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.received_bytes = 0
        self.limit_exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + FORM_ENVELOPE_ALLOWANCE_BYTES:
            self.limit_exceeded = True
        return None  # let the standard multipart parser and the next handlers run

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        declared = self.content_length or 0
        if self.limit_exceeded or self.received_bytes + declared > self.limit:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received_bytes += len(raw_data)
        if self.received_bytes > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the UploadedFile

    def _stop(self) -> None:
        self.limit_exceeded = True
        raise StopUpload(connection_reset=True)


def upload_limit_exceeded(request: HttpRequest) -> bool:
    """Whether SizeLimitedUploadHandler stopped this request's upload.

    Read it after request.POST or request.FILES has been accessed (the upload is
    parsed lazily), to show "too large" rather than "this field is required".
    """
    return any(
        isinstance(handler, SizeLimitedUploadHandler) and handler.limit_exceeded
        for handler in request.upload_handlers
    )
