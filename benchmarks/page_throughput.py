"""Public pages under load: gunicorn (production profile, PostgreSQL, Redis cache)
loaded with wrk on loopback, beside two ceilings served by the same gunicorn settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_pages \\
    REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/page_throughput.py [--scale 1] [--duration 10] \\
        [--connections 32] [--profiles cached,uncached,members]

Seeds the demo data plus 1,000 x scale organisations, 10,000 x scale publications and
500 network directors (each with a session, invited to a meeting and on the roll of
an open ballot), starts gunicorn with gunicorn.conf.py (its worker count, the
production settings, the page cache as configured), and for each page runs wrk for a
warm-up and then for `--duration` seconds at `--connections` connections.

Two ceilings, each measured first and last: "stock", the view of a project made by
`django-admin startproject` (generated in a temporary directory at run time, never
committed) returning 1 KB, served by gunicorn with the same gunicorn.conf.py; and
"ceiling", a view returning "ok" inside the portal, under its middleware
(benchmarks/ceiling_urls.py). A page's ratio is its requests per second over the
mean of the two stock runs. Requests carry `Accept-Encoding: gzip`, as browsers'
do.

Profiles: "cached" is the portal as shipped, every anonymous page of issue 12;
"uncached" sets PUBLIC_PAGE_CACHE_SECONDS=0, so every request renders the page (what
a cache miss costs); "members" loads the dashboard, a meeting page and the ballot
page as the 500 directors, each request with the next director's session cookie.

The database in DATABASE_URL is dropped and recreated and the Redis database in
REDIS_URL is emptied: use scratch ones. Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import datetime
import http.client
import io
import json
import os
import random
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = 8766
ENV = {
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DEBUG": "false",
    # Plain HTTP on loopback: no TLS proxy in front, so no redirect to HTTPS.
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
    "CACHE_KEY_PREFIX": "bench-pages",
    "DJANGO_SETTINGS_MODULE": "benchmarks.ceiling_settings",
}
STOCK_PORT = PORT + 1
DIRECTORS = 500
CEILINGS = ("stock", "ceiling")
WRK_REPORT = """
-- With a file of session keys as argument, each request carries the next one.
local sessions = {}
local counter = 0

