"""Public pages under load: gunicorn (production profile, PostgreSQL, Redis cache)
loaded with wrk on loopback, beside a trivial Django view served by the same server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_pages \\
    REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/page_throughput.py [--scale 1] [--duration 10] \\
        [--connections 32] [--profiles cached,uncached]

Seeds the demo data plus 1,000 x scale organisations and 10,000 x scale publications,
starts gunicorn with gunicorn.conf.py (its worker count, the production settings,
the page cache as configured), and for each page runs wrk for a warm-up and then for
`--duration` seconds at `--connections` connections: the ceiling (a view returning
"ok" under the same middleware, benchmarks/ceiling_urls.py), the home, networks and
publications pages, and the ceiling again. Each page's ratio is its requests per
second over the mean of the two ceiling runs.

Profiles: "cached" is the portal as shipped; "uncached" sets
PUBLIC_PAGE_CACHE_SECONDS=0, so every request renders the page (what a cache miss,
and a logged-in member, costs).

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
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
}
PAGES = [
    ("ceiling", "/en/benchmark/ceiling/"),
    ("home", "/en/"),
    ("networks", "/en/networks/"),
    ("publications", "/en/publications/"),
    ("ceiling", "/en/benchmark/ceiling/"),
]
# What each page must contain, so a fast error page is never measured as a page.
EXPECTED = {
    "ceiling": "ok",
    "home": "AfricaNPUD",
    "networks": "AfricaNPUD",
    "publications": "publications</p>",
}
WRK_REPORT = """
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


def fetch(path: str) -> tuple[int, str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode()
    return response.status, body, dict(response.getheaders())


def wait_until_up(server: subprocess.Popen) -> None:
    for _ in range(150):
        if server.poll() is not None:
            sys.exit("gunicorn exited before answering")
        try:
            if fetch("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz")


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


def wrk(path: str, *, seconds: int, connections: int, script: Path) -> dict:
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
            f"http://127.0.0.1:{PORT}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


def run_profile(profile: str, args, script: Path) -> list[tuple[str, dict]]:
    from django.core.cache import cache

    cache.clear()
    env = os.environ | ENV
    if profile == "uncached":
        env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "inpud_portal.wsgi:application"]
        + ["--config", "gunicorn.conf.py", "--log-level", "warning"]
        # Several gunicorns may run on this machine: none needs the shared control socket.
        + ["--no-control-socket"],
        cwd=ROOT,
        env=env,
        # gunicorn.conf.py logs every request to stdout, as in production: kept, unread.
        stdout=subprocess.DEVNULL,
    )
    results = []
    try:
        wait_until_up(server)
        for name, path in PAGES:
            status, body, headers = fetch(path)
            if status != 200 or EXPECTED[name] not in body:
                sys.exit(f"{path} answered {status} without {EXPECTED[name]!r}")
            if "Set-Cookie" in headers or "csrfmiddlewaretoken" in body:
                sys.exit(f"{path} is not an anonymous public page: it sets a cookie or a token")
        for _name, path in PAGES[:-1]:
            wrk(path, seconds=args.warmup, connections=args.connections, script=script)
        for name, path in PAGES:
            cpu_before = server_cpu_seconds(server.pid)
            report = wrk(path, seconds=args.duration, connections=args.connections, script=script)
            report["cpu_ms"] = (
                (server_cpu_seconds(server.pid) - cpu_before) / report["requests"] * 1e3
            )
            report["bytes"] = len(fetch(path)[1].encode())
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
    parser.add_argument("--profiles", default="cached,uncached", help='"" seeds only')
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        sys.exit("Set REDIS_URL to a scratch Redis database (the page cache lives there).")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: on Debian or Ubuntu, apt-get install wrk")

    if args.skip_seed:
        import django

        os.environ.update(ENV)
        django.setup()
        from members.models import Organisation
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

    # What gunicorn.conf.py will start with, read from the file itself.
    gunicorn_conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    workers, threads = gunicorn_conf["workers"], gunicorn_conf["threads"]

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_REPORT)
        for profile in filter(None, args.profiles.split(",")):
            results = run_profile(profile, args, script)
            ceilings = [r["rps"] for name, r in results if name == "ceiling"]
            ceiling = sum(ceilings) / len(ceilings)
            print(
                f"page_throughput [{profile}]: {counts['organisations']} organisations, "
                f"{counts['publications']} publications, {args.connections} connections, "
                f"{args.duration} s per page, gunicorn {workers} workers x {threads} threads; "
                f"ceiling {ceilings[0]:.0f} / {ceilings[-1]:.0f} req/s"
            )
            ok = True
            for name, r in results:
                ratio = r["rps"] / ceiling
                meets = name == "ceiling" or (ratio >= 0.5 and r["p99_us"] < 100_000)
                clean = r["non_2xx"] == 0 and r["socket_errors"] == 0
                ok = ok and meets and clean
                print(
                    f"  {name:<13}{r['rps']:>8.0f} req/s  p50 {r['p50_us'] / 1000:6.1f} ms  "
                    f"p99 {r['p99_us'] / 1000:6.1f} ms  ratio {ratio:4.2f}  "
                    f"server CPU {r['cpu_ms']:5.2f} ms/req  "
                    f"{r['bytes']:>6} B  non-2xx {r['non_2xx']}  errors {r['socket_errors']}"
                    f"{'' if name == 'ceiling' else ('  OK' if meets else '  MISSED')}"
                )
            print(f"  targets (ratio >= 0.5, p99 < 100 ms): {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
