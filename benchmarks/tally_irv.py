"""Benchmark: instant-runoff count of 100,000 ranked ballots over 8 candidates.

Run from the repository root: ``python benchmarks/tally_irv.py``. The ballots come from
a fixed seed, so every run counts the same election. Reports the best wall time of
five counts and the peak memory of one count (tracemalloc), against the target of
under 2 seconds.
"""

import random
import sys
import time
import tracemalloc
from pathlib import Path

# Runnable as a plain script from the repository root, without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from governance.tally import TieBreak, tally_irv  # noqa: E402

BALLOTS = 100_000
CANDIDATES = 8
RUNS = 5
TARGET_SECONDS = 2.0


def make_ballots(*, seed: int) -> tuple[list[int], list[tuple[int, ...]]]:
    """Ballots ranking between 1 and 8 candidates, with uneven popularity."""
    generator = random.Random(seed)  # noqa: S311 - benchmark data, not a secret
    candidates = [101 + 7 * i for i in range(CANDIDATES)]
    popularity = [CANDIDATES - i for i in range(CANDIDATES)]
    ballots = []
    for _ in range(BALLOTS):
        keys = {
            c: generator.random() ** (1 / p) for c, p in zip(candidates, popularity, strict=True)
        }
        ranking = sorted(candidates, key=keys.__getitem__, reverse=True)
        ballots.append(tuple(ranking[: generator.randint(1, CANDIDATES)]))
    return candidates, ballots


def main() -> None:
    candidates, ballots = make_ballots(seed=2026)
    tie_break = TieBreak(seed="benchmark")

    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = tally_irv(candidates=candidates, ballots=ballots, tie_break=tie_break)
        timings.append(time.perf_counter() - started)

    tracemalloc.start()
    tally_irv(candidates=candidates, ballots=ballots, tie_break=tie_break)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    best = min(timings)
    verdict = "OK" if best < TARGET_SECONDS else "TOO SLOW"
    print(
        f"tally_irv: {BALLOTS:,} ballots, {CANDIDATES} candidates, {len(result.rounds)} rounds: "
        f"best of {RUNS} {best:.3f} s (target < {TARGET_SECONDS:.0f} s, {verdict}), "
        f"peak memory {peak / 2**20:.1f} MiB, winner {result.elected[0]}"
    )


if __name__ == "__main__":
    main()
