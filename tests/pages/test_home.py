"""The home page: who INPUD is, the latest publications and statements, the next
public meetings and the member networks, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Meeting
from publications.models import Publication

from ..factories import NetworkFactory


def publication(slug, *, kind=Publication.Kind.REPORT, days_ago=10, status="published", **kw):
    return Publication.objects.create(
        slug=slug,
        kind=kind,
        title_en=kw.pop("title_en", slug.replace("-", " ").title()),
        published_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        status=status,
        **kw,
    )


def meeting(title, *, days_ahead=30, is_public=True, status=Meeting.Status.SCHEDULED):
    starts = timezone.now() + datetime.timedelta(days=days_ahead)
    return Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        is_public=is_public,
        status=status,
    )


def test_it_says_who_inpud_is_in_the_visitors_language(client, home_text):
    body = client.get("/fr/").content.decode()

    assert "Un réseau mondial dirigé par les pairs." in body
    assert ">Qui nous sommes</h2>" in body
    assert ">Vision</h3>" in body
    # The Mission section is only in English so far.
    assert '<span lang="en" dir="ltr">Mission</span>' in body
    assert '<div lang="en" dir="ltr"><p>Bring our voices to decisions.</p></div>' in body
    assert '<meta name="description" content="Un réseau mondial dirigé par les pairs.">' in body


def test_it_hides_the_home_text_while_it_is_a_draft(client, home_text):
    home_text.status = "draft"
    home_text.save()

    body = client.get("/en/").content.decode()

    assert "Who we are" not in body
    assert "A peer-led global network." not in body


def test_it_shows_the_latest_publications_and_statements_but_no_draft(client, db):
    publication("harm-reduction-report", title_en="Harm reduction report", days_ago=5)
    publication("old-report", title_en="Old report", days_ago=4000)
    for n in range(5):
        publication(f"toolkit-{n}", kind=Publication.Kind.TOOLKIT, days_ago=20 + n)
    publication("statement-on-drug-day", kind=Publication.Kind.STATEMENT, title_en="Drug day")
    publication("draft-report", title_en="Unreleased draft", status="draft", days_ago=1)
    publication(
        "draft-statement", kind=Publication.Kind.STATEMENT, title_en="Draft stmt", status="draft"
    )

    response = client.get("/en/")
    body = response.content.decode()

    assert [p.slug for p in response.context["publications"]] == [
        "harm-reduction-report",
        "toolkit-0",
        "toolkit-1",
        "toolkit-2",
    ]
    assert "Old report" not in body  # only the newest four
    assert 'href="/en/publications/harm-reduction-report/"' in body
    assert [p.slug for p in response.context["statements"]] == ["statement-on-drug-day"]
    assert ">Drug day</a>" in body
    assert "Unreleased draft" not in body
    assert "Draft stmt" not in body


def test_it_shows_upcoming_public_meetings_only(client, db):
    meeting("Annual Board Meeting 2027", days_ahead=60)
    meeting("Executive call", days_ahead=10, is_public=False)
    meeting("Cancelled retreat", days_ahead=20, status=Meeting.Status.CANCELLED)
    meeting("Last year's meeting", days_ahead=-300)

    body = client.get("/en/").content.decode()

    assert "Annual Board Meeting 2027" in body
    for hidden in ["Executive call", "Cancelled retreat", "Last year&#x27;s meeting"]:
        assert hidden not in body


def test_it_lists_the_member_networks(client, napud, enpud):
    body = client.get("/en/").content.decode()

    assert 'href="/en/networks/napud/"' in body
    assert 'href="/en/networks/enpud/"' in body


def _rows(count):
    for n in range(Publication.objects.filter(kind="report").count(), count):
        publication(f"report-{n}", days_ago=n + 1)
        publication(f"statement-{n}", kind=Publication.Kind.STATEMENT, days_ago=n + 1)
        meeting(f"Meeting {n}", days_ahead=n + 1)
        NetworkFactory(slug=f"net-{n}", acronym=f"N{n}")


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/en/", "/ar/"])
def test_it_runs_the_same_queries_for_one_row_or_many(client, home_text, path):
    _rows(1)
    with_one = _queries(client, path)
    _rows(30)
    with_many = _queries(client, path)

    assert with_one == with_many
    assert with_many <= 8
