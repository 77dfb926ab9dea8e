"""An attacker who copies everything the server keeps, with the order people voted in.

Thirty voters vote through the real ballot page of a sealed election. While voting
is open the attacker takes a pg_dump, a copy of the Redis data and the WAL written
since voting opened (raw segments and pg_waldump's decoding); after the close, with
another transaction holding an old snapshot across it, they read the tables again,
dead row versions included (pageinspect). Every way they try (row order, ctid, xmin,
WAL records) links no voter to a ballot or a receipt code beyond chance.

Each voter casts a different ranking and gets a different code, so a guess is right
only when it names that voter's own ballot: by chance about 1 guess in 30 is.
"""

import itertools
import os
import random
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from governance.models import ElectionTrustee, Participation, SealedBallot
from governance.services import elections as services
from governance.services import sealing
from members.models import Role

from ..factories import PASSWORD, OrganisationFactory, enable_totp, person_with_role
from .conftest import make_election, standing_ids
from .test_general_meeting_logins import code_for, period_with_time_left

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

VOTERS = 30
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# Right guesses out of 30 that chance alone exceeds less than once in a thousand
# runs (the number of fixed points of a random order is about Poisson(1)).
CHANCE = 5


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def right_guesses(truth: list, guessed: list) -> int:
    return sum(1 for a, b in zip(truth, guessed, strict=False) if a == b)


def ctid_order(table: str, election_id: int, column: str) -> list:
    query = f"SELECT ctid::text, {column} FROM {table} WHERE election_id = %s"  # noqa: S608
    rows = sql(query, [election_id])

    def block_and_offset(ctid):
        block, offset = ctid.strip("()").split(",")
        return int(block), int(offset)

    return [value for _ctid, value in sorted(rows, key=lambda row: block_and_offset(row[0]))]


def relfilenode(table: str) -> str:
    return str(sql("SELECT pg_relation_filenode(%s)", [table])[0][0])


