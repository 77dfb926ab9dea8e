"""The OAI-PMH 2.0 endpoint: every verb, every error, paging and Dublin Core records.

The view is called directly (its URL lives outside the language prefix and is wired
in inpud_portal/urls.py); responses are parsed as XML, not matched as text.
"""

import datetime
import re
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from django.core import signing
from django.test import RequestFactory
from django.utils import translation

from inpud_portal.public_pages import is_public_page
from publications.models import Publication, PublicationFile, Theme
from publications.oai import endpoint

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"oai": OAI, "oai_dc": OAI_DC, "dc": DC}
SITE_URL = "https://portal.inpud.net"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UTC = datetime.UTC

rf = RequestFactory()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "INPUD portal <portal@inpud.net>"


def oai(**arguments) -> ET.Element:
    """GET the endpoint; a list value repeats the argument."""
    response = endpoint(rf.get("/oai", arguments))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return parse(response.content)


def parse(body: bytes) -> ET.Element:
    # The endpoint's own output, not untrusted input.
    return ET.fromstring(body)  # noqa: S314


def error_code(root: ET.Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


def make_publication(slug: str, *, status="published", updated_at=None, **fields) -> Publication:
    fields.setdefault("title_en", f"Publication {slug}")
    publication = Publication.objects.create(
        slug=slug,
        kind=fields.pop("kind", Publication.Kind.REPORT),
        published_on=fields.pop("published_on", datetime.date(2026, 1, 15)),
        status=status,
        **fields,
    )
    if updated_at is not None:
        # update() bypasses auto_now, so a test can choose the datestamp.
        Publication.objects.filter(pk=publication.pk).update(updated_at=updated_at)
        publication.refresh_from_db()
    return publication


def add_file(publication: Publication, language: str, file_format: str) -> PublicationFile:
    return PublicationFile.objects.create(
        publication=publication,
        language=language,
        format=file_format,
        file=f"publications/{publication.slug}-{language}.{file_format}",
        size=1024,
        sha256="0" * 64,
    )


def identifiers(root: ET.Element) -> list[str]:
    return [e.text for e in root.findall(".//oai:header/oai:identifier", NS)]


def resumption_token(root: ET.Element) -> ET.Element | None:
    return root.find("oai:*/oai:resumptionToken", NS)


def harvest(verb: str, **arguments) -> list[ET.Element]:
    """Every response of a list request, following resumption tokens to the end."""
    responses = [oai(verb=verb, **arguments)]
    while (token := resumption_token(responses[-1])) is not None and token.text:
        responses.append(oai(verb=verb, resumptionToken=token.text))
    return responses


@pytest.fixture
def published(db):
    return make_publication("drug-checking-brief")


@pytest.fixture
def draft(db):
    return make_publication("unfinished-report", status="draft", title_en="Not ready yet")


# --- The envelope and the view --------------------------------------------------------


def test_it_wraps_every_response_in_the_oai_pmh_envelope(published):
    root = oai(
        verb="GetRecord", identifier="oai:inpud:drug-checking-brief", metadataPrefix="oai_dc"
    )

    assert root.tag == f"{{{OAI}}}OAI-PMH"
    assert root.get(XSI_SCHEMA_LOCATION) == f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", root.findtext("oai:responseDate", namespaces=NS)
    )
    request = root.find("oai:request", NS)
    assert request.text == f"{SITE_URL}/oai"
    assert request.attrib == {
        "verb": "GetRecord",
        "identifier": "oai:inpud:drug-checking-brief",
        "metadataPrefix": "oai_dc",
    }
    assert [child.tag for child in root] == [
        f"{{{OAI}}}responseDate",
        f"{{{OAI}}}request",
        f"{{{OAI}}}GetRecord",
    ]


def test_it_answers_a_form_encoded_post_like_a_get(published):
    request = rf.post(
        "/oai",
        urlencode({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}),
        content_type="application/x-www-form-urlencoded",
    )

    root = parse(endpoint(request).content)

    assert identifiers(root) == ["oai:inpud:drug-checking-brief"]
    assert root.find("oai:request", NS).get("verb") == "ListIdentifiers"


def test_it_refuses_other_http_methods():
    assert endpoint(rf.put("/oai?verb=Identify")).status_code == 405