init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do sessions[#sessions + 1] = line end
  end
end

request = function()
  local headers = {["Accept-Encoding"] = "gzip"}
  if #sessions > 0 then
    counter = counter + 1
    headers["Cookie"] = "sessionid=" .. sessions[(counter % #sessions) + 1]
  end
  return wrk.format("GET", nil, headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
LANGS = ("en", "fr", "es", "ru", "ar", "pt")
WORDS = [
    "harm",
    "reduction",
    "peer",
    "naloxone",
    "drug",
    "checking",
    "rights",
    "health",
    "women",
    "prison",
    "police",
    "funding",
    "decriminalisation",
    "hepatitis",
    "stigma",
    "community",
    "network",
    "advocacy",
    "treatment",
    "policy",
    "people",
    "who",
    "use",
    "drugs",
    "services",
    "opioid",
    "agonist",
    "therapy",
    "overdose",
    "prevention",
    "law",
    "reform",
]


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    admin = f"postgres://{parts.netloc}/postgres"
    name = parts.path.lstrip("/")
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def seed(scale: int) -> dict[str, int]:
    """The demo data, then organisations and publications in bulk; returns the counts."""
    import django

    os.environ.update(ENV)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_countries import countries

    from members.models import Activity, Need, Network, Organisation, Visibility
    from publications.models import Publication, PublicationFile, Theme
    from publications.search_index import search_vectors_refresh

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    rng = random.Random(2026)
    networks = list(Network.objects.all())
    codes = [code for code, _name in countries]
    activities, needs = list(Activity.objects.all()), list(Need.objects.all())
    visibilities = [Visibility.PUBLIC] * 7 + [Visibility.MEMBERS] * 2 + [Visibility.SECRETARIAT]
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                network=rng.choice(networks),
                slug=f"bench-organisation-{n}",
                name_en=f"Bench group {n} of {words(rng, 2)}",
                description_en=words(rng, 40),
                country=rng.choice(codes),
                city=f"City {n % 500}",
                kind=rng.choice(Organisation.Kind.values),
                legal_status=rng.choice(Organisation.LegalStatus.values),
                visibility=rng.choice(visibilities),
            )
            for n in range(1000 * scale)
        ),
        batch_size=2000,
    )
    Organisation.activities.through.objects.bulk_create(
        (
            Organisation.activities.through(organisation=o, activity=a)
            for o in organisations
            for a in rng.sample(activities, 2)
        ),
        batch_size=5000,
    )
    Organisation.needs.through.objects.bulk_create(
        (
            Organisation.needs.through(organisation=o, need=x)
            for o in organisations
            for x in rng.sample(needs, 1)
        ),
        batch_size=5000,
    )

    themes = list(Theme.objects.all())
    for start in range(0, 10_000 * scale, 5000):
        batch = []
        for n in range(start, min(start + 5000, 10_000 * scale)):
            fields = {}
            for code in LANGS:
                if code == "en" or rng.random() < 0.3:
                    fields[f"title_{code}"] = f"{words(rng, 6)} ({code} {n})"
                    fields[f"summary_{code}"] = words(rng, 40)
                    fields[f"body_{code}"] = words(rng, 150)
            batch.append(
                Publication(
                    slug=f"bench-publication-{n}",
                    kind=rng.choice(Publication.Kind.values),
                    # One in ten is a draft: the pages must leave them out.
                    status="draft" if n % 10 == 9 else "published",
                    published_on=datetime.date(2006, 1, 1) + datetime.timedelta(days=n % 7300),
                    **fields,
                )
            )
        publications = Publication.objects.bulk_create(batch)
        Publication.themes.through.objects.bulk_create(
            Publication.themes.through(publication=p, theme=t)
            for p in publications
            for t in rng.sample(themes, rng.randint(1, 3))
        )
        PublicationFile.objects.bulk_create(
            PublicationFile(
                publication=p,
                language=code,
                format="pdf",
                file=f"publications/bench-{p.pk}-{code}.pdf",
                size=100_000,
                sha256="0" * 64,
            )
            for p in publications
            if rng.random() < 0.6
            for code in ["en", *rng.sample(LANGS[1:], rng.randint(0, 3))]
        )
    seed_directors(DIRECTORS)
    # bulk_create skips save(): build the stored search vectors in one pass.
    search_vectors_refresh(Publication.objects.all())
    with connection.cursor() as cursor:
        # What autovacuum does in production: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return {
        "organisations": Organisation.objects.count(),
        "publications": Publication.objects.count(),
        "published": Publication.objects.filter(status="published").count(),
    }


