"""Safety checks for publication files and cover images.

Publication files (PDF, EPUB, DOCX)
-----------------------------------
The portal decides what a file is by reading its content. The file name and the
type the browser reports are ignored, so renaming a file changes nothing.

Refused:

- empty files, and files over the upload size limit;
- anything that is not a PDF, EPUB or DOCX document: web pages (HTML), also when
  renamed ".pdf"; SVG and other XML files, with or without scripts; images; programs
  and scripts; old Word (.doc) and password-protected Office files; plain ZIP
  archives; files that start like one type and continue as another (for example a
  PNG signature followed by a web page);
- PDFs that are damaged, protected by an opening password, or have no pages;
- EPUBs whose first entry is not an uncompressed "mimetype" file reading exactly
  "application/epub+zip", without META-INF/container.xml or the package file it
  names, or containing scripts (script elements, "javascript:" links, event
  attributes such as onclick);
- DOCX files without [Content_Types].xml and word/document.xml, and DOCX files with
  macros (vbaProject.bin, macro-enabled content types), ActiveX controls, embedded
  objects (word/embeddings, which includes the spreadsheets behind Word charts),
  links to content on other computers (remote templates, linked pictures or
  objects; ordinary hyperlinks are fine), comments, or tracked changes;
- EPUB and DOCX archives that could harm the server or a reader's device: more
  than 10,000 entries, more than 200 MB once uncompressed, any entry over 1 MB that
  is compressed more than 100 to 1, archives or programs inside the archive,
  absolute paths or ".." in entry names, repeated entry names, overlapping
  entries, encrypted entries, compression other than "stored" or "deflate", and
  entries whose checksum or size does not match what the archive declares.

Removed from PDFs (the portal stores a cleaned copy, never the uploaded file):

- all JavaScript, in the document and in every action;
- the action run when the document opens (/OpenAction) and every automatic action
  (/AA) of the document, its pages, annotations and form fields;
- actions that start programs, send or import form data, or open other files
  (/Launch, /SubmitForm, /ImportData, /GoToR, /GoToE) and multimedia actions;
  links whose address is not http, https or mailto (for example "javascript:" or
  "file:"). Ordinary web and email links are kept;
- embedded files, file attachment and media annotations, portfolio views and XFA
  forms;
- everything in the document information dictionary: Author, Creator, Producer,
  Subject, Keywords, dates, and Title too, because exporting programs often fill
  it with the original file path or a working title; the portal shows its own
  title;
- all XMP metadata (document, pages, images, fonts), private application data
  (PieceInfo), web capture source addresses, search indexes, page thumbnails,
  the author names on comments, and camera data (EXIF with GPS location, XMP,
  IPTC, comments) inside JPEG pictures;
- the document ID: the cleaned copy gets a new one.

Removed from DOCX files: the document properties in docProps/ (author, last
modified by, company, manager, title, custom properties), the list of people who
commented or edited (word/people.xml), the link to the template on the author's
computer, and camera data inside JPEG pictures.

Removed from EPUB files: camera data inside JPEG pictures. The package metadata
(creator, publisher, dates) is the publication's declared metadata and is kept.

EPUB and DOCX archives are rebuilt entry by entry, which also drops archive
comments, extra fields and file dates.

Not checked or removed: the words and pictures themselves. Names and places in
the text, in image content, or in PNG and WebP picture metadata stay as uploaded.

Cover images
------------
Only PNG, JPEG and WebP images are accepted, decided by their content and then
fully decoded. Refused: SVG, GIF and every other format, damaged or truncated
images, and images over 50 megapixels. Cover images are checked but not changed:
remove location data from photographs before uploading them.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NoReturn

import pikepdf
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pikepdf import Array, Dictionary, Name, Stream
from pikepdf.sanitize import Sanitizer
from PIL import Image

ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ZIP_MAX_COMPRESSION_RATIO = 100
ZIP_RATIO_CHECK_MIN_BYTES = 1024 * 1024
# A central directory record is 46 bytes plus the name and extra fields; 1 KiB per
# entry is generous and keeps zipfile from building millions of ZipInfo objects.
ZIP_MAX_CENTRAL_DIRECTORY_BYTES = ZIP_MAX_ENTRIES * 1024
COVER_MAX_PIXELS = 50_000_000

_READ_CHUNK_BYTES = 64 * 1024
_EPUB_MIMETYPE = b"application/epub+zip"
_SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


class FileRejected(ValidationError):
    """An uploaded file is not safe to publish; the message says why, for staff."""


@dataclass(frozen=True)
class CheckedFile:
    format: str  # "pdf" | "epub" | "docx"
    content: bytes  # what to store: the cleaned PDF, or the rebuilt EPUB/DOCX
    size: int
    sha256: str


def _refuse(message: str, code: str, **params: object) -> NoReturn:
    raise FileRejected(message, code=code, params=params or None)


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        _refuse(_("This file is empty."), "empty")
    if len(data) > max_bytes:
        _refuse(
            _("This file is too large: the limit is %(limit)s."),
            "too_large",
            limit=filesizeformat(max_bytes),
        )


# -- Publication files ------------------------------------------------------------------


def check_publication_file(*, data: bytes, max_bytes: int) -> CheckedFile:
    """Decide what an uploaded publication file is, and return a safe copy to store.

    1. Refuse empty and oversized files.
    2. Decide the format from the content alone: a PDF header at offset 0, or a
       ZIP archive laid out as an EPUB or a DOCX.
    3. Clean it: PDFs are sanitized and rewritten; EPUB and DOCX archives are
       checked against zip bombs and active content, then rebuilt.
    """
    _check_size(data, max_bytes)
    if data.startswith(b"%PDF-"):
        return _checked("pdf", sanitize_pdf(data))
    if data.startswith(b"PK\x03\x04"):
        file_format, content = _check_office_archive(data)
        return _checked(file_format, content)
    _refuse_unsupported_document(data)


def _checked(file_format: str, content: bytes) -> CheckedFile:
    return CheckedFile(
        format=file_format,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _refuse_unsupported_document(data: bytes) -> NoReturn:
    # Name the likely culprit, so staff know what to fix instead of guessing.
    head = data[:1024]
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith(b"<"):
        if b"<html" in text_head or b"<!doctype html" in text_head:
            _refuse(
                _("This file is a web page (HTML), not a PDF, EPUB or DOCX document."),
                "unsupported_type",
            )
        _refuse(
            _("This file is an SVG image or another XML file, not a PDF, EPUB or DOCX document."),
            "unsupported_type",
        )
    if _image_format(data) or head.startswith((b"GIF87a", b"GIF89a")):
        _refuse(
            _(
                "This file is an image, not a PDF, EPUB or DOCX document. "
                "Upload pictures as cover images."
            ),
            "unsupported_type",
        )
    if _looks_executable(head):
        _refuse(
            _("This file is a program or a script, not a PDF, EPUB or DOCX document."),
            "unsupported_type",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _refuse(
            _(
                "This file is an old Word (.doc) document or a password-protected Office "
                "file. Save it as DOCX without a password, or as PDF."
            ),
            "unsupported_type",
        )
    _refuse(_("This file is not a PDF, EPUB or DOCX document."), "unsupported_type")


_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # macOS (Mach-O, both byte orders, 32 and 64 bit, universal)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # also Java class files
    b"#!",  # scripts
)


def _looks_executable(head: bytes) -> bool:
    return head.startswith(_EXECUTABLE_SIGNATURES)


# -- PDF ----------------------------------------------------------------------------------

# Action types that run code, reach the file system or the network (other than by an
# ordinary link), or play media. URI actions are judged by their address instead.
_UNSAFE_ACTION_TYPES = frozenset(
    Name(n)
    for n in (
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/RichMediaExecute",
    )
)
_ACTION_SLOTS = (Name("/A"), Name("/PA"), Name("/Next"))
# Keys removed wherever they appear: automatic actions, the open action, XMP
# metadata, private application data, embedded file streams, XFA forms (may carry
# scripts).
_KEYS_REMOVED_EVERYWHERE = tuple(
    Name(n) for n in ("/AA", "/OpenAction", "/Metadata", "/PieceInfo", "/EF", "/XFA")
)
_REMOVED_ANNOTATION_TYPES = frozenset(
    Name(n) for n in ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D")
)


def sanitize_pdf(data: bytes) -> bytes:
    """Return a cleaned copy of a PDF: no active content, no identifying metadata.

    See the module docstring for the full list. Raises FileRejected if the PDF
    cannot be opened, needs a password, or has no pages.

    1. Open with pikepdf (qpdf), which repairs what it safely can.
    2. Apply pikepdf's own sanitizer (named JavaScript, attachments, multimedia,
       private data, web capture, portfolios, search indexes, thumbnails).
    3. Sweep every object: remove unsafe actions and links, automatic actions,
       metadata streams, embedded file data, comment author names and JPEG camera
       data; drop attachment and media annotations from pages.
    4. Drop the /Info dictionary and the /ID, and write a fresh file (qpdf writes
       only reachable objects, so earlier revisions and orphans are gone).
    """
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        _refuse(
            _("This PDF is protected by a password. Upload a copy without a password."),
            "encrypted_pdf",
        )
    except pikepdf.PdfError:
        _refuse(_("This PDF is damaged and cannot be opened."), "damaged_pdf")

    with pdf:
        page_count = len(pdf.pages)
        if page_count == 0:
            _refuse(_("This PDF has no pages."), "pdf_without_pages")
        try:
            # Explicit conversion keeps every value a pikepdf object, so a hostile
            # file with a number where a dictionary belongs fails isinstance checks.
            with pikepdf.explicit_conversion():
                _remove_active_and_identifying_content(pdf)
            output = io.BytesIO()
            # With the /ID gone, a deterministic ID is derived from the cleaned content
            # alone: it carries neither the original ID nor the time of cleaning.
            pdf.save(output, encryption=False, deterministic_id=True)
        except pikepdf.PdfError:
            _refuse(_("This PDF is damaged and cannot be cleaned."), "damaged_pdf")

    cleaned = output.getvalue()
    with pikepdf.open(io.BytesIO(cleaned)) as result:
        # A cleaned copy that lost pages would be a silent corruption: fail loudly.
        if len(result.pages) != page_count:
            _refuse(_("This PDF is damaged and cannot be cleaned."), "damaged_pdf")
    return cleaned


def _remove_active_and_identifying_content(pdf: pikepdf.Pdf) -> None:
    sanitizer = (
        Sanitizer()
        .remove_javascript()
        .remove_attachments()
        .remove_multimedia()
        .remove_private_app_data()
        .remove_web_capture()
        .remove_collection()
        .remove_search_index()
        .remove_thumbnails()
    )
    sanitizer.apply(pdf)

    for page in pdf.pages:
        annotations = page.obj.get(Name.Annots)
        if isinstance(annotations, Array):
            kept = [a for a in annotations if not _is_removed_annotation(a)]
            if len(kept) != len(annotations):
                page.obj[Name.Annots] = Array(kept)

    dictionaries = list(_all_dictionaries(pdf))
    # Remove unsafe actions from the slots that hold them first, then empty any
    # unsafe action left elsewhere: emptying first would hide it from the slot check.
    for holder in dictionaries:
        _remove_unsafe_action_slots(holder)
    for holder in dictionaries:
        if _is_unsafe_action(holder):
            for key in list(holder.keys()):
                del holder[key]
            continue
        for key in _KEYS_REMOVED_EVERYWHERE:
            if key in holder:
                del holder[key]
        # /T on a comment is its author's name; on a form widget it is the field
        # name, which the form needs.
        if _is_annotation(holder) and holder.get(Name.Subtype) != Name.Widget and Name.T in holder:
            del holder[Name.T]
        if isinstance(holder, Stream) and _is_jpeg_image(holder):
            raw = holder.read_raw_bytes()
            stripped = strip_jpeg_metadata(raw)
            if stripped != raw:
                holder.write(
                    stripped,
                    filter=holder.get(Name.Filter),
                    decode_parms=holder.get(Name.DecodeParms),
                )

    pdf.remove_unreferenced_resources()
    if Name.Info in pdf.trailer:
        del pdf.trailer[Name.Info]
    if Name.ID in pdf.trailer:
        del pdf.trailer[Name.ID]


def _all_dictionaries(pdf: pikepdf.Pdf) -> Iterator[Dictionary | Stream]:
    """Every dictionary and stream in the file, including direct ones nested inside.

    Indirect objects come from pdf.objects; direct dictionaries and arrays inside
    them are walked with an explicit stack (no recursion limit to exhaust).
    """
    for top in pdf.objects:
        stack = [top]
        while stack:
            obj = stack.pop()
            if isinstance(obj, (Dictionary, Stream)):
                yield obj
                children = [obj.get(key) for key in obj]
            elif isinstance(obj, Array):
                children = list(obj)
            else:
                continue
            stack.extend(
                child
                for child in children
                if isinstance(child, (Dictionary, Array)) and not child.is_indirect
            )


def _is_annotation(obj: Dictionary | Stream) -> bool:
    return isinstance(obj.get(Name.Subtype), Name) and Name.Rect in obj


def _is_removed_annotation(obj: object) -> bool:
    return isinstance(obj, Dictionary) and obj.get(Name.Subtype) in _REMOVED_ANNOTATION_TYPES


def _is_unsafe_action(obj: object) -> bool:
    if not isinstance(obj, Dictionary):
        return False
    action_type = obj.get(Name.S)
    if not isinstance(action_type, Name):
        return False
    if action_type in _UNSAFE_ACTION_TYPES:
        return True
    if action_type == Name.URI:
        return not _is_ordinary_link(obj.get(Name.URI))
    return False


def _is_ordinary_link(uri: object) -> bool:
    if not isinstance(uri, pikepdf.String):
        return False
    # Viewers ignore leading spaces and control characters ("\x01javascript:...").
    address = bytes(uri).decode("latin-1").lstrip("".join(map(chr, range(33)))).lower()
    return address.startswith(_SAFE_LINK_SCHEMES)


def _remove_unsafe_action_slots(holder: Dictionary | Stream) -> None:
    for key in _ACTION_SLOTS:
        value = holder.get(key)
        if isinstance(value, Array):
            kept = [action for action in value if not _is_unsafe_action(action)]
            if not kept:
                del holder[key]
            elif len(kept) != len(value):
                holder[key] = Array(kept)
        elif _is_unsafe_action(value):
            del holder[key]


def _is_jpeg_image(stream: Stream) -> bool:
    if stream.get(Name.Subtype) != Name.Image:
        return False
    image_filter = stream.get(Name.Filter)
    if isinstance(image_filter, Array) and len(image_filter) == 1:
        image_filter = image_filter[0]
    return image_filter == Name.DCTDecode


# JPEG segments that carry camera and author data: APP1 (EXIF, including GPS, and
# XMP), APP13 (Photoshop/IPTC) and COM (comments). APP0 (JFIF), APP2 (ICC colour
# profile) and APP14 (Adobe colour transform) change how the picture looks: kept.
_JPEG_METADATA_MARKERS = frozenset({0xE1, 0xED, 0xFE})
_EXIF_ORIENTATION = 0x0112


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Return the JPEG without EXIF/XMP/IPTC/comment segments.

    The EXIF orientation alone is written back, so phone photos are not shown
    rotated by readers that honour it. Anything that does not parse as a JPEG is
    returned unchanged; the caller decides whether that is acceptable.
    """
    segments = _jpeg_segments(data)
    if segments is None:
        return data
    kept = [segment for marker, segment in segments if marker not in _JPEG_METADATA_MARKERS]
    if len(kept) == len(segments):
        return data
    orientation = _jpeg_orientation(data)
    if orientation is not None:
        exif = Image.Exif()
        exif[_EXIF_ORIENTATION] = orientation
        payload = exif.tobytes()  # starts with "Exif\0\0", as an APP1 segment must
        # After SOI, and after the JFIF header (APP0) when there is one: it must come first.
        position = 2 if segments[1][0] == 0xE0 else 1
        kept.insert(position, b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
    return b"".join(kept)


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]] | None:
    """Split a JPEG into (marker, bytes) up to the compressed picture data, or None."""
    if not data.startswith(b"\xff\xd8"):
        return None
    segments = [(0xD8, b"\xff\xd8")]
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            return None
        start = position
        while position < len(data) and data[position] == 0xFF:
            position += 1  # fill bytes
        if position >= len(data):
            return None
        marker = data[position]
        position += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length field
            segments.append((marker, data[start:position]))
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan data that runs to it
            segments.append((marker, data[start:]))
            return segments
        if position + 2 > len(data):
            return None
        (length,) = struct.unpack(">H", data[position : position + 2])
        if length < 2 or position + length > len(data):
            return None
        segments.append((marker, data[start : position + length]))
        position += length
    return None


