"""Library search on PostgreSQL with 50,000 publications: p95 latency of `?q=`
queries through the real view, and the SQL queries per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_search \\
        .venv/bin/python benchmarks/search_latency.py [--publications 50000]

The database in DATABASE_URL is dropped and recreated.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpud_portal.settings")

WORDS = {
    "en": [
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
    ],
    "fr": [
        "réduction",
        "risques",
        "pairs",
        "naloxone",
        "analyse",
        "droits",
        "santé",
        "femmes",
        "prison",
        "police",
        "financement",
        "dépénalisation",
        "hépatite",
        "stigmatisation",
        "communauté",
        "réseau",
        "plaidoyer",
        "traitement",
    ],
    "es": [
        "reducción",
        "daños",
        "pares",
        "naloxona",
        "análisis",
        "derechos",
        "salud",
        "mujeres",
        "prisión",
        "policía",
        "financiación",
        "despenalización",
        "hepatitis",
        "estigma",
        "comunidad",
        "red",
        "incidencia",
        "tratamiento",
    ],
    "ru": [
        "снижение",
        "вреда",
        "равные",
        "налоксон",
        "проверка",
        "права",
        "здоровье",
        "женщины",
        "тюрьма",
        "полиция",
        "финансирование",
        "декриминализация",
        "гепатит",
        "стигма",
        "сообщество",
        "сеть",
        "адвокация",
        "лечение",
    ],
    "ar": [
        "الحد",
        "الضرر",
        "الأقران",
        "نالوكسون",
        "فحص",
        "الحقوق",
        "الصحة",
        "النساء",
        "السجن",
        "الشرطة",
        "التمويل",
        "إلغاء",
        "التجريم",
        "التهاب",
        "الكبد",
        "الوصمة",
        "المجتمع",
        "الشبكة",
        "المناصرة",
        "العلاج",
    ],
    "pt": [
        "redução",
        "danos",
        "pares",
        "naloxona",
        "análise",
        "direitos",
        "saúde",
        "mulheres",
        "prisão",
        "polícia",
        "financiamento",
        "descriminalização",
        "hepatite",
        "estigma",
        "comunidade",
        "rede",
        "advocacia",
        "tratamento",
    ],
}


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    admin = f"postgres://{parts.netloc}/postgres"
    name = parts.path.lstrip("/")
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)


SYLLABLES = {
    "en": ["ba", "ko", "ri", "tem", "sal", "nor", "vid", "ex", "pan", "lu", "mor", "ges"],
    "fr": ["ba", "lé", "ri", "tan", "sou", "mor", "vin", "chè", "pon", "lu", "ger", "dé"],
    "es": ["ba", "ko", "ri", "tem", "sal", "nor", "vid", "ña", "pan", "lu", "mor", "ges"],
    "ru": ["ба", "ко", "ри", "тем", "сал", "нор", "вид", "ех", "пан", "лу", "мор", "гес"],
    "ar": ["با", "كو", "ري", "تم", "سل", "نو", "فيد", "اك", "بن", "لو", "مر", "جس"],
    "pt": ["ba", "ko", "ri", "tem", "sal", "nor", "vid", "ão", "pan", "lu", "mor", "ges"],
}


def filler(rng: random.Random, language: str) -> list[str]:
    """A few thousand made-up words per language: the bulk of a realistic text."""
    syllables = SYLLABLES[language]
    return sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    )


def text(rng: random.Random, language: str, words: int, vocabulary: dict) -> str:
    # Mostly filler (Zipf-like), with topic words now and then, as in real summaries.
    out = []
    for _ in range(words):
        if rng.random() < 0.01:
            out.append(rng.choice(WORDS[language]))
        else:
            pool = vocabulary[language]
            out.append(pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)])
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publications", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    recreate_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from publications.models import Publication
    from publications.search_index import search_vectors_refresh

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    vocabulary = {language: filler(rng, language) for language in WORDS}
    kinds = [k for k, _label in Publication.Kind.choices]
    batch = []
    for n in range(args.publications):
        fields = {}
        for language in WORDS:
            if language == "en" or rng.random() < 0.3:
                fields[f"title_{language}"] = text(rng, language, 8, vocabulary)
                fields[f"summary_{language}"] = text(rng, language, 40, vocabulary)
                fields[f"body_{language}"] = text(rng, language, 150, vocabulary)
        batch.append(
            Publication(
                slug=f"publication-{n}",
                kind=rng.choice(kinds),
                status="published",
                published_on=datetime.date(2006 + n % 20, 1 + n % 12, 1),
                **fields,
            )
        )
        if len(batch) == 2000:
            Publication.objects.bulk_create(batch)
            batch = []
    Publication.objects.bulk_create(batch)
    # bulk_create skips save(): build the stored search vectors in one pass.
    search_vectors_refresh(Publication.objects.all())
    with connection.cursor() as cursor:
        # What autovacuum does in production: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE publications_publication")

    client = Client()
    timings, query_counts = [], set()
    for n in range(args.queries):
        language = list(WORDS)[n % 6]
        q = " ".join(rng.sample(WORDS[language], 2 if n % 3 else 1))
        path = f"/{language}/publications/?" + urllib.parse.urlencode({"q": q, "page": 1 + n % 3})
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, path
        query_counts.add(len(queries))
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    print(
        f"search_latency: {args.publications} publications, {args.queries} queries in 6 languages: "
        f"p50 {statistics.median(timings) * 1000:.1f} ms, p95 {p95:.1f} ms (target < 50 ms, "
        f"{'OK' if p95 < 50 else 'MISSED'}); SQL queries per page: {sorted(query_counts)}"
    )


if __name__ == "__main__":
    main()