def test_it_is_a_public_page_that_harvesters_may_post_to_without_csrf():
    assert is_public_page(endpoint)
    assert endpoint.csrf_exempt is True


# --- Identify, ListMetadataFormats, ListSets --------------------------------------------


def test_it_identifies_the_repository(db):
    make_publication("first", updated_at=datetime.datetime(2025, 3, 4, 5, 6, 7, 800000, UTC))
    make_publication("later", updated_at=datetime.datetime(2025, 9, 1, tzinfo=UTC))
    make_publication(
        "old-draft", status="draft", updated_at=datetime.datetime(2020, 1, 1, tzinfo=UTC)
    )

    identify = oai(verb="Identify").find("oai:Identify", NS)

    assert [(child.tag.removeprefix(f"{{{OAI}}}"), child.text) for child in identify] == [
        ("repositoryName", "INPUD publication library"),
        ("baseURL", f"{SITE_URL}/oai"),
        ("protocolVersion", "2.0"),
        ("adminEmail", "portal@inpud.net"),
        # The earliest published datestamp, to the second: the draft does not count.
        ("earliestDatestamp", "2025-03-04T05:06:07Z"),
        ("deletedRecord", "no"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ]


def test_it_gives_a_lower_bound_as_earliest_datestamp_while_nothing_is_published(draft):
    identify = oai(verb="Identify").find("oai:Identify", NS)

    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "1970-01-01T00:00:00Z"


def test_it_lists_dublin_core_as_its_only_metadata_format(published):
    for arguments in ({}, {"identifier": "oai:inpud:drug-checking-brief"}):
        formats = oai(verb="ListMetadataFormats", **arguments).findall(
            "oai:ListMetadataFormats/oai:metadataFormat", NS
        )

        assert [
            (
                f.findtext("oai:metadataPrefix", namespaces=NS),
                f.findtext("oai:schema", namespaces=NS),
                f.findtext("oai:metadataNamespace", namespaces=NS),
            )
            for f in formats
        ] == [("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)]


@pytest.mark.parametrize("identifier", ["oai:inpud:unfinished-report", "oai:inpud:nothing-here"])
def test_it_lists_no_metadata_formats_for_an_unknown_or_draft_identifier(
    published, draft, identifier
):
    root = oai(verb="ListMetadataFormats", identifier=identifier)

    assert error_code(root) == "idDoesNotExist"
    assert root.find("oai:ListMetadataFormats", NS) is None


def test_it_has_no_sets(published):
    assert error_code(oai(verb="ListSets")) == "noSetHierarchy"
    assert error_code(oai(verb="ListSets", resumptionToken="anything")) == "badResumptionToken"
    for verb in ("ListIdentifiers", "ListRecords"):
        assert error_code(oai(verb=verb, metadataPrefix="oai_dc", set="reports")) == (
            "noSetHierarchy"
        )


# --- ListIdentifiers, ListRecords, GetRecord ------------------------------------------


def test_it_lists_identifiers_of_published_publications_only(published, draft):
    Publication.objects.filter(pk=published.pk).update(
        updated_at=datetime.datetime(2026, 2, 3, 4, 5, 6, 789000, UTC)
    )

    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")

    headers = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert [
        (h.findtext("oai:identifier", namespaces=NS), h.findtext("oai:datestamp", namespaces=NS))
        for h in headers
    ] == [("oai:inpud:drug-checking-brief", "2026-02-03T04:05:06Z")]
    assert root.find(".//oai:metadata", NS) is None
    assert resumption_token(root) is None


def test_it_lists_records_of_published_publications_only(published, draft):
    root = oai(verb="ListRecords", metadataPrefix="oai_dc")

    records = root.findall("oai:ListRecords/oai:record", NS)
    assert [r.findtext("oai:header/oai:identifier", namespaces=NS) for r in records] == [
        "oai:inpud:drug-checking-brief"
    ]
    assert records[0].find("oai:metadata/oai_dc:dc/dc:title", NS).text == (
        "Publication drug-checking-brief"
    )
    assert "Not ready yet" not in ET.tostring(root, encoding="unicode")


def test_it_never_gets_a_draft_record(draft):
    root = oai(verb="GetRecord", identifier="oai:inpud:unfinished-report", metadataPrefix="oai_dc")

    assert error_code(root) == "idDoesNotExist"
    assert root.find("oai:GetRecord", NS) is None


def test_it_gets_a_record_with_each_dublin_core_element(db):
    harm_reduction = Theme.objects.create(
        slug="harm-reduction", name_en="Harm reduction", name_fr="Réduction des risques"
    )
    rights = Theme.objects.create(slug="human-rights", name_en="Human rights")
    publication = make_publication(
        "drug-checking-brief",
        kind=Publication.Kind.TECHNICAL_BRIEF,
        title_en="Drug checking: a technical brief",
        title_fr="L'analyse de produits : note technique",
        title_ar="فحص المواد: موجز تقني",
        summary_en="What peer-led drug checking needs.",
        summary_fr="Ce dont l'analyse de produits a besoin.",
        authors="INPUD; Judy Chang ;",
        published_on=datetime.date(2026, 6, 1),
        licence=Publication.Licence.CC_BY,
        doi="10.5281/zenodo.1234",
        isbn="978-0-00-000000-2",
        updated_at=datetime.datetime(2026, 6, 2, 9, 30, 15, 250000, UTC),
    )
    publication.themes.set([harm_reduction, rights])
    for language, file_format in [("en", "pdf"), ("en", "epub"), ("fr", "pdf"), ("fr", "docx")]:
        add_file(publication, language, file_format)

    root = oai(
        verb="GetRecord", identifier="oai:inpud:drug-checking-brief", metadataPrefix="oai_dc"
    )

    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == (
        "oai:inpud:drug-checking-brief"
    )
    assert record.findtext("oai:header/oai:datestamp", namespaces=NS) == "2026-06-02T09:30:15Z"
    dc = record.find("oai:metadata/oai_dc:dc", NS)
    assert dc.get(XSI_SCHEMA_LOCATION) == (
        f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )

    def values(name):
        return [(e.get(XML_LANG), e.text) for e in dc.findall(f"dc:{name}", NS)]

    assert values("title") == [
        ("en", "Drug checking: a technical brief"),
        ("fr", "L'analyse de produits : note technique"),
        ("ar", "فحص المواد: موجز تقني"),
    ]
    assert values("creator") == [(None, "INPUD"), (None, "Judy Chang")]
    assert sorted(values("subject")) == [(None, "Harm reduction"), (None, "Human rights")]
    assert values("description") == [
        ("en", "What peer-led drug checking needs."),
        ("fr", "Ce dont l'analyse de produits a besoin."),
    ]
    assert values("date") == [(None, "2026-06-01")]
    assert values("type") == [(None, "Technical brief")]
    assert values("publisher") == [(None, "International Network of People who Use Drugs")]
    assert sorted(values("language")) == [(None, "en"), (None, "fr")]
    assert sorted(values("format")) == [
        (None, "application/epub+zip"),
        (None, "application/pdf"),
        (None, DOCX),
    ]
    assert values("identifier") == [
        (None, f"{SITE_URL}/en/publications/drug-checking-brief/"),
        (None, "https://doi.org/10.5281/zenodo.1234"),
        (None, "urn:isbn:978-0-00-000000-2"),
    ]
    assert values("rights") == [(None, "CC BY 4.0")]
    assert {child.tag.removeprefix(f"{{{DC}}}") for child in dc} == {
        "title",
        "creator",
        "subject",
        "description",
        "date",
        "type",
        "publisher",
        "language",
        "format",
        "identifier",
        "rights",
    }


def test_it_leaves_out_what_a_publication_does_not_have(db):
    make_publication("bare", title_en="Only in English", summary_en="", doi="", isbn="")

    dc = oai(verb="GetRecord", identifier="oai:inpud:bare", metadataPrefix="oai_dc").find(
        ".//oai_dc:dc", NS
    )

    assert [e.text for e in dc.findall("dc:title", NS)] == ["Only in English"]
    assert [e.text for e in dc.findall("dc:identifier", NS)] == [
        f"{SITE_URL}/en/publications/bare/"
    ]
    for name in ("description", "subject", "language", "format"):
        assert dc.findall(f"dc:{name}", NS) == []


def test_it_describes_in_english_whatever_language_is_active(db):
    theme = Theme.objects.create(
        slug="hr", name_en="Harm reduction", name_fr="Réduction des risques"
    )
    publication = make_publication("brief", licence=Publication.Licence.RESERVED)
    publication.themes.set([theme])

    with translation.override("fr"):
        dc = oai(verb="GetRecord", identifier="oai:inpud:brief", metadataPrefix="oai_dc").find(
            ".//oai_dc:dc", NS
        )

    assert dc.findtext("dc:subject", namespaces=NS) == "Harm reduction"
    assert dc.findtext("dc:identifier", namespaces=NS) == f"{SITE_URL}/en/publications/brief/"
    assert dc.findtext("dc:rights", namespaces=NS) == "All rights reserved"


@pytest.mark.parametrize(
    "doi", ["10.1234/abc", "https://doi.org/10.1234/abc", "doi:10.1234/abc", " 10.1234/abc "]
)
def test_it_writes_each_doi_spelling_as_one_doi_url(db, doi):
    make_publication("cited", doi=doi)

    dc = oai(verb="GetRecord", identifier="oai:inpud:cited", metadataPrefix="oai_dc").find(
        ".//oai_dc:dc", NS
    )

    assert [e.text for e in dc.findall("dc:identifier", NS)][1:] == ["https://doi.org/10.1234/abc"]


def test_it_drops_characters_xml_cannot_carry(db):
    make_publication("pasted", title_en="Pasted\x0b from Word\x01", summary_en="Line\x0cbreak")

    dc = oai(verb="GetRecord", identifier="oai:inpud:pasted", metadataPrefix="oai_dc").find(
        ".//oai_dc:dc", NS
    )

    assert dc.findtext("dc:title", namespaces=NS) == "Pasted from Word"
    assert dc.findtext("dc:description", namespaces=NS) == "Linebreak"


# --- Paging ---------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_it_pages_250_records_with_resumption_tokens(db, verb):
    for number in range(250):
        make_publication(f"publication-{number:03}")
    make_publication("draft-among-them", status="draft")

    responses = harvest(verb, metadataPrefix="oai_dc")

    assert [len(identifiers(r)) for r in responses] == [100, 100, 50]
    tokens = [resumption_token(r) for r in responses]
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens] == [
        ("0", "250"),
        ("100", "250"),
        ("200", "250"),
    ]
    assert tokens[0].text and tokens[1].text
    assert not tokens[2].text  # an empty token closes the list
    harvested = [i for r in responses for i in identifiers(r)]
    assert sorted(harvested) == [f"oai:inpud:publication-{n:03}" for n in range(250)]
    # A resumed request is echoed with the token alone.
    assert responses[1].find("oai:request", NS).attrib == {
        "verb": verb,
        "resumptionToken": tokens[0].text,
    }


def test_it_sends_no_resumption_token_when_one_response_holds_the_list(db):
    for number in range(100):
        make_publication(f"publication-{number:03}")

    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert len(identifiers(root)) == 100
    assert resumption_token(root) is None


def test_it_neither_skips_nor_repeats_when_records_are_withdrawn_mid_harvest(db):
    for number in range(250):
        make_publication(f"publication-{number:03}")
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    first_page = identifiers(first)
    # Two publications already sent are withdrawn before the harvester comes back:
    # offset paging would then skip two that were never sent.
    Publication.objects.filter(
        slug__in=[i.removeprefix("oai:inpud:") for i in first_page[:2]]
    ).update(status="draft")

    rest = [oai(verb="ListIdentifiers", resumptionToken=resumption_token(first).text)]
    while token := resumption_token(rest[-1]).text:
        rest.append(oai(verb="ListIdentifiers", resumptionToken=token))

    harvested = first_page + [i for r in rest for i in identifiers(r)]
    assert sorted(harvested) == [f"oai:inpud:publication-{n:03}" for n in range(250)]


def test_it_keeps_the_date_range_across_resumed_pages(db):
    january = datetime.datetime(2026, 1, 20, 12, tzinfo=UTC)
    march = datetime.datetime(2026, 3, 20, 12, tzinfo=UTC)
    for number in range(150):
        make_publication(f"publication-{number:03}", updated_at=january if number % 5 else march)

    responses = harvest(
        "ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-01-01", "until": "2026-01-31"}
    )

    assert [len(identifiers(r)) for r in responses] == [100, 20]
    assert resumption_token(responses[0]).get("completeListSize") == "120"
    datestamps = {d.text for r in responses for d in r.findall(".//oai:datestamp", NS)}
    assert datestamps == {"2026-01-20T12:00:00Z"}


# --- from and until -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2026-01-11"}, ["b", "c"]),
        ({"until": "2026-01-10"}, ["a"]),  # the whole of that day
        ({"from": "2026-01-11", "until": "2026-01-11"}, ["b"]),
        # Datestamps are to the second: 12:00:00.5 is 12:00:00Z for from and for until.
        ({"from": "2026-01-10T12:00:00Z", "until": "2026-01-10T12:00:00Z"}, ["a"]),
        ({"from": "2026-01-10T12:00:01Z"}, ["b", "c"]),
        ({"until": "2026-01-12T23:59:59Z"}, ["a", "b", "c"]),
        ({"until": "2026-01-12T23:59:58Z"}, ["a", "b"]),
        ({"until": "9999-12-31"}, ["a", "b", "c"]),
    ],
)
def test_it_filters_by_from_and_until(db, arguments, expected):
    make_publication("a", updated_at=datetime.datetime(2026, 1, 10, 12, 0, 0, 500000, UTC))
    make_publication("b", updated_at=datetime.datetime(2026, 1, 11, tzinfo=UTC))
    make_publication("c", updated_at=datetime.datetime(2026, 1, 12, 23, 59, 59, 900000, UTC))
    make_publication("d", status="draft", updated_at=datetime.datetime(2026, 1, 11, tzinfo=UTC))

    root = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)

    assert sorted(identifiers(root)) == [f"oai:inpud:{slug}" for slug in expected]


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_it_says_when_no_records_match(db, verb):
    make_publication("old", updated_at=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    make_publication("draft", status="draft", updated_at=datetime.datetime(2026, 5, 1, tzinfo=UTC))

    root = oai(verb=verb, metadataPrefix="oai_dc", **{"from": "2026-01-01"})

    assert error_code(root) == "noRecordsMatch"
    assert root.find(f"oai:{verb}", NS) is None


def test_it_says_no_records_match_in_an_empty_library(db):
    assert error_code(oai(verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"


# --- Errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListSets", "set": "reports"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListIdentifiers", "from": "2026-01-01"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:inpud:drug-checking-brief"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "identifier": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "26-01-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01T00:00:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "until": "2026-01-01T00:00:00+01:00",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-02-01",
                "until": "2026-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_datacite"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:inpud:drug-checking-brief",
                "metadataPrefix": "marc21",
            },
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "identifier": "oai:inpud:no-such", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "drug-checking-brief", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:other:drug-checking-brief",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "reports"}, "noSetHierarchy"),
    ],
)
def test_it_reports_each_error_code(published, arguments, code):
    root = oai(**arguments)

    assert error_code(root) == code
    assert root.find("oai:error", NS).text
    # After badVerb and badArgument the request is echoed without its arguments;
    # after any other error, with them.
    request = root.find("oai:request", NS)
    assert request.text == f"{SITE_URL}/oai"
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}
    else:
        assert request.attrib == arguments
    assert [child.tag for child in root][2:] == [f"{{{OAI}}}error"]


