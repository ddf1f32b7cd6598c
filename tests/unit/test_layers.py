"""The layers hold: `lint-imports` checks the contracts in pyproject (docs/architecture.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_ROOTS = ("platform", "tenants", "graphql")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command is not None, "import-linter is a dev dependency: pip install -e '.[dev]'"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(root / r) for r in SOURCE_ROOTS)}
    return subprocess.run(
        [command, "--no-cache"], cwd=root, env=env, capture_output=True, text=True, check=False
    )


def test_every_import_respects_the_layers() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_is_ignored() -> None:
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text()


def test_a_domain_importing_upwards_breaks_the_contract(tmp_path: Path) -> None:
    # A copy of the sources with one upward import (evidence → integrity): the check fails.
    for name in (*SOURCE_ROOTS, "pyproject.toml"):
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, tmp_path / name)
    drafts = tmp_path / "platform/probant_platform/evidence/drafts.py"
    drafts.write_text(drafts.read_text() + "\nfrom probant_platform.integrity import merkle\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "probant_platform.evidence is not allowed to import" in result.stdout
    assert "probant_platform.evidence.drafts -> probant_platform.integrity.merkle" in result.stdout


def test_no_resolver_changes_the_tenant_scope() -> None:
    # Acting in another tenant's scope is a service's decision (`db.session.acting_as`),
    # never a resolver's: the GraphQL package neither imports nor calls it.
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "graphql").rglob("*.py"))
        if "rescope" in path.read_text() or "acting_as" in path.read_text()
    ]
    assert offenders == []


# Pinning a session to the tenant a checked secret names (a password, a token, a key, a code)
# is identity, done once per request by these modules; everything else that needs another
# tenant's scope uses `acting_as`, which gives the caller's scope back.
PINS_IDENTITY = {
    "platform/probant_platform/db/session.py",
    "platform/probant_platform/demo.py",
    "platform/probant_platform/partners/clients.py",
    "platform/probant_platform/partners/identity.py",
    "tenants/probant_tenants/accounts.py",
    "tenants/probant_tenants/context.py",
    "tenants/probant_tenants/embedding/keys.py",
    "tenants/probant_tenants/invitations.py",
    "tenants/probant_tenants/operators.py",
}


def test_only_identity_code_pins_a_session_to_a_tenant() -> None:
    callers = {
        str(path.relative_to(ROOT))
        for root in SOURCE_ROOTS
        for path in sorted((ROOT / root).rglob("*.py"))
        if "rescope(" in path.read_text()
    }
    assert callers == PINS_IDENTITY
