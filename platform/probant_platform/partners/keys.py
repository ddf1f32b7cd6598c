"""The keys that sign partner access tokens: a JWK set whose first key signs and all verify.

Development generates an ES256 key in `<data>/partners/jwks.json` on first use; production
reads the private set from `PROBANT_PARTNER_JWKS` (a file). Rotation: put a new key first,
keep the previous one until the tokens it signed have expired (15 minutes), then drop it
(`probant partners rotate-key` does this in the data folder).
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey, KeySet

from probant_platform.config import Settings, write_once

ALGORITHM = "ES256"


class SigningKeysMissing(RuntimeError):
    pass


def _new_key() -> dict[str, Any]:
    key = ECKey.generate_key("P-256", parameters={"kid": secrets.token_hex(8), "use": "sig"})
    data: dict[str, Any] = key.as_dict(private=True)
    data["alg"] = ALGORITHM
    return data


def keys_path(settings: Settings) -> Path:
    return settings.partner_jwks or settings.data_dir / "partners" / "jwks.json"


def _load(path: Path, *, create: bool) -> dict[str, Any]:
    if not path.exists():
        if not create:
            raise SigningKeysMissing(f"PROBANT_PARTNER_JWKS names no file: {path}")
        write_once(path, json.dumps({"keys": [_new_key()]}).encode())
    document: dict[str, Any] = json.loads(path.read_text())
    if not document.get("keys"):
        raise SigningKeysMissing(f"no key in {path}")
    return document


@lru_cache(maxsize=4)
def _cached(path: str, created: bool, mtime: float) -> tuple[KeySet, str, dict[str, Any]]:
    document = _load(Path(path), create=created)
    keyset = KeySet.import_key_set(document)  # type: ignore[arg-type]
    public = {
        "keys": [
            {**ECKey.import_key(k).as_dict(private=False), "kid": k["kid"], "alg": ALGORITHM}
            for k in document["keys"]
        ]
    }
    return keyset, document["keys"][0]["kid"], public


def signing_keys(settings: Settings) -> tuple[KeySet, str, dict[str, Any]]:
    """(every key, the kid that signs, the public JWK set) — reread when the file changes."""
    path = keys_path(settings)
    create = settings.partner_jwks is None and not settings.is_production
    if not path.exists():
        _load(path, create=create)
    return _cached(str(path), create, path.stat().st_mtime)


def rotate(settings: Settings, *, keep: int = 2) -> str:
    """Put a new signing key first, keeping the `keep - 1` previous ones; returns its kid."""
    path = keys_path(settings)
    document = _load(path, create=True)
    document["keys"] = [_new_key(), *document["keys"]][:keep]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document))
    tmp.chmod(0o600)
    tmp.replace(path)
    kid: str = document["keys"][0]["kid"]
    return kid