def seed_directors(count: int) -> None:
    """`count` directors of one network, each invited to the next board meeting and on
    the roll of an open steering ballot of their network."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt
    from django.utils import timezone

    from governance.models import BoardSeat, Election, Invitation, Meeting
    from governance.services import elections
    from members.models import Network, Person, Region, Role, User

    region = Region.objects.create(slug="bench", name_en="Bench region")
    network = Network.objects.create(
        slug="bench", acronym="BENCH", name_en="Bench network", region=region
    )
    users = User.objects.bulk_create(
        User(email=f"director{n}@bench.example.org") for n in range(count)
    )
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    people = Person.objects.bulk_create(
        Person(user=u, display_name=f"Director {n}", email=u.email) for n, u in enumerate(users)
    )
    since = timezone.localdate() - datetime.timedelta(days=30)
    Role.objects.bulk_create(
        Role(person=p, kind=Role.Kind.DIRECTOR, network=network, starts_on=since) for p in people
    )
    # Members must have a second factor to reach the member area.
    Authenticator.objects.bulk_create(
        Authenticator(
            user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt("JBSWY3DPEHPK3PXP")}
        )
        for u in users
    )
    meeting = Meeting.objects.filter(status=Meeting.Status.SCHEDULED).order_by("starts_at").first()
    Invitation.objects.bulk_create(Invitation(meeting=meeting, person=p) for p in people)
    now = timezone.now()
    election = Election.objects.create(
        title_en="Benchmark steering ballot",
        network=network,
        seat=BoardSeat.objects.create(network=network),
        method=Election.Method.IRV,
        electorate=Election.Electorate.STEERING,
        nominations_open_at=now - datetime.timedelta(days=2),
        nominations_close_at=now - datetime.timedelta(days=1),
        voting_open_at=now - datetime.timedelta(minutes=1),
        voting_close_at=now + datetime.timedelta(days=30),
        term_starts_on=datetime.date(2030, 1, 1),
        term_ends_on=datetime.date(2031, 12, 31),
    )
    elections.election_transition(election=election, transition="open-nominations")
    for person in people[:4]:
        elections.candidate_nominate(election=election, person=person, nominated_by=person)
    elections.election_transition(election=election, transition="close-nominations")
    elections.election_transition(election=election, transition="open-voting")


def director_sessions() -> list[str]:
    """A fresh logged-in session for each bench director."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from members.models import User

    keys = []
    for user in User.objects.filter(email__endswith="@bench.example.org").order_by("pk"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # Freshly reauthenticated, as a director opening the ballot would be.
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time() + 3600, "reauthenticated": True}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.create()
        keys.append(session.session_key)
    return keys


def pages(profile: str) -> list[tuple[str, str, str]]:
    """(name, path, text it must contain) for each page measured, from the seeded data."""
    from django.utils import timezone

    from governance.models import Election, Meeting
    from governance.selectors import board_years, meetings_public
    from members.models import Network
    from pages.models import Page
    from publications.models import Publication

    if profile == "members":
        meeting = Meeting.objects.filter(invitations__person__display_name="Director 0").get()
        ballot = Election.objects.get(title_en="Benchmark steering ballot")
        return [
            ("dashboard", "/en/portal/", "Director 0"),
            ("meeting (member)", f"/en/portal/meetings/{meeting.pk}/", meeting.title),
            ("ballot", f"/en/portal/elections/{ballot.pk}/vote/", "Benchmark steering ballot"),
        ]
    publication = Publication.objects.filter(status="published", slug__startswith="bench-").first()
    network = Network.objects.filter(slug="napud").first() or Network.objects.first()
    meeting = meetings_public().order_by("-starts_at").first()
    results = Election.objects.filter(status=Election.Status.CERTIFIED).order_by("-pk").first()
    about = Page.objects.filter(placement="about", status="published").order_by("pk").first()
    past = board_years(today=timezone.localdate())
    listed = [
        ("home", "/en/", "AfricaNPUD"),
        ("networks", "/en/networks/", "AfricaNPUD"),
        ("publications", "/en/publications/", "publications</p>"),
        ("about", "/en/about/", "<h1"),
        ("about page", f"/en/about/{about.slug}/", "<h1"),
        ("publication", f"/en/publications/{publication.slug}/", publication.slug),
        ("network", f"/en/networks/{network.slug}/", network.acronym),
        ("search en", "/en/publications/?q=harm", "publications</p>"),
        ("search ru", "/ru/publications/?q=drug", "</html>"),
        ("board", "/en/board/", "<h1"),
        ("board past", f"/en/board/{past[0]}/" if past else "/en/board/", "<h1"),
        ("meetings", "/en/meetings/", "<h1"),
        ("meeting", f"/en/meetings/{meeting.pk}/", "<h1"),
        ("results", f"/en/elections/{results.pk}/", "<h1"),
        ("strategy", "/en/strategy/", "<h1"),
        ("feed", "/en/publications/feed/", "<feed"),
        ("sitemap", "/sitemap.xml", "<loc>"),
    ]
    return listed


