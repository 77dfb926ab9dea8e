"""Upload safety: publication files, cover images and the upload size limit.

Every sample file is generated here; nothing binary is committed.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.http import JsonResponse
from django.test import RequestFactory, override_settings
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from publications.file_checks import (
    CheckedFile,
    FileRejected,
    check_cover_image,
    check_publication_file,
    sanitize_pdf,
)
from publications.upload_handlers import SizeLimitedUploadHandler, upload_limit_exceeded

MAX_BYTES = 10 * 1024 * 1024
# PDF strings escape parentheses, so tests search for the script's name only.
SCRIPT = b"steal_identity_now"


def check(data: bytes, max_bytes: int = MAX_BYTES) -> CheckedFile:
    return check_publication_file(data=data, max_bytes=max_bytes)


def rejection(data: bytes, max_bytes: int = MAX_BYTES) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        check(data, max_bytes)
    return caught.value


def text_of(error: FileRejected) -> str:
    return " ".join(error.messages)


# -- PDF samples ---------------------------------------------------------------------------


def make_pdf(build=None, **save_options) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if build:
        build(pdf)
    output = io.BytesIO()
    pdf.save(output, **save_options)
    return output.getvalue()


def javascript(event: str = "open") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(f"steal_identity_now('{event}')"))


def link(pdf: pikepdf.Pdf, action: Dictionary, **extra) -> pikepdf.Object:
    return pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 50, 50], A=action, **extra)
    )


def add_annotations(pdf: pikepdf.Pdf, *annotations) -> None:
    pdf.pages[0].obj.Annots = Array(list(annotations))


def everything_in(content: bytes) -> bytes:
    """Every object of a PDF, decompressed, so a search cannot miss compressed text."""
    parts = []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        parts.append(pdf.trailer.unparse(resolved=True))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                parts.append(obj.stream_dict.unparse(resolved=True))
                parts.append(obj.read_bytes())
            elif isinstance(obj, (Dictionary, Array)):
                parts.append(obj.unparse(resolved=True))
    return b"\n".join(parts)


def test_it_accepts_a_plain_pdf():
    checked = check(make_pdf())

    assert checked.format == "pdf"
    assert checked.size == len(checked.content)
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    with pikepdf.open(io.BytesIO(checked.content)) as pdf:
        assert len(pdf.pages) == 1


def test_it_removes_document_javascript():
    def build(pdf):
        script = pdf.make_indirect(javascript())
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), script])))

    original = make_pdf(build)
    assert SCRIPT in everything_in(original)

    cleaned = sanitize_pdf(original)

    assert SCRIPT not in everything_in(cleaned)
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert Name.JavaScript not in pdf.Root.get(Name.Names, Dictionary())
        assert len(pdf.pages) == 1


def test_it_removes_the_open_action():
    def build(pdf):
        pdf.Root.OpenAction = javascript()

    original = make_pdf(build)
    assert SCRIPT in everything_in(original)

    cleaned = sanitize_pdf(original)

    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert Name.OpenAction not in pdf.Root
    assert SCRIPT not in everything_in(cleaned)


def test_it_removes_automatic_actions_from_catalog_pages_and_annotations():
    def build(pdf):
        pdf.Root.AA = Dictionary(WC=javascript("close"))
        pdf.pages[0].obj.AA = Dictionary(O=javascript("page"))
        note = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Square,
                Rect=[0, 0, 10, 10],
                AA=Dictionary(E=javascript("hover")),
            )
        )
        add_annotations(pdf, note)

    original = make_pdf(build)
    assert everything_in(original).count(SCRIPT) == 3

    cleaned = sanitize_pdf(original)

    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert Name.AA not in pdf.Root
        assert Name.AA not in pdf.pages[0].obj
        assert Name.AA not in pdf.pages[0].obj.Annots[0]
    assert SCRIPT not in everything_in(cleaned)


def test_it_removes_launch_actions_and_script_links_but_keeps_web_links():
    def build(pdf):
        add_annotations(
            pdf,
            link(pdf, Dictionary(S=Name.Launch, F=String("cmd.exe"))),
            link(pdf, Dictionary(S=Name.URI, URI=String(" javascript:steal_identity_now()"))),
            link(pdf, Dictionary(S=Name.GoToR, F=String("\\\\attacker\\share\\x.pdf"), D=[0])),
            link(pdf, Dictionary(S=Name.URI, URI=String("https://inpud.net/en/"))),
        )

    cleaned = sanitize_pdf(make_pdf(build))

    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        actions = [a.get(Name.A) for a in pdf.pages[0].obj.Annots]
        kept = [a for a in actions if a is not None]
        assert len(kept) == 1
        assert kept[0].S == Name.URI
        assert str(kept[0].URI) == "https://inpud.net/en/"
    everything = everything_in(cleaned)
    assert b"cmd.exe" not in everything
    assert b"javascript:" not in everything
    assert b"attacker" not in everything


def test_it_removes_embedded_files_and_attachment_annotations():
    def build(pdf):
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"secret field notes")
        spec = pikepdf.AttachedFileSpec(pdf, b"secret interview", filename="interview.txt")
        attachment = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.FileAttachment,
                Rect=[0, 0, 10, 10],
                FS=spec.obj,
            )
        )
        add_annotations(pdf, attachment)

    original = make_pdf(build)
    assert b"secret interview" in everything_in(original)

    cleaned = sanitize_pdf(original)

    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert len(pdf.attachments) == 0
        annotations = pdf.pages[0].obj.get(Name.Annots, Array())
        assert all(a.get(Name.Subtype) != Name.FileAttachment for a in annotations)
    everything = everything_in(cleaned)
    assert b"secret field notes" not in everything
    assert b"secret interview" not in everything


def test_it_removes_identifying_metadata():
    def build(pdf):
        pdf.docinfo[Name.Author] = "Jane Doe"
        pdf.docinfo[Name.Creator] = "Writer on JANE-LAPTOP"
        pdf.docinfo[Name.Producer] = "Nairobi office printer"
        pdf.docinfo[Name.Title] = "C:\\Users\\jdoe\\Desktop\\draft.docx"
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = ["Jane Doe"]
            meta["xmp:CreatorTool"] = "Writer on JANE-LAPTOP"
        pdf.pages[0].obj.Metadata = pdf.make_stream(b"<x:xmpmeta>Jane Doe, Nairobi</x:xmpmeta>")
        comment = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Text,
                Rect=[0, 0, 10, 10],
                T=String("Jane Doe"),
                Contents=String("Check figures"),
            )
        )
        field = pdf.make_indirect(
            Dictionary(
                Type=Name.Annot, Subtype=Name.Widget, Rect=[20, 20, 80, 30], T=String("email")
            )
        )
        add_annotations(pdf, comment, field)
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))

    original = make_pdf(build)
    assert b"Jane Doe" in everything_in(original)

    cleaned = sanitize_pdf(original)

    everything = everything_in(cleaned)
    for identifying in (b"Jane Doe", b"JANE-LAPTOP", b"Nairobi", b"jdoe"):
        assert identifying not in everything
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert Name.Info not in pdf.trailer
        assert Name.Metadata not in pdf.Root
        assert Name.Metadata not in pdf.pages[0].obj
        assert str(pdf.pages[0].obj.Annots[1].T) == "email"  # form field names survive
        assert len(pdf.pages) == 1


def jpeg_with_camera_data() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Jane Doe"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90°, as phones write it
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"  # GPSLatitudeRef
    gps[2] = (1.0, 17.0, 0.0)  # GPSLatitude
    output = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(output, "JPEG", exif=exif, comment=b"shot by Jane Doe")
    return output.getvalue()


def test_it_removes_camera_data_from_pictures_in_pdfs():
    photo = jpeg_with_camera_data()
    assert b"Jane Doe" in photo

    def build(pdf):
        image = pikepdf.Stream(
            pdf,
            b"",
            Type=Name.XObject,
            Subtype=Name.Image,
            Width=16,
            Height=16,
            ColorSpace=Name.DeviceRGB,
            BitsPerComponent=8,
        )
        image.write(photo, filter=Name.DCTDecode)
        page = pdf.pages[0].obj
        page.Resources = Dictionary(XObject=Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 100 0 0 100 0 0 cm /Im0 Do Q")

    cleaned = sanitize_pdf(make_pdf(build))

    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        picture = pdf.pages[0].obj.Resources.XObject.Im0.read_raw_bytes()
    assert b"Jane Doe" not in picture
    with Image.open(io.BytesIO(picture)) as image:
        assert dict(image.getexif()) == {0x0112: 6}  # only the orientation is kept
        image.load()
        assert image.size == (16, 16)


def test_it_gives_the_cleaned_pdf_a_fresh_document_id():
    original = make_pdf()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        original_id = {bytes(part) for part in pdf.trailer.ID}

    with pikepdf.open(io.BytesIO(sanitize_pdf(original))) as pdf:
        assert not original_id & {bytes(part) for part in pdf.trailer.ID}


def test_it_refuses_a_password_protected_pdf():
    protected = make_pdf(encryption=pikepdf.Encryption(user="secret", owner="secret"))

    assert rejection(protected).code == "encrypted_pdf"


def test_it_refuses_a_damaged_pdf():
    assert rejection(b"%PDF-1.7\n" + b"\x00" * 200).code == "damaged_pdf"


# -- Files that are not publications ------------------------------------------------------


def test_it_refuses_html_renamed_pdf():
    error = rejection(b"<!DOCTYPE html><html><body><script>steal()</script></body></html>")

    assert error.code == "unsupported_type"
    assert "web page" in text_of(error)


def test_it_refuses_a_png_signature_followed_by_html():
    error = rejection(b"\x89PNG\r\n\x1a\n<html><script>steal()</script></html>")

    assert error.code == "unsupported_type"


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>steal()</script></svg>',
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
    ],
)
def test_it_refuses_svg(svg):
    error = rejection(svg)

    assert error.code == "unsupported_type"
    assert "SVG" in text_of(error)


@pytest.mark.parametrize("program", [b"MZ\x90\x00" + b"\x00" * 60, b"\x7fELF\x02\x01\x01"])
def test_it_refuses_an_executable(program):
    error = rejection(program)

    assert error.code == "unsupported_type"
    assert "program" in text_of(error)


def test_it_refuses_an_empty_file():
    assert rejection(b"").code == "empty"


def test_it_refuses_a_file_over_the_limit():
    error = rejection(make_pdf(), max_bytes=100)

    assert error.code == "too_large"
    assert "100" in text_of(error)


# -- EPUB and DOCX samples ----------------------------------------------------------------

CONTAINER = b"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf"
    media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
PACKAGE = b"""<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>Peer guide</dc:title>
    <dc:language>en</dc:language></metadata>
  <manifest><item id="c1" href="chapter.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="c1"/></spine>
