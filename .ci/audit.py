"""Audit the locked dependencies with pip-audit against PyPI's vulnerability data.

Fails when a locked version has a known vulnerability that a newer release fixes (upgrade it:
edit pyproject.toml if it is a direct dependency, then `make lock`); lists the ones with no fix yet
without failing. When PyPI's vulnerability service cannot be reached (a machine with only a package
mirror), it says so and skips rather than pass having audited nothing.
"""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

PROBE = "https://pypi.org/pypi/{name}/{version}/json"


def service_answers(lock: Path) -> str | None:
    """None when PyPI answers per-release vulnerability data for a locked package, else why not."""
    match = re.search(r"^django==(\S+)", lock.read_text(), re.MULTILINE | re.IGNORECASE)
    name, version = ("django", match.group(1)) if match else ("pip", "24.0")
    try:
        with urllib.request.urlopen(PROBE.format(name=name, version=version), timeout=15) as response:
            if "vulnerabilities" in json.load(response):
                return None
            return "PyPI's answer has no vulnerability data"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"PyPI's vulnerability service is unreachable ({exc})"


def main(lock_path: str) -> int:
    lock = Path(lock_path)
    reason = service_answers(lock)
    if reason:
        print(f"audit skipped: {reason}; run `make audit` where pypi.org answers.")
        return 0
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--disable-pip",
            "--require-hashes",
            "-r",
            str(lock),
            "--vulnerability-service",
            "pypi",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
    )
    if not result.stdout.strip():
        print(result.stderr, file=sys.stderr)
        return 1
    report = json.loads(result.stdout)
    fixable, unfixed = [], []
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            line = f"{dependency['name']}=={dependency['version']}: {vuln['id']}"
            if vuln.get("fix_versions"):
                fixable.append(f"{line} (fixed in {', '.join(vuln['fix_versions'])})")
            else:
                unfixed.append(f"{line} (no fix released)")
    for line in unfixed:
        print(f"known, no fix yet: {line}")
    for line in fixable:
        print(f"VULNERABLE: {line}")
    audited = sum(1 for d in report.get("dependencies", []) if "skip_reason" not in d)
    print(f"audited {audited} locked packages: {len(fixable)} with a fix to take, {len(unfixed)} without a fix")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements/dev.txt"))
