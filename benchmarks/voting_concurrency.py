"""1,000 voters casting at once through the real voting view, on PostgreSQL.

Serves the portal with gunicorn (production settings), gives 1,000 voters a logged-in,
recently reauthenticated session, and has each of them load the ballot and submit it
twice at the same moment. Every voter must end with exactly one counted ballot.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench \\
        .venv/bin/python benchmarks/voting_concurrency.py [--voters 1000] [--clients 100]

The database named in DATABASE_URL is dropped and recreated: use a scratch one.
"""

import argparse
import datetime
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = 8765
ENV = {
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
}


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = f"postgres://{parts.netloc}/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)


def prepare(voters: int) -> tuple[int, list[str], list[int]]:
    """Migrate, create the voters and an open election; return session keys."""
    import django

    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpud_portal.settings")
    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from governance.models import BoardSeat, Candidate, Election
    from governance.services import elections
    from members.models import Network, Organisation, Person, Region, Role, User

    call_command("migrate", verbosity=0)
    region = Region.objects.create(slug="bench", name_en="Bench region")
    network = Network.objects.create(
        slug="bench", acronym="BENCH", name_en="Bench network", region=region
    )
    org = Organisation.objects.create(
        network=network,
        slug="bench-org",
        name_en="Bench org",
        country="KE",
        kind="local-group",
        legal_status="registered",
        visibility="public",
    )
    users = User.objects.bulk_create(
        User(email=f"voter{n}@bench.example.org") for n in range(voters)
    )
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    people = Person.objects.bulk_create(
        Person(user=u, display_name=f"Voter {n}", email=u.email) for n, u in enumerate(users)
    )
    today = timezone.localdate() - datetime.timedelta(days=1)
    Role.objects.bulk_create(
        Role(person=p, kind=Role.Kind.VOTING_DELEGATE, organisation=org, starts_on=today)
        for p in people
    )
    Authenticator.objects.bulk_create(
        Authenticator(
            user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt("JBSWY3DPEHPK3PXP")}
        )
        for u in users
    )
    now = timezone.now()
    election = Election.objects.create(
        title_en="Benchmark election",
        network=network,
        seat=BoardSeat.objects.create(network=network),
        method=Election.Method.IRV,
        electorate=Election.Electorate.DELEGATES,
        nominations_open_at=now - datetime.timedelta(days=2),
        nominations_close_at=now - datetime.timedelta(days=1),
        voting_open_at=now - datetime.timedelta(minutes=1),
        voting_close_at=now + datetime.timedelta(hours=2),
        term_starts_on=datetime.date(2030, 1, 1),
        term_ends_on=datetime.date(2031, 12, 31),
    )
    elections.election_transition(election=election, transition="open-nominations")
    for person in people[:3]:
        elections.candidate_nominate(election=election, person=person, nominated_by=person)
    elections.election_transition(election=election, transition="close-nominations")
    elections.election_transition(election=election, transition="open-voting")
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time() + 3600, "reauthenticated": True}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.create()
        keys.append(session.session_key)
    candidates = list(
        Candidate.objects.filter(election=election).order_by("pk").values_list("pk", flat=True)
    )
    return election.pk, keys, candidates


def vote(election_id: int, session_key: str, candidates: list[int]) -> tuple[float, list[int]]:
    """Load the ballot, then submit it twice at once; returns POST latency and statuses."""
    path = f"/en/portal/elections/{election_id}/vote/"
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", path, headers={"Cookie": f"sessionid={session_key}"})
    page = conn.getresponse()
    body = page.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, f"rank_{candidates[0]}": "1", f"rank_{candidates[1]}": "2"}
    )
    headers = {
        "Cookie": f"sessionid={session_key}; csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{PORT}{path}",
    }

    def post():
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        c.request("POST", path, body=form, headers=headers)
        r = c.getresponse()
        text = r.read().decode()
        return r.status, "Your receipt code" in text

    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: post(), range(2)))
    return time.perf_counter() - started, outcomes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    recreate_database(url)
    election_id, keys, candidates = prepare(args.voters)

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "inpud_portal.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ | ENV,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(lambda key: vote(election_id, key, candidates), keys))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(30)

    from governance.models import Ballot, Participation, Receipt

    ballots = Ballot.objects.filter(election_id=election_id).count()
    participations = Participation.objects.filter(election_id=election_id).count()
    receipts = Receipt.objects.filter(election_id=election_id).count()
    latencies = sorted(r[0] for r in results)
    counted = sum(1 for _lat, outcomes in results for _status, ok in outcomes if ok)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    ok = ballots == participations == receipts == counted == args.voters
    p50 = statistics.median(latencies) * 1000
    print(
        f"voting_concurrency: {args.voters} voters x 2 simultaneous submissions, "
        f"{args.clients} clients, {args.workers} gunicorn workers: {elapsed:.1f} s, "
        f"{args.voters / elapsed:.0f} voters/s; submission pair latency p50 {p50:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms; receipts shown {counted}, ballots {ballots}, "
        f"participations {participations}, receipts {receipts} ({'OK' if ok else 'MISMATCH'})"
    )


if __name__ == "__main__":
    main()