</package>"""
CHAPTER = b"""<?xml version="1.0"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head>
<body><p>Harm reduction saves lives.</p></body></html>"""


def make_epub(*, extra=None, mimetype_first=True, container=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as epub:
        if mimetype_first:
            epub.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        if container:
            epub.writestr("META-INF/container.xml", CONTAINER)
        epub.writestr("OEBPS/content.opf", PACKAGE)
        epub.writestr("OEBPS/chapter.xhtml", CHAPTER)
        for name, content in (extra or {}).items():
            epub.writestr(name, content)
        if not mimetype_first:
            epub.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
PACKAGE_RELATIONSHIPS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
<Relationship Id="rId2" Target="docProps/core.xml"
 Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/>
</Relationships>"""
DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<w:body><w:p><w:hyperlink r:id="rId1"><w:r><w:t>Harm reduction saves lives.</w:t></w:r>
</w:hyperlink></w:p></w:body></w:document>"""
HYPERLINK = (
    b'<Relationship Id="rId1" TargetMode="External" Target="https://inpud.net/"'
    b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
)
CORE_PROPERTIES = b"""<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties
 xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator>Jane Doe</dc:creator><cp:lastModifiedBy>Jane Doe</cp:lastModifiedBy>
</cp:coreProperties>"""


def relationships(*tags: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + b"".join(tags)
        + b"</Relationships>"
    )


def make_docx(*, extra=None, replace=None) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELATIONSHIPS,
        "word/document.xml": DOCUMENT,
        "word/_rels/document.xml.rels": relationships(HYPERLINK),
        "docProps/core.xml": CORE_PROPERTIES,
    }
    parts.update(replace or {})
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        for name, content in parts.items():
            docx.writestr(name, content)
    return buffer.getvalue()


def entries_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def patch_entry(data: bytes, name: str, *, central: int, local: int, value: bytes) -> bytes:
    """Overwrite bytes at an offset of one entry's central and local headers."""
    patched = bytearray(data)
    encoded = name.encode()
    position = patched.find(b"PK\x01\x02")
    while patched[position + 46 : position + 46 + len(encoded)] != encoded:
        position = patched.find(b"PK\x01\x02", position + 4)
    patched[position + central : position + central + len(value)] = value
    (local_header,) = struct.unpack_from("<I", patched, position + 42)
    patched[local_header + local : local_header + local + len(value)] = value
    return bytes(patched)


