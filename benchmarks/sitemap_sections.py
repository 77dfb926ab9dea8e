"""Each sitemap section, uncached, at 100,000 publications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_sitemap \\
        .venv/bin/python benchmarks/sitemap_sections.py [--publications 100000]

Creates the demo data and `--publications` published publications with bulk_create
(English always, each other language for ~30 %, dates spread over 2006-2025) in a
scratch database, then fetches the sitemap index and every section it lists through
the real views with Django's test client, with the page cache off, and reports the
best of 3 wall times of each. Target: every section under 200 ms.

The database in DATABASE_URL is dropped and recreated: use a scratch one.
"""

import argparse
import datetime
import io
import os
import random
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ENV = {
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": "",
    "PUBLIC_PAGE_CACHE_SECONDS": "0",
    "DJANGO_SETTINGS_MODULE": "inpud_portal.settings",
}
LANGS = ("en", "fr", "es", "ru", "ar", "pt")
TARGET_MS = 200


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    admin = f"postgres://{parts.netloc}/postgres"
    name = parts.path.lstrip("/")
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)


def seed(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from publications.models import Publication

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    rng = random.Random(2026)
    for start in range(0, count, 5000):
        batch = []
        for n in range(start, min(start + 5000, count)):
            titles = {
                f"title_{code}": f"Publication {n} ({code})"
                for code in LANGS
                if code == "en" or rng.random() < 0.3
            }
            batch.append(
                Publication(
                    slug=f"sitemap-bench-{n}",
                    kind=rng.choice(Publication.Kind.values),
                    status="published",
                    published_on=datetime.date(2006, 1, 1) + datetime.timedelta(days=n % 7300),
                    **titles,
                )
            )
        Publication.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def best_of(client, path: str, runs: int = 3) -> tuple[float, int, int]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    return min(times) * 1000, len(response.content), response.content.count(b"<url>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publications", type=int, default=100_000)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    if not args.skip_seed:
        recreate_database(os.environ["DATABASE_URL"])
    os.environ.update(ENV)
    import django

    django.setup()
    from django.test import Client

    from publications.models import Publication

    if not args.skip_seed:
        started = time.perf_counter()
        seed(args.publications)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    client = Client()
    index_ms, index_bytes, _ = best_of(client, "/sitemap.xml")
    sections = [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    ]
    results = [("/sitemap.xml", index_ms, index_bytes, len(sections))]
    results += [(path, *best_of(client, path)) for path in sections]
    slowest = max(ms for _path, ms, _bytes, _urls in results)
    published = Publication.objects.filter(status="published").count()
    print(
        f"sitemap_sections: {published} published publications, {len(sections)} sections; "
        f"slowest {slowest:.0f} ms (target < {TARGET_MS} ms, "
        f"{'OK' if slowest < TARGET_MS else 'MISSED'})"
    )
    for path, ms, size, urls in sorted(results, key=lambda r: -r[1])[:8]:
        print(f"  {path:<40} {ms:7.1f} ms  {size:>9} B  {urls:>6} entries")


if __name__ == "__main__":
    main()
