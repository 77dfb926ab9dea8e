"""Tests that need PostgreSQL, Redis or a worker are skipped, with their reason, under
the embedded defaults; under CI (REQUIRE_SERVICES=1, as .ci/run sets) none of them
may be skipped for any reason."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAMPLE_TESTS = """
import pytest

@pytest.mark.postgres
def test_needs_postgres():
    pass

@pytest.mark.redis
def test_skips_itself():
    pytest.skip("a missing browser")

def test_unmarked_skip():
    pytest.skip("not about services")
"""


def run_sample(tmp_path, **env) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_makereport, pytest_runtest_setup  # noqa\n"
    )
    (tmp_path / "test_sample.py").write_text(SAMPLE_TESTS)
    # SQLite, and a Redis address that only has to be configured: the sample tests
    # never connect to it.
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REQUIRE_SERVICES")}
    base["REDIS_URL"] = "redis://127.0.0.1:1/0"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rfs",
            "--rootdir",
            ROOT,
            "-c",
            ROOT / "pyproject.toml",
            tmp_path,
        ],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_service_tests_are_skipped_with_their_reason_under_the_embedded_defaults(tmp_path):
    result = run_sample(tmp_path)

    assert result.returncode == 0, result.stdout
    assert "3 skipped" in result.stdout
    assert "needs PostgreSQL: set DATABASE_URL" in result.stdout


def test_ci_fails_when_a_service_test_is_skipped_for_any_reason(tmp_path):
    result = run_sample(tmp_path, REQUIRE_SERVICES="1")

    assert result.returncode != 0
    # The missing service fails the setup (an error), the skip inside a test fails it.
    assert "1 failed, 1 skipped, 1 error" in result.stdout
    assert "needs PostgreSQL: set DATABASE_URL=postgres://... (REQUIRE_SERVICES=1)" in result.stdout
    assert "skipped under REQUIRE_SERVICES=1: Skipped: a missing browser" in result.stdout


def test_ci_requires_the_services():
    script = (ROOT / ".ci" / "run").read_text()

    assert "export REQUIRE_SERVICES=1" in script
    assert 'export DATABASE_URL="postgres://' in script
    assert 'export REDIS_URL="redis://' in script