def test_it_accepts_a_minimal_epub():
    checked = check(make_epub())

    assert checked.format == "epub"
    assert checked.content[30:58] == b"mimetypeapplication/epub+zip"
    with zipfile.ZipFile(io.BytesIO(checked.content)) as epub:
        first = epub.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert epub.read("OEBPS/chapter.xhtml") == CHAPTER
        assert {info.date_time for info in epub.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_it_refuses_an_epub_without_the_mimetype_first():
    assert rejection(make_epub(mimetype_first=False)).code == "invalid_epub"


def test_it_refuses_an_epub_whose_mimetype_is_compressed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as epub:
        epub.writestr("mimetype", "application/epub+zip")
        epub.writestr("META-INF/container.xml", CONTAINER)
        epub.writestr("OEBPS/content.opf", PACKAGE)

    assert rejection(buffer.getvalue()).code == "invalid_epub"


def test_it_refuses_an_epub_without_its_container():
    assert rejection(make_epub(container=False)).code == "invalid_epub"


@pytest.mark.parametrize(
    "chapter",
    [
        b"<html><body><script>fetch('https://tracker.example/')</script></body></html>",
        b'<html><body onload="track()"><p>Hi</p></body></html>',
        b'<html><body><a href="javascript:track()">Hi</a></body></html>',
    ],
)
def test_it_refuses_an_epub_with_scripts(chapter):
    error = rejection(make_epub(extra={"OEBPS/extra.xhtml": chapter}))

    assert error.code == "active_content"


def test_it_accepts_a_minimal_docx_and_removes_its_authors():
    docx = make_docx(extra={"word/media/image1.jpeg": jpeg_with_camera_data()})
    assert sum(b"Jane Doe" in part for part in entries_of(docx).values()) == 2

    checked = check(docx)

    assert checked.format == "docx"
    parts = entries_of(checked.content)
    assert parts["word/document.xml"] == DOCUMENT
    assert HYPERLINK in parts["word/_rels/document.xml.rels"]
    assert not [name for name, part in parts.items() if b"Jane Doe" in part]
    with Image.open(io.BytesIO(parts["word/media/image1.jpeg"])) as picture:
        picture.load()


@pytest.mark.parametrize(
    "macros",
    [
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 macro"},
        {
            "[Content_Types].xml": CONTENT_TYPES.replace(
                b"document.main+xml", b"document.macroEnabled.main+xml"
            )
        },
    ],
)
def test_it_refuses_a_docx_with_macros(macros):
    error = rejection(make_docx(replace=macros))

    assert error.code == "active_content"
    assert "macros" in text_of(error)


def test_it_refuses_a_docx_linked_to_a_remote_template():
    remote = (
        b'<Relationship Id="rId9" TargetMode="External" Target="https://evil.example/t.dotm"'
        b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"/>'
    )
    docx = make_docx(extra={"word/_rels/document.xml.rels": relationships(HYPERLINK, remote)})

    assert rejection(docx).code == "active_content"


def test_it_removes_the_link_to_the_authors_local_template():
    template = (
        b'<Relationship Id="rId1" TargetMode="External"'
        b' Target="file:///C:\\Users\\janedoe\\Templates\\INPUD.dotx" Type="http://schemas'
        b'.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
    )
    settings = (
        b'<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<w:attachedTemplate r:id="rId1"/><w:defaultTabStop w:val="720"/></w:settings>'
    )
    docx = make_docx(
        extra={
            "word/settings.xml": settings,
            "word/_rels/settings.xml.rels": relationships(template),
        }
    )

    parts = entries_of(check(docx).content)

    assert b"janedoe" not in parts["word/_rels/settings.xml.rels"]
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"defaultTabStop" in parts["word/settings.xml"]


@pytest.mark.parametrize(
    "review",
    [
        {
            "word/document.xml": DOCUMENT.replace(
                b"<w:r>", b'<w:ins w:id="1" w:author="Jane Doe"><w:r>', 1
            ).replace(b"</w:r>", b"</w:r></w:ins>", 1)
        },
        {
            "word/comments.xml": b'<w:comments xmlns:w="x"><w:comment w:id="0"'
            b' w:author="Jane Doe"><w:p/></w:comment></w:comments>'
        },
    ],
)
def test_it_refuses_a_docx_with_comments_or_tracked_changes(review):
    assert rejection(make_docx(replace=review)).code == "review_traces"


@pytest.fixture(scope="module")
def zip_bomb_docx() -> bytes:
    """A DOCX whose document is 300 MB of zeros, compressed to a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", CONTENT_TYPES)
        with docx.open("word/document.xml", "w") as entry:
            megabyte = bytes(1024 * 1024)
            for _ in range(300):
                entry.write(megabyte)
    return buffer.getvalue()


def test_it_refuses_a_zip_bomb_disguised_as_docx_without_extracting_it(zip_bomb_docx, monkeypatch):
    assert len(zip_bomb_docx) < 1024 * 1024

    def extracting(*args, **kwargs):
        raise AssertionError("the bomb was opened for extraction")

    monkeypatch.setattr(zipfile.ZipFile, "open", extracting)

    assert rejection(zip_bomb_docx).code == "archive_bomb"


def test_it_refuses_an_entry_compressed_beyond_the_ratio_limit():
    docx = make_docx(extra={"word/media/padding.bin": bytes(20 * 1024 * 1024)})

    assert rejection(docx).code == "archive_bomb"


def test_it_refuses_an_archive_whose_sizes_lie():
    big_document = DOCUMENT.replace(b"Harm reduction saves lives.", b"lives " * 50_000)
    docx = make_docx(replace={"word/document.xml": big_document})
    lying = patch_entry(
        docx, "word/document.xml", central=24, local=22, value=struct.pack("<I", 1000)
    )

    assert rejection(lying).code == "damaged_archive"


def test_it_refuses_an_archive_with_a_wrong_checksum():
    docx = make_docx()
    corrupted = patch_entry(
        docx, "word/document.xml", central=16, local=14, value=struct.pack("<I", 1234)
    )

    assert rejection(corrupted).code == "damaged_archive"


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "/etc/passwd", "word\\..\\..\\evil"])
def test_it_refuses_a_zip_with_unsafe_paths(name):
    docx = make_docx(extra={name: b"x"})
    assert name in entries_of(docx)

    assert rejection(docx).code == "unsafe_archive"


def test_it_refuses_encrypted_entries():
    docx = make_docx()
    encrypted = patch_entry(docx, "word/document.xml", central=8, local=6, value=b"\x01\x00")

    assert rejection(encrypted).code == "unsafe_archive"


@pytest.mark.parametrize(
    "nested",
    [
        {"word/media/inner.zip": b"anything"},
        {"word/media/image1.png": make_docx()},
        {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"chart data"},
    ],
)
def test_it_refuses_nested_archives_and_embedded_objects(nested):
    assert rejection(make_docx(extra=nested)).code == "unsafe_archive"


def test_it_refuses_too_many_entries_before_parsing_the_directory(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", CONTENT_TYPES)
        docx.writestr("word/document.xml", DOCUMENT)
        for number in range(10_000):
            docx.writestr(f"word/media/{number}.txt", b"")

    def parsing(*args, **kwargs):
        raise AssertionError("zipfile parsed the whole central directory")

    monkeypatch.setattr(zipfile, "ZipFile", parsing)

    assert rejection(buffer.getvalue()).code == "archive_bomb"


def test_it_refuses_a_plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    assert rejection(buffer.getvalue()).code == "unsupported_type"


# -- Cover images -------------------------------------------------------------------------


def image_bytes(pillow_format: str, size=(40, 60)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, pillow_format)
    return output.getvalue()


@pytest.mark.parametrize(
    ("pillow_format", "expected"), [("PNG", "png"), ("JPEG", "jpeg"), ("WEBP", "webp")]
)
def test_it_accepts_real_cover_images(pillow_format, expected):
    data = image_bytes(pillow_format)

    assert check_cover_image(data=data, max_bytes=MAX_BYTES) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
            "unsupported_image",
        ),
        (image_bytes("GIF"), "unsupported_image"),
        (image_bytes("PNG")[:-40], "damaged_image"),
        (b"\x89PNG\r\n\x1a\n<html><script>x()</script></html>", "damaged_image"),
        (image_bytes("JPEG")[:200], "damaged_image"),
        (b"", "empty"),
    ],
    ids=["svg", "gif", "truncated-png", "png-then-html", "truncated-jpeg", "empty"],
)
def test_it_refuses_bad_cover_images(data, code):
    with pytest.raises(FileRejected) as caught:
        check_cover_image(data=data, max_bytes=MAX_BYTES)

    assert caught.value.code == code


def test_it_refuses_cover_images_over_the_size_limit():
    with pytest.raises(FileRejected) as caught:
        check_cover_image(data=image_bytes("PNG"), max_bytes=10)

    assert caught.value.code == "too_large"


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_it_refuses_cover_images_over_50_megapixels():
    with pytest.raises(FileRejected) as caught:
        check_cover_image(data=png_header_only(8000, 8000), max_bytes=MAX_BYTES)

    assert caught.value.code == "image_too_large"


# -- Upload size limit --------------------------------------------------------------------


def upload_view(request):
    """A throwaway view: what would a form see of this upload?"""
    uploaded = request.FILES.get("file")
    return JsonResponse(
        {
            "title": request.POST.get("title"),
            "received": uploaded.read().decode() if uploaded else None,
            "too_large": upload_limit_exceeded(request),
        }
    )


class RecordingHandler(FileUploadHandler):
    """Stands for the handlers after the size limit: counts the file bytes it gets."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_request(size: int):
    upload = SimpleUploadedFile("guide.pdf", b"x" * size, content_type="application/pdf")
    request = RequestFactory().post("/upload/", {"title": "Peer guide", "file": upload})
    request.upload_handlers = [
        SizeLimitedUploadHandler(request),
        RecordingHandler(request),
        MemoryFileUploadHandler(request),
        TemporaryFileUploadHandler(request),
    ]
    return request


def bytes_passed_on(request) -> int:
    return request.upload_handlers[1].received


def unread_bytes(request) -> int:
    return len(request.META["wsgi.input"])  # FakePayload: what the parser never read


@override_settings(PUBLICATION_MAX_UPLOAD_BYTES=1000)
def test_it_lets_an_upload_within_the_limit_through_unchanged():
    request = upload_request(1000)

    response = upload_view(request)

    assert json.loads(response.content) == {
        "title": "Peer guide",
        "received": "x" * 1000,
        "too_large": False,
    }
    assert bytes_passed_on(request) == 1000


@override_settings(PUBLICATION_MAX_UPLOAD_BYTES=1000)
def test_it_stops_an_upload_that_passes_the_limit_while_arriving():
    request = upload_request(1001)

    response = upload_view(request)

    assert json.loads(response.content) == {
        "title": "Peer guide",
        "received": None,
        "too_large": True,
    }
    assert bytes_passed_on(request) <= 1000


# A limit above the parser's 64 KB chunks: only the Content-Length check can stop this
# upload before its first chunk reaches the next handlers.
@override_settings(PUBLICATION_MAX_UPLOAD_BYTES=200_000)
def test_it_stops_an_upload_with_a_large_content_length_before_reading_it():
    request = upload_request(3 * 1024 * 1024)
    body_size = int(request.META["CONTENT_LENGTH"])

    response = upload_view(request)

    assert json.loads(response.content)["too_large"] is True
    assert json.loads(response.content)["received"] is None
    # Not one byte of the file reached the next handlers, and of the 3 MB body only
    # the parser's first read-ahead chunk was taken.
    assert bytes_passed_on(request) == 0
    assert unread_bytes(request) > body_size - 256 * 1024
