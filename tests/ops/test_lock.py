"""The lock files are what every install uses (make run, make test, the image, CI); they must pin
what pyproject.toml asks for, with hashes."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    return {canonical(m.group(1)): m.group(2) for line in path.read_text().splitlines() if (m := PIN.match(line))}


def direct(*groups: str) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for group in groups:
        requirements += project["optional-dependencies"][group]
    return {canonical(m.group(1)): m.group(2) for r in requirements if (m := PIN.match(r))}


@pytest.fixture(scope="module")
def base():
    return pins(ROOT / "requirements" / "base.txt")


@pytest.fixture(scope="module")
def dev():
    return pins(ROOT / "requirements" / "dev.txt")


def same_release(locked: str, wanted: str) -> bool:
    # A local build label (torch's "+cpu") is the same release.
    return locked.split("+", 1)[0] == wanted


def test_the_runtime_lock_pins_every_dependency_of_pyproject_at_its_version(base):
    wanted = direct()
    mismatched = {n: (v, base.get(n)) for n, v in wanted.items() if not same_release(base.get(n, ""), v)}

    assert not mismatched, f"run `make lock`: {mismatched}"


def test_the_dev_lock_pins_every_dependency_and_extra_of_pyproject_at_its_version(dev):
    wanted = direct("dev", "demos")
    mismatched = {n: (v, dev.get(n)) for n, v in wanted.items() if not same_release(dev.get(n, ""), v)}

    assert not mismatched, f"run `make lock`: {mismatched}"


def test_the_runtime_lock_is_the_dev_lock_less_the_dev_tools(base, dev):
    assert {n: v for n, v in base.items() if dev.get(n) != v} == {}


@pytest.fixture(scope="module")
def gpu():
    return pins(ROOT / "requirements" / "gpu.txt")


def test_the_gpu_lock_is_the_runtime_with_the_demos_and_cuda_torch(base, dev, gpu):
    wanted = direct("demos")
    mismatched = {n: (v, gpu.get(n)) for n, v in wanted.items() if gpu.get(n) != v}

    assert not mismatched, f"run `make lock`: {mismatched}"
    assert gpu["torch"] == wanted["torch"] and "+" not in gpu["torch"]  # the CUDA build, from PyPI
    assert {n: v for n, v in gpu.items() if n in dev and n != "torch" and dev[n] != v} == {}
    assert set(base) <= set(gpu)


@pytest.mark.parametrize("name", ["base.txt", "dev.txt", "gpu.txt"])
def test_every_locked_package_has_a_hash_and_nothing_points_at_this_machine(name):
    text = (ROOT / "requirements" / name).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[1] if "\n\n" in text else text)

    assert all("--hash=sha256:" in entry for entry in entries if PIN.match(entry))
    assert "file://" not in text and "/work/" not in text and "-e " not in text


def test_every_install_goes_through_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "--require-hashes -r requirements/base.txt" in makefile
    assert "--require-hashes -r requirements/dev.txt" in makefile
    assert "--require-hashes" in dockerfile and "requirements/base.txt" in dockerfile
    assert "make test" in (ROOT / ".ci" / "run").read_text()
