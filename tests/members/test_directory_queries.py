"""List pages run a fixed number of SQL queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Activity, Need

from ..factories import OrganisationFactory


def _orgs(network, count):
    activity = Activity.objects.get_or_create(slug="advocacy", defaults={"name_en": "Advocacy"})[0]
    need = Need.objects.get_or_create(slug="funding", defaults={"name_en": "Funding"})[0]
    existing = network.organisations.count()
    for n in range(existing, count):
        org = OrganisationFactory(
            network=network, slug=f"{network.slug}-org-{n}", visibility=["public", "members"][n % 2]
        )
        org.activities.add(activity)
        org.needs.add(need)


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/en/networks/napud/", "/en/networks/", "/en/", "/fr/networks/napud/"]
)
def test_public_directory_pages_run_constant_queries(client, napud, path):
    _orgs(napud, 10)
    with_10 = _queries(client, path)
    _orgs(napud, 1000)
    with_1000 = _queries(client, path)

    assert with_10 == with_1000
    assert with_1000 <= 8


def test_the_member_directory_runs_constant_queries(client, asia_director, napud):
    client.force_login(asia_director)
    _orgs(napud, 10)
    with_10 = _queries(client, "/en/portal/networks/napud/")
    _orgs(napud, 1000)
    with_1000 = _queries(client, "/en/portal/networks/napud/")

    assert with_10 == with_1000
