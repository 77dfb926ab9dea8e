"""Files uploaded in the admin are checked by content and cleaned before storage."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from publications.models import Publication

pytestmark = pytest.mark.django_db


def pdf_with_script() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Real Name"]
    pdf.docinfo["/Author"] = "Real Name"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def form_data(publication, upload):
    return {
        "slug": publication.slug,
        "kind": publication.kind,
        "title_en": publication.title_en,
        "authors": publication.authors,
        "published_on": "2026-06-01",
        "licence": publication.licence,
        "status": "draft",
        "files-TOTAL_FORMS": 1,
        "files-INITIAL_FORMS": 0,
        "files-0-language": "fr",
        "files-0-file": upload,
    }


@pytest.fixture
def publication(db):
    return Publication.objects.create(
        slug="brief", kind="report", title_en="Brief", published_on="2026-06-01"
    )


def test_a_pdf_is_stored_without_scripts_or_author(client, secretariat, publication):
    client.force_login(secretariat)
    upload = SimpleUploadedFile("brief.pdf", pdf_with_script(), content_type="application/pdf")

    response = client.post(
        f"/admin/publications/publication/{publication.pk}/change/", form_data(publication, upload)
    )

    assert response.status_code == 302
    stored = publication.files.get()
    assert stored.format == "pdf" and stored.language == "fr"
    assert "brief" not in stored.file.name  # the server chose the name
    with pikepdf.open(stored.file.path) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/Author" not in pdf.docinfo
        assert "/Metadata" not in pdf.Root


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"<!doctype html><script>alert(1)</script>"),
        ("cover.pdf", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
        ("drawing.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_a_disguised_file_is_refused_with_a_message(
    client, secretariat, publication, name, content
):
    client.force_login(secretariat)

    response = client.post(
        f"/admin/publications/publication/{publication.pk}/change/",
        form_data(publication, SimpleUploadedFile(name, content)),
    )

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["file"]
    assert not publication.files.exists()


def test_a_bad_language_tag_is_refused(client, secretariat, publication):
    client.force_login(secretariat)
    data = form_data(publication, SimpleUploadedFile("b.pdf", pdf_with_script()))
    data["files-0-language"] = "French!"

    response = client.post(f"/admin/publications/publication/{publication.pk}/change/", data)

    assert "language" in response.context["inline_admin_formsets"][0].formset.errors[0]


def test_a_cover_is_stored_without_its_metadata(client, secretariat, publication):
    image = Image.new("RGB", (40, 60), "purple")
    exif = Image.Exif()
    exif[0x013B] = "Photographer Name"  # Artist
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    client.force_login(secretariat)
    data = form_data(publication, "")
    data.update(
        {"files-TOTAL_FORMS": 0, "cover": SimpleUploadedFile("home-address.jpg", raw.getvalue())}
    )
    del data["files-0-language"], data["files-0-file"]

    client.post(f"/admin/publications/publication/{publication.pk}/change/", data)

    publication.refresh_from_db()
    assert "home-address" not in publication.cover.name
    stored = Image.open(publication.cover.path)
    assert 0x013B not in stored.getexif()


def test_a_cover_is_served_while_its_publication_is_published(
    client, secretariat, publication, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    raw = io.BytesIO()
    Image.new("RGB", (40, 60), "purple").save(raw, format="PNG")
    client.force_login(secretariat)
    data = form_data(publication, "")
    data.update({"files-TOTAL_FORMS": 0, "cover": SimpleUploadedFile("c.png", raw.getvalue())})
    del data["files-0-language"], data["files-0-file"]
    client.post(f"/admin/publications/publication/{publication.pk}/change/", data)
    client.logout()
    publication.refresh_from_db()
    Publication.objects.filter(pk=publication.pk).update(status=Publication.Status.PUBLISHED)

    page = client.get(f"/en/publications/{publication.slug}/").content.decode()
    served = client.get(publication.cover_url)

    assert f'<img src="{publication.cover_url}"' in page
    assert f'content="http://testserver{publication.cover_url}"' in page  # og:image
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (40, 60)
    assert client.get(publication.cover.url).status_code == 404  # no public media folder
    Publication.objects.filter(pk=publication.pk).update(status=Publication.Status.DRAFT)
    assert client.get(publication.cover_url).status_code == 404


def test_a_file_over_the_size_limit_is_refused_with_a_message_and_nothing_changes(
    client, secretariat, publication, settings
):
    settings.PUBLICATION_MAX_UPLOAD_BYTES = 1000
    client.force_login(secretariat)
    data = form_data(publication, SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"x" * 5000))
    data["title_en"] = "Renamed while uploading"

    response = client.post(
        f"/admin/publications/publication/{publication.pk}/change/", data, follow=True
    )

    body = response.content.decode()
    assert "too large" in body and "1000" in body.replace("\xa0", " ").replace(",", "")
    assert not publication.files.exists()
    publication.refresh_from_db()
    assert publication.title_en == "Brief"


def test_an_endorsed_resource_is_a_link_not_a_file(client, secretariat, publication):
    client.force_login(secretariat)
    upload = SimpleUploadedFile("brief.pdf", pdf_with_script())
    data = form_data(publication, upload) | {
        "endorsed": "on",
        "external_url": "https://www.unodc.org/some-guidance",
    }

    response = client.post(f"/admin/publications/publication/{publication.pk}/change/", data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "endorsed external resource is a link" in " ".join(formset.non_form_errors())
    assert not publication.files.exists()
    publication.refresh_from_db()
    assert not publication.endorsed
