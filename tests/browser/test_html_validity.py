"""The W3C Nu HTML checker (vnu.jar) on the HTML the portal serves."""

import http.client
import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import LANGUAGES, PAGES
from .tools import VNU_JAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Checked with the pages, so that the same run shows the checker finds errors at all.
BROKEN = b"<!doctype html><html lang=en><title>x</title><p><div></p></span>"


def served_html(url: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def nu_errors(documents: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    """Check every document in one run of the checker: the JVM takes seconds to start."""
    files = {}
    for name, html in documents.items():
        path = folder / f"{name}.html"
        path.write_bytes(html)
        files[str(path)] = name
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker writes its report to stderr and exits 1 when it found errors.
    assert run.stderr.startswith("{"), f"vnu.jar failed ({run.returncode}): {run.stderr}"
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stderr)["messages"]:
        # Reported as file:/tmp/.../page.html; a message about no file keeps what it has.
        url = message.get("url", "?")
        name = files.get(url.removeprefix("file:"), url)
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
        )
    return errors


def test_it_serves_valid_html(demo_site, tmp_path):
    documents = {"broken": BROKEN}
    for page in PAGES:
        for lang in LANGUAGES:
            status, html = served_html(demo_site.url, demo_site.paths[page][lang])
            assert status == 200, f"{demo_site.paths[page][lang]} answered {status}"
            documents[f"{page}-{lang}"] = html
    for lang in LANGUAGES:
        status, html = served_html(demo_site.url, f"/{lang}/no-such-page/")
        assert status == 404
        documents[f"404-{lang}"] = html

    errors = nu_errors(documents, tmp_path)

    assert any("span" in message for message in errors.pop("broken", [])), "the checker is blind"
    report = "\n".join(
        f"{name}:\n" + "\n".join(f"    {m}" for m in messages) for name, messages in errors.items()
    )
    assert not errors, f"The Nu HTML checker found errors:\n{report}"
