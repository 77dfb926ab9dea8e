"""What one uncached render of each slow public page costs, counted in-process.

Counts rather than timings, so that it means the same on a busy machine: SQL
queries per render, Python function calls per render (cProfile), and the CPU time
of the best of --repeat renders as a rough guide. The page cache is bypassed
(PUBLIC_PAGE_CACHE_SECONDS=0) so every request renders, as a miss does.

Run it on a database seeded by page_throughput.py (no wrk needed to seed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_pages REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/page_throughput.py --profiles ""
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inpud_bench_pages REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/page_miss_profile.py [--top 25]
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from page_throughput import ENV, pages  # noqa: E402

MEASURED = ("publication", "network", "board", "search en", "search ru")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20, help="renders timed per page")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the database page_throughput.py seeded.")
    os.environ.update(ENV | {"ALLOWED_HOSTS": "testserver", "PUBLIC_PAGE_CACHE_SECONDS": "0"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpud_portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client()
    for name, path, expected in pages("cached"):
        if name not in MEASURED:
            continue
        response = client.get(path)  # warm: templates compiled, connection open
        assert response.status_code == 200 and expected in response.content.decode(), name
        queries = []
        with connection.execute_wrapper(_recorder(queries)):
            client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        client.get(path)
        profile.disable()
        stats = pstats.Stats(profile)
        best = min(_cpu(client, path) for _ in range(args.repeat))
        print(
            f"  {name:12} {path[:48]:48} queries {len(queries):3}  "
            f"calls {stats.total_calls:7}  CPU best {best * 1000:6.1f} ms",
            flush=True,
        )
        if args.top:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
            print(out.getvalue())


def _recorder(queries: list):
    def record(run, sql, *args):
        queries.append(sql)
        return run(sql, *args)

    return record


def _cpu(client, path) -> float:
    started = time.process_time()
    client.get(path)
    return time.process_time() - started


if __name__ == "__main__":
    main()