def fetch(path: str, *, port: int = PORT, cookie: str = "") -> tuple[int, str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode()
    return response.status, body, dict(response.getheaders())


def wait_until_up(server: subprocess.Popen, *, port: int, path: str) -> None:
    for _ in range(150):
        if server.poll() is not None:
            sys.exit("gunicorn exited before answering")
        try:
            if fetch(path, port=port)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {path}")


def server_cpu_seconds(master: int) -> float:
    """CPU time used so far by gunicorn's workers: unlike latency, barely moved by
    whatever else runs on the machine."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ..., utime (12th), stime (13th).
        if int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(path: str, *, port: int, seconds: int, connections: int, script: Path, sessions=None):
    out = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "5s",
            "--script",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ]
        + (["--", str(sessions)] if sessions else []),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


STOCK_VIEW = """
from django.http import HttpResponse
from django.urls import path

BODY = b"x" * 1024


def kilobyte(request):
    return HttpResponse(BODY)


urlpatterns = [path("", kilobyte)]
"""


def stock_project(directory: Path) -> Path:
    """A project as `django-admin startproject` makes it, with one view returning 1 KB
    as its URLconf; DEBUG off, as in production."""
    directory.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "stock", str(directory)], check=True
    )
    (directory / "stock" / "urls.py").write_text(STOCK_VIEW)
    with (directory / "stock" / "settings.py").open("a") as settings:
        settings.write('\nDEBUG = False\nALLOWED_HOSTS = ["127.0.0.1"]\n')
    return directory


def gunicorn(app: str, *, cwd: Path, env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app]
        + ["--config", str(ROOT / "gunicorn.conf.py"), "--log-level", "warning"]
        # Several gunicorns may run on this machine: none needs the shared control socket.
        + ["--no-control-socket"],
        cwd=cwd,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
        # gunicorn.conf.py logs every request to stdout, as in production: kept, unread.
        stdout=subprocess.DEVNULL,
    )


def measure(name, path, *, port, server, args, script, sessions=None) -> dict:
    cpu_before = server_cpu_seconds(server.pid)
    report = wrk(
        path,
        port=port,
        seconds=args.duration,
        connections=args.connections,
        script=script,
        sessions=sessions,
    )
    report["cpu_ms"] = (server_cpu_seconds(server.pid) - cpu_before) / report["requests"] * 1e3
    return report


def run_profile(profile: str, args, script: Path, stock: subprocess.Popen, tmp: Path):
    from django.core.cache import cache

    cache.clear()
    env = os.environ | ENV
    if profile == "uncached":
        env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    measured = pages(profile)
    sessions = None
    cookie = ""
    if profile == "members":
        keys = director_sessions()
        sessions = tmp / "sessions.txt"
        sessions.write_text("\n".join(keys) + "\n")
        cookie = f"sessionid={keys[0]}"
    server = gunicorn("inpud_portal.wsgi:application", cwd=ROOT, env=env, port=PORT)
    results = []
    try:
        wait_until_up(server, port=PORT, path="/healthz")
        for _name, path, expected in measured:
            status, body, headers = fetch(path, cookie=cookie)
            if status != 200 or expected not in body:
                sys.exit(f"{path} answered {status} without {expected!r}")
            if profile != "members" and ("Set-Cookie" in headers or "csrfmiddlewaretoken" in body):
                sys.exit(f"{path} is not an anonymous public page: it sets a cookie or a token")
        plan = (
            [("stock", "/", STOCK_PORT, stock), ("ceiling", "/en/benchmark/ceiling/", PORT, server)]
            + [(name, path, PORT, server) for name, path, _expected in measured]
            + [
                ("ceiling", "/en/benchmark/ceiling/", PORT, server),
                ("stock", "/", STOCK_PORT, stock),
            ]
        )
        for name, path, port, process in plan:
            wrk(
                path,
                port=port,
                seconds=args.warmup,
                connections=args.connections,
                script=script,
                sessions=None if name in CEILINGS else sessions,
            )
            report = measure(
                name,
                path,
                port=port,
                server=process,
                args=args,
                script=script,
                sessions=None if name in CEILINGS else sessions,
            )
            report["bytes"] = len(
                fetch(path, port=port, cookie="" if name in CEILINGS else cookie)[1].encode()
            )
            results.append((name, report))
    finally:
        server.terminate()
        server.wait(30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1, help="x 1,000 organisations, 10,000 pubs")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--profiles", default="cached,uncached,members", help='"" seeds only')
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        sys.exit("Set REDIS_URL to a scratch Redis database (the page cache lives there).")
    if args.profiles and not shutil.which("wrk"):
        sys.exit("wrk is missing: on Debian or Ubuntu, apt-get install wrk")

    if args.skip_seed:
        import django

        os.environ.update(ENV)
        django.setup()
        from django.core.management import call_command

        from members.models import Organisation

        # Seeded by an earlier version: brought to the current schema.
        call_command("migrate", verbosity=0)
        from publications.models import Publication

        counts = {
            "organisations": Organisation.objects.count(),
            "publications": Publication.objects.count(),
        }
    else:
        recreate_database(os.environ["DATABASE_URL"])
        started = time.perf_counter()
        counts = seed(args.scale)
        print(f"seeded {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    if not args.profiles:
        return

    # What gunicorn.conf.py will start with, read from the file itself.
    gunicorn_conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    workers, threads = gunicorn_conf["workers"], gunicorn_conf["threads"]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        script = tmp / "report.lua"
        script.write_text(WRK_REPORT)
        project = stock_project(tmp / "stock-project")
        stock_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        stock = gunicorn(
            "stock.wsgi:application",
            cwd=project,
            env=stock_env | {"DJANGO_SETTINGS_MODULE": "stock.settings"},
            port=STOCK_PORT,
        )
        try:
            wait_until_up(stock, port=STOCK_PORT, path="/")
            for profile in filter(None, args.profiles.split(",")):
                report(
                    profile,
                    run_profile(profile, args, script, stock, tmp),
                    counts,
                    args,
                    workers,
                    threads,
                )
        finally:
            stock.terminate()
            stock.wait(30)


def report(profile, results, counts, args, workers, threads) -> None:
    stocks = [r["rps"] for name, r in results if name == "stock"]
    ceiling = sum(stocks) / len(stocks)
    print(
        f"page_throughput [{profile}]: {counts['organisations']} organisations, "
        f"{counts['publications']} publications, {args.connections} connections, "
        f"{args.duration} s per page, gunicorn {workers} workers x {threads} threads; "
        f"stock ceiling {stocks[0]:.0f} / {stocks[-1]:.0f} req/s"
    )
    ok = True
    for name, r in results:
        ratio = r["rps"] / ceiling
        # Member pages are rendered for each person: their target is the latency alone.
        meets = name in CEILINGS or (
            (profile == "members" or ratio >= 0.5) and r["p99_us"] < 100_000
        )
        clean = r["non_2xx"] == 0 and r["socket_errors"] == 0
        ok = ok and meets and clean
        print(
            f"  {name:<17}{r['rps']:>7.0f} req/s  p50 {r['p50_us'] / 1000:6.1f} ms  "
            f"p99 {r['p99_us'] / 1000:6.1f} ms  ratio {ratio:4.2f}  "
            f"server CPU {r['cpu_ms']:5.2f} ms/req  "
            f"{r['bytes']:>6} B  non-2xx {r['non_2xx']}  errors {r['socket_errors']}"
            f"{'' if name in CEILINGS else ('  OK' if meets else '  MISSED')}",
            flush=True,
        )
    target = "p99 < 100 ms" if profile == "members" else "ratio >= 0.5, p99 < 100 ms"
    print(f"  targets ({target}): {'OK' if ok else 'MISSED'}", flush=True)


if __name__ == "__main__":
    main()
