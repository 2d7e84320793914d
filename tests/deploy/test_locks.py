"""The locks `make setup` installs from (requirements/*.lock, made by `make lock`) agree with pyproject.toml.

`pip install --require-hashes -r requirements/test.lock` installs exactly what the lock says; a pin changed in
pyproject.toml without `make lock` would go unnoticed until `pip check` at the next setup. These tests say so
at once, without the lock tool or the network.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def locked(lock: str) -> dict[str, tuple[str, list[str]]]:
    """{package: (version, hashes)} of one lock file."""
    packages: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in (LOCKS / f"{lock}.lock").read_text().splitlines():
        if pin := PIN.match(line):
            current = canonicalize_name(pin["name"])
            packages[current] = (pin["version"], [])
        elif (hashed := line.strip()).startswith("--hash=") and current is not None:
            packages[current][1].append(hashed.removeprefix("--hash=").rstrip(" \\"))
    return packages


def pins(requirements: list[str]) -> dict[str, str]:
    """{package: version} of pyproject.toml's `name==version` requirements."""
    found = {}
    for text in requirements:
        requirement = Requirement(text)
        (specifier,) = requirement.specifier  # every direct dependency is pinned to one version
        assert specifier.operator == "==", text
        found[canonicalize_name(requirement.name)] = specifier.version
    return found


# Which of pyproject.toml's lists each lock holds (requirements/build.in adds setuptools to all three).
LOCK_CONTENTS = {"base": [], "test": ["test"], "bench": ["bench"]}


@pytest.mark.parametrize("lock", sorted(LOCK_CONTENTS))
def test_each_lock_has_every_pin_of_pyproject_at_the_same_version(lock):
    """Every dependency pinned in pyproject.toml for a lock (the site's own, plus its extra) is in that lock
    at exactly that version: a pin edited without `make lock` fails here."""
    project = pyproject()["project"]
    wanted = pins(project["dependencies"])
    for extra in LOCK_CONTENTS[lock]:
        wanted |= pins(project["optional-dependencies"][extra])
    packages = locked(lock)
    assert {name: packages.get(name, ("missing", []))[0] for name in wanted} == wanted


@pytest.mark.parametrize("lock", sorted(LOCK_CONTENTS))
def test_every_locked_package_carries_its_hashes(lock):
    """pip's --require-hashes refuses a package without a hash; every one has SHA-256 hashes, and the build
    backend (setuptools, for the editable install without build isolation) is locked too."""
    packages = locked(lock)
    assert "setuptools" in packages
    unhashed = [name for name, (_, hashes) in packages.items() if not hashes]
    assert unhashed == []
    assert all(digest.startswith("sha256:") for _, hashes in packages.values() for digest in hashes)


@pytest.mark.parametrize("lock", ["base", "bench"])
def test_the_other_locks_agree_with_the_test_lock(lock):
    """A package in the site's lock or the load test's has the version of the test lock (what `make test`
    ran), so `make bench-deps` on top of `make setup` changes nothing already installed."""
    test = {name: version for name, (version, _) in locked("test").items()}
    other = {name: version for name, (version, _) in locked(lock).items()}
    assert {name: test[name] for name in other.keys() & test.keys()} == {
        name: other[name] for name in other.keys() & test.keys()
    }
    if lock == "base":
        assert other.keys() <= test.keys()


def test_pydyf_is_pinned_directly():
    """reports/textlayer.py rewrites the operators WeasyPrint writes into pydyf streams: pydyf is pinned in
    pyproject.toml itself, not left to WeasyPrint's range."""
    assert "pydyf" in pins(pyproject()["project"]["dependencies"])
