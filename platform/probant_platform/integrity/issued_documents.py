"""Documents other domains issue for a deposit (a bailiff office's attestation or PV): the proof
bundle lists them and the deposit export carries their PDFs.

The bailiffs domain sits above integrity (it anchors and publishes through it), so integrity
reads those documents through this interface; the composition root
(`probant_platform.wiring`) installs the bailiffs' implementation at start-up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class IssuedFile:
    id: uuid.UUID  # the office document (its B-LTA renewals are versions of it)
    filename: str
    blob_key: str
    sha256: str
    size: int


class IssuedDocuments(Protocol):
    async def for_bundle(
        self, *, session: AsyncSession, deposit_id: uuid.UUID
    ) -> list[dict[str, str]]:
        """The bundle's `office_documents` entries, oldest first."""
        ...

    async def files(self, *, session: AsyncSession, deposit_id: uuid.UUID) -> list[IssuedFile]:
        """The PDFs to put in the deposit export, oldest first."""
        ...

    async def signed_pdfs(self, *, session: AsyncSession) -> list[IssuedFile]:
        """Every such PDF the session's tenant holds (the B-LTA renewal job's round)."""
        ...


_installed: list[IssuedDocuments] = []


class IssuedDocumentsNotInstalled(RuntimeError):
    """A process started without the composition root: `import probant_platform.wiring`."""


def install(source: IssuedDocuments) -> None:
    _installed[:] = [source]


def source() -> IssuedDocuments:
    if not _installed:
        raise IssuedDocumentsNotInstalled("integrity.issued_documents")
    return _installed[0]