def _jpeg_orientation(data: bytes) -> int | None:
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            orientation = image.getexif().get(_EXIF_ORIENTATION)
    except Exception:  # any unreadable EXIF just means no orientation to keep
        return None
    return orientation if orientation in range(2, 9) else None


# -- EPUB and DOCX ----------------------------------------------------------------------

_ARCHIVE_SIGNATURES = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MSCF",  # cabinet
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: embedded Office objects, vbaProject.bin
)
_ARCHIVE_SUFFIXES = (
    ".zip", ".jar", ".war", ".apk", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar",
    ".cab", ".iso", ".epub", ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm",
    ".pptx", ".pptm", ".odt", ".ods", ".odp",
)  # fmt: skip
_PROGRAM_SUFFIXES = (
    ".exe", ".dll", ".scr", ".com", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".vbe",
    ".wsf", ".hta", ".sh", ".js", ".lnk", ".so", ".dylib", ".class",
)  # fmt: skip
_EPUB_MARKUP_SUFFIXES = (".xhtml", ".html", ".htm", ".xml", ".svg", ".opf", ".ncx", ".smil")
_EPUB_SCRIPT_PATTERNS = (
    re.compile(rb"<(?:\w+:)?script\b", re.IGNORECASE),
    re.compile(rb"javascript:", re.IGNORECASE),
    re.compile(rb"\son[a-z]{3,}\s*=\s*[\"']", re.IGNORECASE),
)
_DOCX_REVIEW_PATTERN = re.compile(
    rb"<(?:\w+:)?(?:ins|del|moveFrom|moveTo|cellIns|cellDel|\w*Change)\b"
)
_DOCX_COMMENT_PATTERN = re.compile(rb"<(?:\w+:)?comment\b")
# A tag, allowing ">" inside quoted attribute values; linear, no nested repetition.
_RELATIONSHIP_TAG = re.compile(rb"<(?:\w+:)?Relationship\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ATTRIBUTE = re.compile(rb"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ATTACHED_TEMPLATE_TAG = re.compile(
    rb"<(?:\w+:)?attachedTemplate\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
)
_EMPTY_DOCX_PARTS = {
    "docprops/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<cp:coreProperties"
        b' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        b' xmlns:dcterms="http://purl.org/dc/terms/"/>'
    ),
    "docprops/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<Properties"
        b' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docprops/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<Properties"
        b' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
    "word/people.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"/>'
    ),
}