def wal_records(start_lsn: str) -> list[str]:
    # No end: pg_waldump reads to the last record written and then says it found
    # no more (a non-zero exit), which is the point here.
    run = subprocess.run(
        [
            str(PG_BIN / "pg_waldump"),
            "--path",
            "/var/lib/postgresql/15/main/pg_wal",
            "--start",
            start_lsn,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout, run.stderr
    return run.stdout.splitlines()


def wal_raw(start_lsn: str) -> bytes:
    """The raw WAL segments written since `start_lsn`, as an archive would keep them."""
    first = sql("SELECT pg_walfile_name(%s)", [start_lsn])[0][0]
    last = sql("SELECT pg_walfile_name(pg_current_wal_flush_lsn())")[0][0]
    folder = Path("/var/lib/postgresql/15/main/pg_wal")
    names = sorted(p.name for p in folder.iterdir() if re.fullmatch(r"[0-9A-F]{24}", p.name))
    return b"".join((folder / n).read_bytes() for n in names if first <= n <= last)


def inserts_by_xid(records: list[str], node: str) -> list[tuple[int, str]]:
    """(xid, block/offset) of every heap insert into the relation, in WAL order."""
    db_oid = str(sql("SELECT oid FROM pg_database WHERE datname = current_database()")[0][0])
    found = []
    for line in records:
        if "rmgr: Heap " not in line or "INSERT" not in line:
            continue
        if f"rel 1663/{db_oid}/{node} " not in line + " ":
            continue
        xid = int(re.search(r"tx:\s+(\d+)", line).group(1))
        offset = re.search(r"off:? (\d+)", line)
        block = re.search(r"blk (\d+)", line)
        found.append((xid, f"{block and block.group(1)}/{offset and offset.group(1)}"))
    return found


@pytest.fixture
def voters(napud):
    people = []
    for n in range(VOTERS):
        org = OrganisationFactory(network=napud, slug=f"napud-voter-{n}")
        person = person_with_role(
            Role.Kind.VOTING_DELEGATE, organisation=org, display_name=f"Voter {n}"
        )
        person.totp_secret = enable_totp(person.user)
        people.append(person)
    return people


def test_no_copy_of_the_server_links_a_voter_to_a_ballot_or_receipt(
    request, client, napud_seat, voters
):
    rng = random.Random()
    # 1. A sealed instant-runoff election: four candidates, three trustees, two open.
    election = make_election(napud_seat, trustee_threshold=2)
    trustees = voters[-3:]
    keys = []
    for person in trustees:
        trustee = ElectionTrustee.objects.create(election=election, person=person)
        keys.append(sealing.trustee_key_collect(trustee=trustee))
    services.election_transition(election=election, transition="open-nominations")
    for person in voters[:4]:
        services.candidate_nominate(election=election, person=person, nominated_by=person)
    services.election_transition(election=election, transition="close-nominations")
    # A replication slot keeps every WAL segment from here on, as an archive would:
    # checkpoints (other databases of the cluster write too) must not recycle them.
    slot = f"sealed_attack_{os.getpid()}"
    opening_lsn = sql(
        "SELECT lsn::text FROM pg_create_physical_replication_slot(%s, true)", [slot]
    )[0][0]
    request.addfinalizer(lambda: sql("SELECT pg_drop_replication_slot(%s)", [slot]))
    services.election_transition(election=election, transition="open-voting")
    ids = standing_ids(election)

    # 2. Thirty voters in a random order, each with a ranking no one else casts.
    rankings = [
        list(order)
        for size in (1, 2, 3, 4)
        for subset in itertools.permutations(ids, size)
        for order in [subset]
    ]
    rankings = rng.sample(rankings, VOTERS)
    order = rng.sample(voters, VOTERS)
    cast, codes = [], []
    for person, ranking in zip(order, rankings, strict=True):
        client.force_login(person.user)
        client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
        client.post(
            "/en/accounts/2fa/reauthenticate/", {"code": code_for(person, period_with_time_left())}
        )
        form = {f"rank_{pk}": str(rank) for rank, pk in enumerate(ranking, start=1)}
        page = client.post(f"/en/portal/elections/{election.pk}/vote/", form, follow=True)
        assert "receipt" in page.context, page.content.decode()[:2000]
        cast.append(ranking)
        codes.append(page.context["receipt"]["code"])
        client.logout()
    assert len(set(codes)) == VOTERS

    # 3. While voting is open: a pg_dump, the Redis data and the WAL since opening.
    dump = subprocess.run(
        [
            str(PG_BIN / "pg_dump"),
            "--data-only",
            "-h",
            settings.DATABASES["default"]["HOST"] or "127.0.0.1",
            "-U",
            settings.DATABASES["default"]["USER"],
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    cache = redis.Redis.from_url(settings.REDIS_URL)
    redis_copy = b"".join(
        key + b"=" + (cache.dump(key) or b"") for key in cache.scan_iter(count=1000)
    )
    records = wal_records(opening_lsn)
    raw_wal = wal_raw(opening_lsn)

    # Nothing readable: no receipt code and no ranking anywhere.
    for code in codes:
        assert code not in dump
        assert code.encode() not in redis_copy
        assert code.encode() not in raw_wal
    assert sql("SELECT count(*) FROM governance_ballot WHERE election_id = %s", [election.pk]) == [
        (0,)
    ]
    assert sql("SELECT count(*) FROM governance_receipt WHERE election_id = %s", [election.pk]) == [
        (0,)
    ]
    assert not inserts_by_xid(records, relfilenode("governance_ballot"))
    assert not inserts_by_xid(records, relfilenode("governance_receipt"))
    sizes = Counter(len(bytes(s)) for s in SealedBallot.objects.values_list("sealed", flat=True))
    assert list(sizes.values()) == [VOTERS]
    # The attacker does link participation to sealed rows (same xid in the WAL, same
    # position in the table): what they get is a sealed box of one size.
    participations = inserts_by_xid(records, relfilenode("governance_participation"))
    sealed_inserts = inserts_by_xid(records, relfilenode("governance_sealedballot"))
    assert len(participations) == len(sealed_inserts) == VOTERS
    # Each is written in its voter's transaction, next to the participation: the
    # attacker pairs them one to one, and holds a sealed box of one size per voter.

    # VACUUM FULL gives the tables new files: the WAL names the ones written to.
    nodes = {t: relfilenode(t) for t in ("governance_ballot", "governance_receipt")}

    # 4. Another transaction holds an old snapshot across the close and the count.
    from django.db import connections

    old = connections.create_connection("default")
    with old.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT count(*) FROM governance_election")
    try:
        services.election_transition(election=election, transition="close-voting")
        assert not sealing.trustee_key_enter(
            trustee=ElectionTrustee.objects.get(election=election, person=trustees[0]),
            key=keys[0],
        )
        assert sealing.trustee_key_enter(
            trustee=ElectionTrustee.objects.get(election=election, person=trustees[2]),
            key=keys[2],
        )

        # 5. The attacker tries every order the database and the WAL keep.
        sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        guesses = {
            "ballot row order": [
                c
                for (c,) in sql(
                    "SELECT choices FROM governance_ballot WHERE election_id = %s", [election.pk]
                )
            ],
            "ballot ctid": ctid_order("governance_ballot", election.pk, "choices"),
            "ballot xmin": [
                c
                for _x, c in sorted(
                    sql(
                        "SELECT xmin::text::bigint, choices FROM governance_ballot "
                        "WHERE election_id = %s",
                        [election.pk],
                    )
                )
            ],
        }
        receipt_guesses = {
            "receipt row order": [
                c
                for (c,) in sql(
                    "SELECT code FROM governance_receipt WHERE election_id = %s", [election.pk]
                )
            ],
            "receipt ctid": ctid_order("governance_receipt", election.pk, "code"),
        }
        after = wal_records(opening_lsn)
        ballot_wal = inserts_by_xid(after, nodes["governance_ballot"])
        receipt_wal = inserts_by_xid(after, nodes["governance_receipt"])
        # Every plain row was written by the one opening transaction, none during the vote.
        assert len({x for x, _ in ballot_wal}) == 1 and len(ballot_wal) >= VOTERS
        assert {x for x, _ in ballot_wal} == {x for x, _ in receipt_wal}
        assert min(x for x, _ in ballot_wal) > max(x for x, _ in sealed_inserts)
        # Dead row versions kept for the old snapshot are sealed boxes, never plain.
        for table in ("governance_ballot", "governance_receipt"):
            pages = sql(f"SELECT pg_relation_size('{table}') / 8192")[0][0]
            dead_xmins = set()
            for block in range(pages):
                for (xmin,) in sql(
                    "SELECT t_xmin::text FROM heap_page_items(get_raw_page(%s, %s))",
                    [table, block],
                ):
                    if xmin is not None:
                        dead_xmins.add(int(xmin))
            assert not dead_xmins & {x for x, _ in participations}
    finally:
        old.rollback()
        old.close()

    for name, guessed in guesses.items():
        assert right_guesses(cast, guessed) <= CHANCE, name
    for name, guessed in receipt_guesses.items():
        assert right_guesses(codes, guessed) <= CHANCE, name

    # 6. The count equals an independent recount of what the voters cast.
    election.refresh_from_db()
    assert election.status == election.Status.TALLIED
    stored = sorted(map(tuple, election.ballots.values_list("choices", flat=True)))
    assert stored == sorted(map(tuple, cast))
    assert sorted(election.receipts.values_list("code", flat=True)) == sorted(codes)
    first_round = Counter(str(r[0]) for r in cast)
    counted = {pk: c["exact"] for pk, c in election.result["rounds"][0]["counts"].items()}
    assert {pk: int(v) for pk, v in counted.items() if v != "0"} == dict(first_round)
    assert election.result == services.election_count(election=election)
    assert Participation.objects.filter(election=election).count() == VOTERS