def test_it_refuses_a_resumption_token_it_did_not_issue_for_this_list(db):
    for number in range(101):
        make_publication(f"publication-{number:03}")
    token = resumption_token(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    assert oai(verb="ListIdentifiers", resumptionToken=token).find("oai:ListIdentifiers", NS)

    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged = signing.dumps({"verb": "ListIdentifiers", "after_pk": 0, "cursor": 0}, salt="other")

    assert error_code(oai(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=tampered)) == (
        "badResumptionToken"
    )
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=forged)) == "badResumptionToken"


# --- Cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 120])
def test_it_queries_a_constant_number_of_times_per_page(db, django_assert_num_queries, count):
    themes = [Theme.objects.create(slug=f"theme-{n}", name_en=f"Theme {n}") for n in range(2)]
    for number in range(count):
        publication = make_publication(f"publication-{number:03}")
        publication.themes.set(themes)
        add_file(publication, "en", "pdf")
        add_file(publication, "fr", "epub")

    # Remaining count, the page, its themes, its files.
    with django_assert_num_queries(4):
        root = oai(verb="ListRecords", metadataPrefix="oai_dc")

    assert len(root.findall(".//oai:record", NS)) == min(count, 100)
    assert len(root.findall(".//dc:subject", NS)) == 2 * min(count, 100)