def _check_office_archive(data: bytes) -> tuple[str, bytes]:
    """Check an EPUB or DOCX archive and return its format and a rebuilt copy.

    Everything that can be judged from the central directory is judged before a
    single byte is decompressed; entries are then read in chunks against a byte
    budget, so an archive that lies about its sizes cannot inflate past it.
    """
    _check_central_directory_size(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        _refuse_damaged_archive()
    with archive:
        entries = archive.infolist()
        _check_entry_list(entries, len(data))
        names = {entry.filename for entry in entries}
        if entries[0].filename == "mimetype":
            file_format = "epub"
            _check_epub_layout(entries[0])
        elif "mimetype" in names:
            _refuse(
                _(
                    "This EPUB is not valid: its first entry must be the uncompressed "
                    "'mimetype' file. Export it again from your EPUB editor."
                ),
                "invalid_epub",
            )
        elif "[Content_Types].xml" in names and "word/document.xml" in names:
            file_format = "docx"
            _check_docx_entry_names(names)
        else:
            _refuse(
                _("This file is a ZIP archive, not a PDF, EPUB or DOCX document."),
                "unsupported_type",
            )

        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as rebuilt:
            epub_package_paths: list[str] = []
            for entry, content in _read_entries(archive, entries):
                if file_format == "epub":
                    content = _check_epub_entry(entry, content, epub_package_paths)
                else:
                    content = _check_docx_entry(entry, content)
                _check_entry_content(entry, content)
                # Fixed date and no extra fields or comments: the archive carries no
                # trace of the author's clock, system or user id.
                clean_entry = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
                clean_entry.compress_type = entry.compress_type
                clean_entry.external_attr = 0o644 << 16
                rebuilt.writestr(clean_entry, content)
        if file_format == "epub":
            if not epub_package_paths:
                _refuse(
                    _("This EPUB is not valid: META-INF/container.xml is missing."),
                    "invalid_epub",
                )
            if any(path not in names for path in epub_package_paths):
                _refuse(
                    _("This EPUB is not valid: the package file it names is missing."),
                    "invalid_epub",
                )
    return file_format, output.getvalue()


def _refuse_damaged_archive() -> NoReturn:
    _refuse(_("This file is a damaged or unreadable archive."), "damaged_archive")


def _refuse_zip_bomb() -> NoReturn:
    _refuse(
        _(
            "This archive expands to far more data than it contains, as zip bombs do "
            "(the limit is %(limit)s uncompressed, at most %(ratio)s to 1)."
        ),
        "archive_bomb",
        limit=filesizeformat(ZIP_MAX_UNCOMPRESSED_BYTES),
        ratio=ZIP_MAX_COMPRESSION_RATIO,
    )


def _refuse_too_many_entries() -> NoReturn:
    _refuse(
        _("This archive has too many entries: the limit is %(limit)s."),
        "archive_bomb",
        limit=ZIP_MAX_ENTRIES,
    )


def _check_central_directory_size(data: bytes) -> None:
    """Refuse an oversized central directory before zipfile parses it.

    zipfile builds one object per central directory record, whatever count the
    end record claims, so the directory's byte size is what bounds memory.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        _refuse_damaged_archive()
    entry_count, directory_size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 > len(data) or data[record : record + 4] != b"PK\x06\x06":
            _refuse_damaged_archive()
        entry_count, directory_size = struct.unpack_from("<QQ", data, record + 32)
    if entry_count > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_CENTRAL_DIRECTORY_BYTES:
        _refuse_too_many_entries()


def _check_entry_list(entries: list[zipfile.ZipInfo], archive_size: int) -> None:
    if not entries:
        _refuse_damaged_archive()
    if len(entries) > ZIP_MAX_ENTRIES:
        _refuse_too_many_entries()
    total_size = 0
    folded_names = set()
    for entry in entries:
        name = entry.filename
        if _is_unsafe_entry_name(name):
            _refuse(
                _("This archive contains an unsafe path: %(name)s."),
                "unsafe_archive",
                name=name[:200],
            )
        # Two entries with one name (or names differing only in case) let different
        # readers see different files.
        if name.casefold() in folded_names:
            _refuse(
                _("This archive contains the entry %(name)s twice."),
                "unsafe_archive",
                name=name[:200],
            )
        folded_names.add(name.casefold())
        if entry.flag_bits & 0x1:
            _refuse(
                _("This archive contains encrypted entries. Upload it without a password."),
                "unsafe_archive",
            )
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            _refuse(
                _("This archive uses an unsupported compression method."),
                "unsafe_archive",
            )
        if name.lower().endswith(_ARCHIVE_SUFFIXES + _PROGRAM_SUFFIXES):
            _refuse_embedded_file(name)
        total_size += entry.file_size
        if total_size > ZIP_MAX_UNCOMPRESSED_BYTES:
            _refuse_zip_bomb()
        if (
            entry.file_size > ZIP_RATIO_CHECK_MIN_BYTES
            and entry.file_size > ZIP_MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            _refuse_zip_bomb()

    # Entries must not share or overlap their compressed bytes: overlapping entries
    # are how the smallest zip bombs multiply one payload.
    by_offset = sorted(entries, key=lambda entry: entry.header_offset)
    for current, following in zip(by_offset, [*by_offset[1:], None], strict=True):
        name_bytes = len(current.orig_filename.encode(_zip_name_encoding(current)))
        end = current.header_offset + 30 + name_bytes + current.compress_size
        limit = following.header_offset if following else archive_size
        if end > limit:
            _refuse(_("This archive has overlapping entries."), "unsafe_archive")


def _zip_name_encoding(entry: zipfile.ZipInfo) -> str:
    return "utf-8" if entry.flag_bits & 0x800 else "cp437"


def _is_unsafe_entry_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _refuse_embedded_file(name: str) -> NoReturn:
    _refuse(
        _(
            "This file contains an embedded archive, program or object (%(name)s), for "
            "example the spreadsheet behind a chart. Remove it, or upload a PDF."
        ),
        "unsafe_archive",
        name=name[:200],
    )


def _read_entries(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]
) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Yield (entry, content) for each file entry, decompressing in chunks.

    The budget is the declared size of each entry and the total limit; both are
    enforced while reading, not trusted from the header. zipfile checks the CRC
    at the end of each entry.
    """
    budget = ZIP_MAX_UNCOMPRESSED_BYTES
    for entry in entries:
        if entry.is_dir():
            continue
        chunks = []
        size = 0
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(_READ_CHUNK_BYTES):
                    size += len(chunk)
                    if size > entry.file_size or size > budget:
                        _refuse_zip_bomb()
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
            _refuse_damaged_archive()
        if size != entry.file_size:
            _refuse_damaged_archive()
        budget -= size
        yield entry, b"".join(chunks)


def _check_entry_content(entry: zipfile.ZipInfo, content: bytes) -> None:
    if content.startswith(_ARCHIVE_SIGNATURES) or _looks_executable(content[:8]):
        _refuse_embedded_file(entry.filename)


def _check_epub_layout(first: zipfile.ZipInfo) -> None:
    # The OCF rules: "mimetype" is physically first, stored, and says exactly this.
    if first.header_offset != 0 or first.compress_type != zipfile.ZIP_STORED:
        _refuse(
            _(
                "This EPUB is not valid: its first entry must be the uncompressed "
                "'mimetype' file. Export it again from your EPUB editor."
            ),
            "invalid_epub",
        )


def _check_epub_entry(entry: zipfile.ZipInfo, content: bytes, package_paths: list[str]) -> bytes:
    name = entry.filename
    if name == "mimetype" and content != _EPUB_MIMETYPE:
        _refuse(
            _("This EPUB is not valid: its mimetype must be application/epub+zip."),
            "invalid_epub",
        )
    if name == "META-INF/container.xml":
        for match in re.finditer(rb"full-path\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", content):
            raw_path = match.group(1) if match.group(1) is not None else match.group(2)
            package_paths.append(html.unescape(raw_path.decode("utf-8", "replace")))
    if name.lower().endswith(_EPUB_MARKUP_SUFFIXES) and any(
        pattern.search(content) for pattern in _EPUB_SCRIPT_PATTERNS
    ):
        _refuse(
            _("This EPUB contains scripts (in %(name)s). Remove them and export it again."),
            "active_content",
            name=name[:200],
        )
    return strip_jpeg_metadata(content)


def _refuse_macros() -> NoReturn:
    _refuse(
        _("This document contains macros. Save it as a DOCX without macros."),
        "active_content",
    )


def _check_docx_entry_names(names: set[str]) -> None:
    for name in sorted(names):
        folded = name.lower()
        if "vbaproject" in folded or "vbadata" in folded:
            _refuse_macros()
        if folded.startswith(("word/activex/", "word/embeddings/")):
            _refuse_embedded_file(name)


def _check_docx_entry(entry: zipfile.ZipInfo, content: bytes) -> bytes:
    name = entry.filename
    folded = name.lower()
    if folded == "[content_types].xml" or folded.endswith(".rels"):
        # Macro-enabled documents (.docm, .dotm) declare it in their content types.
        lowered = content.lower()
        if b"macroenabled" in lowered or b"vbaproject" in lowered:
            _refuse_macros()
    if folded.endswith(".rels"):
        content = _check_docx_relationships(content)
    if folded == "word/settings.xml":
        content = _ATTACHED_TEMPLATE_TAG.sub(b"", content)
    if folded == "word/comments.xml" and _DOCX_COMMENT_PATTERN.search(content):
        _refuse(
            _(
                "This document contains comments, which show reviewers' names. "
                "Delete all comments and upload it again."
            ),
            "review_traces",
        )
    if (
        folded.startswith("word/")
        and folded.endswith(".xml")
        and _DOCX_REVIEW_PATTERN.search(content)
    ):
        _refuse(
            _(
                "This document contains tracked changes, which show editors' names and "
                "deleted text. Accept or reject all changes and upload it again."
            ),
            "review_traces",
        )
    if folded in _EMPTY_DOCX_PARTS:
        return _EMPTY_DOCX_PARTS[folded]
    return strip_jpeg_metadata(content)


def _check_docx_relationships(content: bytes) -> bytes:
    """Refuse links to content elsewhere; drop the link to the author's template.

    Word fetches remote templates, linked pictures and objects when the document
    opens, which tells whoever runs that server who is reading. The attached
    template link is usually a path on the author's computer, with their user name.
    """
    kept = []
    position = 0
    for tag in _RELATIONSHIP_TAG.finditer(content):
        attributes = {
            key.split(b":")[-1].lower(): html.unescape(
                (double if double is not None else single).decode("utf-8", "replace")
            )
            for key, double, single in _ATTRIBUTE.findall(tag.group(0))
        }
        relationship_type = attributes.get(b"type", "")
        kept.append(content[position : tag.start()])
        position = tag.end()
        if relationship_type.endswith("/attachedTemplate"):
            continue
        if attributes.get(b"targetmode", "").strip().lower() == "external" and not (
            relationship_type.endswith("/hyperlink")
        ):
            _refuse(
                _(
                    "This document links to content on another computer (a remote "
                    "template, picture or object), which would reveal its readers. "
                    "Embed the content or remove the link."
                ),
                "active_content",
            )
        kept.append(tag.group(0))
    kept.append(content[position:])
    return b"".join(kept)


# -- Cover images -------------------------------------------------------------------------

_PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def _image_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_cover_image(*, data: bytes, max_bytes: int) -> str:
    """Return "png", "jpeg" or "webp" for a cover image that decodes completely.

    The format comes from the file signature; Pillow then checks the structure
    (verify) and decodes every pixel (load), only with that format's decoder.
    """
    _check_size(data, max_bytes)
    image_format = _image_format(data)
    if image_format is None:
        head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith(b"<"):
            _refuse(
                _("SVG images are not accepted as covers. Upload a PNG, JPEG or WebP image."),
                "unsupported_image",
            )
        if head.startswith((b"gif87a", b"gif89a")):
            _refuse(
                _("GIF images are not accepted as covers. Upload a PNG, JPEG or WebP image."),
                "unsupported_image",
            )
        _refuse(
            _("This file is not a PNG, JPEG or WebP image."),
            "unsupported_image",
        )

    formats = [_PILLOW_FORMATS[image_format]]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            if image.width * image.height > COVER_MAX_PIXELS:
                _refuse_too_many_pixels()
            image.verify()
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.load()
    except Image.DecompressionBombError:
        _refuse_too_many_pixels()
    except FileRejected:
        raise
    except Exception:  # Pillow raises many types on hostile input; any of them is a refusal.
        _refuse(
            _("This image is damaged or incomplete and cannot be used."),
            "damaged_image",
        )
    return image_format


def _refuse_too_many_pixels() -> NoReturn:
    _refuse(
        _("This image is too large: the limit is %(limit)s megapixels."),
        "image_too_large",
        limit=COVER_MAX_PIXELS // 1_000_000,
    )
