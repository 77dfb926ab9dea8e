"""Every dependency, indirect ones too, is pinned with its hashes in the lockfiles
that `make install` (requirements-dev.lock) and the image (requirements.lock)
install; `make lock` writes both from pyproject.toml."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def locked(name: str) -> dict[str, str]:
    """{package: version} from a lockfile, checking each entry carries hashes."""
    text = (ROOT / name).read_text()
    entries = re.findall(
        r"^([A-Za-z0-9_.\-]+)==(\S+)((?: \\\n\s+--hash=sha256:[0-9a-f]{64})+)", text, re.M
    )
    names = re.findall(r"^([A-Za-z0-9_.\-]+)==", text, re.M)
    assert len(entries) == len(names), f"{name}: an entry without hashes"
    return {canonicalize_name(package): version for package, version, _ in entries}


def pinned(group: str | None) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] if group is None else project["optional-dependencies"][group]
    pins = {}
    for line in lines:
        requirement = Requirement(line)
        [specifier] = requirement.specifier
        assert specifier.operator == "==", line
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


@pytest.mark.parametrize(
    ("lockfile", "groups"),
    [("requirements.lock", [None]), ("requirements-dev.lock", [None, "dev"])],
)
def test_the_lockfiles_hold_what_pyproject_pins(lockfile, groups):
    versions = locked(lockfile)
    for group in groups:
        for package, version in pinned(group).items():
            assert versions.get(package) == version, f"{package}: run make lock"


def test_the_image_lock_has_no_dev_tools_and_agrees_with_the_dev_lock():
    image, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    assert not set(pinned("dev")) & set(image)
    assert {package: dev[package] for package in image} == image


def test_install_the_image_and_ci_use_the_lockfiles():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes --no-deps -r requirements-dev.lock" in makefile
    assert re.search(r"^lock: ", makefile, re.M)
    assert "--generate-hashes" in makefile
    assert "-r /tmp/requirements.lock" in (ROOT / "Dockerfile").read_text()
    assert "make install" in (ROOT / ".ci" / "run").read_text()
