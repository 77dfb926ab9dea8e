"""OAI-PMH 2.0 for the publication library, so library catalogues and aggregators
(BASE, OpenAIRE, WorldCat) can harvest it as unqualified Dublin Core.

The protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html
Only published publications exist here. There are no sets, and withdrawn or deleted
publications are not tracked (deletedRecord "no"), so a harvester simply stops
seeing them.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core import signing
from django.db.models import Min, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from modeltranslation.utils import build_localized_fieldname

from inpud_portal.public_pages import public_page

from .models import Publication, PublicationFile
from .selectors import publications_published

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSI_SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# ElementTree's prefixes are process-wide; these only name the prefixes we emit
# (without them the Dublin Core wrapper would come out as "ns0:dc").
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)

REPOSITORY_NAME = "INPUD publication library"
PUBLISHER = "International Network of People who Use Drugs"
IDENTIFIER_PREFIX = "oai:inpud:"
METADATA_PREFIX = "oai_dc"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
# Stands in for the earliest datestamp while nothing is published: any earlier
# instant is a correct lower bound.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PAGE_SIZE = 100
RESUMPTION_SALT = "publications.oai.resumption-token"

MIME_TYPES = {
    PublicationFile.Format.PDF: "application/pdf",
    PublicationFile.Format.EPUB: "application/epub+zip",
    PublicationFile.Format.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}

# from/until come in the repository's two granularities; [0-9], not \d, which would
# also accept other scripts' digits.
DAY_DATESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECOND_DATESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# Characters XML 1.0 cannot carry at all, not even escaped: a stray control character
# pasted into a summary would otherwise make the whole response unparseable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class VerbArguments:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str = ""  # an argument that must come alone (resumptionToken)


LIST_ARGUMENTS = VerbArguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=frozenset({"identifier"})),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=frozenset({"identifier", "metadataPrefix"})),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
}


@dataclass(frozen=True)
class Harvest:
    """Where a list request stands: its filters and how far it has got.

    Pages follow the primary key rather than an offset, so a publication published,
    edited or withdrawn during a harvest cannot shift the next page and make the
    harvester skip or repeat a record.
    """

    verb: str
    since: datetime | None = None  # inclusive
    before: datetime | None = None  # exclusive
    after_pk: int = 0
    cursor: int = 0  # records sent in earlier responses

    def token(self) -> str:
        return signing.dumps(
            {
                "verb": self.verb,
                "prefix": METADATA_PREFIX,
                "since": self.since.isoformat() if self.since else None,
                "before": self.before.isoformat() if self.before else None,
                "after_pk": self.after_pk,
                "cursor": self.cursor,
            },
            salt=RESUMPTION_SALT,
        )

    @classmethod
    def from_token(cls, token: str, *, verb: str) -> "Harvest":
        invalid = OAIError("badResumptionToken", "The resumption token is invalid.")
        try:
            data = signing.loads(token, salt=RESUMPTION_SALT)
        except signing.BadSignature:
            raise invalid from None
        try:
            if data["verb"] != verb or data["prefix"] != METADATA_PREFIX:
                raise invalid
            return cls(
                verb=verb,
                since=datetime.fromisoformat(data["since"]) if data["since"] else None,
                before=datetime.fromisoformat(data["before"]) if data["before"] else None,
                after_pk=int(data["after_pk"]),
                cursor=int(data["cursor"]),
            )
        except (KeyError, TypeError, ValueError):
            raise invalid from None


@public_page  # public data, so open to a member still setting up MFA
@csrf_exempt  # harvesters POST without a CSRF token, as the protocol allows
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    arguments = request.POST if request.method == "POST" else request.GET
    echoed: dict[str, str] = {}
    try:
        verb, verb_arguments = _validated(arguments)
        echoed = {"verb": verb, **verb_arguments}
        content = HANDLERS[verb](verb, verb_arguments)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            # The protocol: after these two, the request is echoed without attributes.
            echoed = {}
        content = ET.Element("error", code=error.code)
        content.text = _xml_text(error.message)  # may name an argument the client sent
    return _response(echoed=echoed, content=content)


def _validated(arguments: QueryDict) -> tuple[str, dict[str, str]]:
    for name, values in arguments.lists():
        if len(values) > 1:
            if name == "verb":
                raise OAIError("badVerb", "The verb argument is repeated.")
            raise OAIError("badArgument", f"The argument {name} is repeated.")
    verb = arguments.get("verb")
    if verb not in VERBS:
        raise OAIError("badVerb", "The verb argument is missing or not an OAI-PMH verb.")
    given = {name: value for name, value in arguments.items() if name != "verb"}
    expected = VERBS[verb]
    allowed = expected.required | expected.optional
    if expected.exclusive:
        allowed |= {expected.exclusive}
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take {', '.join(unknown)}.")
    if expected.exclusive and expected.exclusive in given:
        if len(given) > 1:
            raise OAIError("badArgument", f"{expected.exclusive} must be the only argument.")
        return verb, given
    missing = sorted(expected.required - set(given))
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}.")
    return verb, given


def _identify(verb: str, arguments: dict[str, str]) -> ET.Element:
    earliest = publications_published().aggregate(earliest=Min("updated_at"))["earliest"]
    element = ET.Element(verb)
    _add(element, "repositoryName", REPOSITORY_NAME)
    _add(element, "baseURL", _base_url())
    _add(element, "protocolVersion", "2.0")
    _add(element, "adminEmail", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    _add(element, "earliestDatestamp", _datestamp(earliest or EPOCH))
    _add(element, "deletedRecord", "no")
    _add(element, "granularity", GRANULARITY)
    return element


def _list_metadata_formats(verb: str, arguments: dict[str, str]) -> ET.Element:
    if "identifier" in arguments:
        _publication(arguments["identifier"], publications_published())
    element = ET.Element(verb)
    metadata_format = ET.SubElement(element, "metadataFormat")
    _add(metadata_format, "metadataPrefix", METADATA_PREFIX)
    _add(metadata_format, "schema", OAI_DC_SCHEMA)
    _add(metadata_format, "metadataNamespace", OAI_DC_NS)
    return element


def _list_sets(verb: str, arguments: dict[str, str]) -> ET.Element:
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "There are no sets, so no token to resume.")
    raise OAIError("noSetHierarchy", "This repository does not support sets.")


def _get_record(verb: str, arguments: dict[str, str]) -> ET.Element:
    _check_metadata_prefix(arguments["metadataPrefix"])
    publication = _publication(arguments["identifier"], _with_metadata(publications_published()))
    element = ET.Element(verb)
    element.append(_record(publication))
    return element


def _list(verb: str, arguments: dict[str, str]) -> ET.Element:
    """ListIdentifiers and ListRecords: up to PAGE_SIZE records and, while the list
    goes on, a token for the next page."""
    if "resumptionToken" in arguments:
        harvest = Harvest.from_token(arguments["resumptionToken"], verb=verb)
    else:
        harvest = _harvest(verb, arguments)
    remaining = publications_published().filter(pk__gt=harvest.after_pk).order_by("pk")
    if harvest.since:
        remaining = remaining.filter(updated_at__gte=harvest.since)
    if harvest.before:
        remaining = remaining.filter(updated_at__lt=harvest.before)
    remaining_count = remaining.count()
    if verb == "ListRecords":
        remaining = _with_metadata(remaining)
    # One more than a page tells whether another page follows.
    page = list(remaining[: PAGE_SIZE + 1])
    if not page:
        raise OAIError("noRecordsMatch", "No publication matches these arguments.")
    goes_on = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    element = ET.Element(verb)
    for publication in page:
        element.append(_header(publication) if verb == "ListIdentifiers" else _record(publication))
    if goes_on or harvest.cursor:
        # The last page of a resumed list carries an empty token: the list is complete.
        token = ET.SubElement(
            element,
            "resumptionToken",
            completeListSize=str(harvest.cursor + remaining_count),
            cursor=str(harvest.cursor),
        )
        if goes_on:
            token.text = Harvest(
                verb=verb,
                since=harvest.since,
                before=harvest.before,
                after_pk=page[-1].pk,
                cursor=harvest.cursor + len(page),
            ).token()
    return element


def _harvest(verb: str, arguments: dict[str, str]) -> Harvest:
    since = until = None
    if "from" in arguments:
        since = _instant(arguments["from"], name="from")
    if "until" in arguments:
        until = _instant(arguments["until"], name="until")
    if since and until:
        if since[1] != until[1]:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if since[0] > until[0]:
            raise OAIError("badArgument", "from must not be later than until.")
    _check_metadata_prefix(arguments["metadataPrefix"])
    if "set" in arguments:
        raise OAIError("noSetHierarchy", "This repository does not support sets.")
    before = None
    if until:
        # Datestamps are shown to the second, so until=10:00:00Z must take in
        # 10:00:00.7 and until=2026-01-31 the whole of that day.
        try:
            before = until[0] + until[1]
        except OverflowError:  # until the end of year 9999: no limit
            before = None
    return Harvest(verb=verb, since=since[0] if since else None, before=before)


def _instant(value: str, *, name: str) -> tuple[datetime, timedelta]:
    """The UTC instant a from/until value starts at, and its granularity."""
    try:
        if DAY_DATESTAMP.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), timedelta(days=1)
        if SECOND_DATESTAMP.fullmatch(value):
            instant = datetime.strptime(value, DATESTAMP_FORMAT).replace(tzinfo=UTC)
            return instant, timedelta(seconds=1)
    except ValueError:
        pass
    raise OAIError("badArgument", f"{name} must be a UTC date, YYYY-MM-DD or {GRANULARITY}.")


def _check_metadata_prefix(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OAIError("cannotDisseminateFormat", f"Only {METADATA_PREFIX} is available.")


def _publication(identifier: str, queryset: QuerySet[Publication]) -> Publication:
    if identifier.startswith(IDENTIFIER_PREFIX):
        slug = identifier.removeprefix(IDENTIFIER_PREFIX)
        publication = queryset.filter(slug=slug).first()
        if publication is not None:
            return publication
    raise OAIError("idDoesNotExist", "No published publication has this identifier.")


def _with_metadata(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    # Two queries per page, however many records it holds.
    return queryset.prefetch_related("themes", "files")


def _header(publication: Publication) -> ET.Element:
    header = ET.Element("header")
    _add(header, "identifier", IDENTIFIER_PREFIX + publication.slug)
    _add(header, "datestamp", _datestamp(publication.updated_at))
    return header


def _record(publication: Publication) -> ET.Element:
    record = ET.Element("record")
    record.append(_header(publication))
    metadata = ET.SubElement(record, "metadata")
    metadata.append(_dublin_core(publication))
    return record


def _dublin_core(publication: Publication) -> ET.Element:
    dc = ET.Element(f"{{{OAI_DC_NS}}}dc", {XSI_SCHEMA_LOCATION: f"{OAI_DC_NS} {OAI_DC_SCHEMA}"})

    def add(name: str, text: str, language: str = "") -> None:
        element = ET.SubElement(dc, f"{{{DC_NS}}}{name}", {XML_LANG: language} if language else {})
        element.text = _xml_text(text)

    # English labels and the English page, whatever language the request came in.
    with translation.override("en"):
        languages = [code for code, _name in settings.LANGUAGES]
        for code in languages:
            # Translation fields are nullable: an untranslated title may be None.
            title = (getattr(publication, build_localized_fieldname("title", code)) or "").strip()
            if title:
                add("title", title, code)
        for author in publication.authors.split(";"):
            if author.strip():
                add("creator", author.strip())
        for theme in publication.themes.all():
            add("subject", theme.name)
        english_first = sorted(languages, key=lambda code: code != settings.LANGUAGE_CODE)
        for code in english_first:
            summary = getattr(publication, build_localized_fieldname("summary", code)) or ""
            if summary.strip():
                add("description", summary.strip(), code)
        add("date", publication.published_on.isoformat())
        add("type", publication.get_kind_display())
        add("publisher", PUBLISHER)
        files = publication.files.all()
        for language in dict.fromkeys(file.language for file in files):
            add("language", language)
        for mime_type in dict.fromkeys(MIME_TYPES.get(file.format) for file in files):
            if mime_type:
                add("format", mime_type)
        add("identifier", settings.SITE_URL + publication.get_absolute_url())
        if publication.doi.strip():
            add("identifier", "https://doi.org/" + _bare_doi(publication.doi))
        if publication.isbn.strip():
            add("identifier", "urn:isbn:" + publication.isbn.strip())
        add("rights", publication.get_licence_display())
    return dc


def _bare_doi(doi: str) -> str:
    # Editors paste DOIs in all their spellings; the identifier wants exactly one.
    doi = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            return doi[len(prefix) :]
    return doi


def _response(*, echoed: dict[str, str], content: ET.Element) -> HttpResponse:
    # The protocol's elements are written unqualified under a default namespace
    # declared by hand: ElementTree would otherwise prefix every one of them.
    root = ET.Element("OAI-PMH", {"xmlns": OAI_NS, XSI_SCHEMA_LOCATION: f"{OAI_NS} {OAI_SCHEMA}"})
    _add(root, "responseDate", _datestamp(timezone.now()))
    request = ET.SubElement(
        root, "request", {name: _xml_text(value) for name, value in echoed.items()}
    )
    request.text = _base_url()
    root.append(content)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _add(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = text
    return element


def _base_url() -> str:
    return settings.SITE_URL + "/oai"


def _datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATESTAMP_FORMAT)


def _xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list,
    "ListRecords": _list,
}
