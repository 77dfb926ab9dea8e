"""Nothing that is not public reaches a public page, the sitemap, a search, a feed
or a harvest: every public address is fetched with every person and organisation
made non-public (one of each left public to show the crawl sees real content)."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat

from members.models import Organisation, Person, Visibility

from ..sitemap import whole_sitemap

HIDDEN = "QZXHIDDEN"
SHOWN = "QZXSHOWN"
ELECTED = "QZXELECTED"
LANGS = [code for code, _name in settings.LANGUAGES]
EXTRA_PAGES = [
    "/en/",
    "/en/networks/",
    "/en/board/",
    "/en/meetings/",
    "/en/publications/?q=network",
    "/fr/publications/?q=drogues",
    "/en/publications/feed/",
    "/oai?verb=ListRecords&metadataPrefix=oai_dc",
    "/sitemap.xml",
]


def crawl(client) -> dict[str, str]:
    sitemap = whole_sitemap(client)
    paths = {
        re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    }
    pages = {}
    for path in sorted(paths | set(EXTRA_PAGES)):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = b"".join(response) if response.streaming else response.content
    return {path: body.decode(errors="replace") for path, body in pages.items()}


@pytest.mark.parametrize("level", [Visibility.MEMBERS, Visibility.SECRETARIAT])
def test_no_public_address_shows_a_non_public_record(client, level, db):
    call_command("seed_demo", verbosity=0)
    hidden_name = Concat(Value(f"{HIDDEN} "), F("pk"))
    Organisation.objects.update(
        **{f"name_{lang}": hidden_name for lang in LANGS},
        description_en=hidden_name,
        city=hidden_name,
        visibility=level,
    )
    Person.objects.update(
        display_name=hidden_name, legal_name=hidden_name, bio_en=hidden_name, visibility=level
    )
    elected = _elected_people()
    if level == Visibility.MEMBERS:
        # Standing for election made an elected member's display name public (and
        # only that): their names are marked apart, and must show, never HIDDEN.
        Person.objects.filter(pk__in=elected).update(
            display_name=Concat(Value(f"{ELECTED} "), F("pk"))
        )
    shown_org = Organisation.objects.filter(network__slug="napud").first()
    Organisation.objects.filter(pk=shown_org.pk).update(
        **{f"name_{lang}": SHOWN for lang in LANGS},
        description_en=SHOWN,
        city=SHOWN,
        visibility=Visibility.PUBLIC,
    )
    shown_person = Person.objects.filter(roles__kind="director", roles__network__slug="enpud").get()
    Person.objects.filter(pk=shown_person.pk).update(
        display_name=SHOWN, bio_en=SHOWN, visibility=Visibility.PUBLIC
    )

    pages = crawl(client)

    assert len(pages) > 50
    leaks = [path for path, body in pages.items() if HIDDEN in body]
    assert leaks == [], {
        p: re.findall(r".{80}" + HIDDEN + r".{40}", pages[p], re.S)[:2] for p in leaks[:3]
    }
    assert SHOWN in pages["/en/networks/napud/"]
    assert SHOWN in pages["/en/networks/enpud/"]
    assert SHOWN in pages["/en/board/"]
    named = [path for path, body in pages.items() if ELECTED in body]
    if level == Visibility.MEMBERS:
        assert elected and named
    else:
        assert named == []


def _elected_people() -> list[int]:
    from governance.models import Candidate, Election

    candidates = [
        pk
        for result in Election.objects.filter(status=Election.Status.CERTIFIED).values_list(
            "result", flat=True
        )
        for pk in result["elected"]
    ]
    return list(Candidate.objects.filter(pk__in=candidates).values_list("person", flat=True))
