"""Mailing throughput: N subscribers in six languages, sent by one and then two
Celery workers through Redis to a local aiosmtpd sink, against the ceiling of a
plain smtplib loop sending the same messages over one connection to the same sink
(measured before and after the workers' runs).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_mail \\
    REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/mailing_throughput.py [--subscribers 20000] [--workers 1 2]

The database in DATABASE_URL is dropped and recreated; the Redis database is flushed.
"""

import argparse
import logging
import os
import smtplib
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ENV = {
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
    "CELERY_TASK_ALWAYS_EAGER": "false",
    # The limit is a safety valve for real providers; lift it to measure the pipeline.
    "MAIL_RATE_PER_SECOND": "1000000",
}
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpud_portal.settings")
LANGS = ["en", "fr", "es", "ru", "ar", "pt"]


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    admin = f"postgres://{parts.netloc}/postgres"
    name = parts.path.lstrip("/")
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def ceiling_rate(messages, port: int) -> float:
    """The same messages, rendered beforehand, over one plain connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in messages:
            smtp.send_message(message)
    return len(messages) / (time.perf_counter() - started)


def start_workers(count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "inpud_portal",
                "worker",
                "--pool=solo",
                "--queues=default,mail",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=WARNING",
                f"--hostname=bench{n}@%h",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        for n in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    recreate_database(os.environ["DATABASE_URL"])
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    # aiosmtpd logs every SMTP command at INFO; the sink should spend its time receiving.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().__enter__()
    os.environ["EMAIL_URL"] = sink.url

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from publications.mail_messages import mailing_message
    from publications.models import Audience, Mailing, Subscriber
    from publications.services import mailing as services

    call_command("migrate", verbosity=0)
    audience = Audience.objects.create(slug="members", name_en="Members")
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n}@example.org",
            preferred_language=LANGS[n % 6],
            consent_at=now,
            consent_source="benchmark",
            confirmed_at=now,
        )
        for n in range(args.subscribers)
    )
    Subscriber.audiences.through.objects.bulk_create(
        Subscriber.audiences.through(subscriber_id=s.pk, audience_id=audience.pk)
        for s in subscribers
    )

    def new_mailing():
        mailing = Mailing.objects.create(
            **{f"subject_{code}": f"Benchmark mailing ({code})" for code in LANGS},
            **{f"body_text_{code}": f"A new publication is out. ({code}) " * 20 for code in LANGS},
        )
        mailing.audiences.add(audience)
        return mailing

    # The ceiling, before and after the portal's runs (the machine's load drifts):
    # the same messages over one plain connection to the same server.
    mailing = new_mailing()
    messages = [mailing_message(mailing=mailing, subscriber=s).message() for s in subscribers]
    ceilings = [ceiling_rate(messages, sink.port)]
    sink.collector.messages.clear()
    sink.collector.received_at.clear()

    results = []
    try:
        for count in args.workers:
            workers = start_workers(count)
            try:
                time.sleep(3)
                started = time.perf_counter()
                services.mailing_send_now(mailing=mailing)
                while Mailing.objects.get(pk=mailing.pk).status != "sent":
                    time.sleep(0.2)
                elapsed = time.perf_counter() - started
                peaks = [peak_rss_kib(w.pid) for w in workers]
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(30)
            sent = services.mailing_rows(mailing_id=mailing.pk).filter(status="sent").count()
            received = len(sink.collector.messages)
            results.append((count, sent / elapsed, elapsed, sent, received, max(peaks)))
            sink.collector.messages.clear()
            sink.collector.received_at.clear()
            mailing = new_mailing()
        ceilings.append(ceiling_rate(messages, sink.port))
    finally:
        sink.__exit__(None, None, None)
    ceiling = sum(ceilings) / len(ceilings)
    for count, rate, elapsed, sent, received, peak in results:
        print(
            f"mailing_throughput: {args.subscribers} subscribers, {count} worker(s): "
            f"{rate:.0f} msg/s ({elapsed:.1f} s; sent {sent}, received {received}); "
            f"smtplib ceiling {ceiling:.0f} msg/s (before {ceilings[0]:.0f}, after "
            f"{ceilings[-1]:.0f}); ratio {rate / ceiling:.2f} (target >= 0.8); "
            f"worker peak RSS {peak / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
