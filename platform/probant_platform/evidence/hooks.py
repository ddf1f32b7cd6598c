"""What other domains do when a deposit is sealed or deleted, without evidence importing them.

Evidence sits below integrity (integrity reads deposits to seal and anchor them), so it
cannot call integrity's services: it declares the two steps it needs here and the composition
root (`probant_platform.wiring`) installs integrity's implementations at start-up. A step that
was never installed fails loudly instead of being skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class ForgetDeposit(Protocol):
    """Erase what other domains hold of a deleted deposit; return blob keys to release."""

    def __call__(self, *, session: AsyncSession, deposit_id: uuid.UUID) -> Awaitable[list[str]]: ...


class DepositSealed(Protocol):
    """Carry a sealed deposit on (its items join the open anchoring batch)."""

    def __call__(self, *, organisation_id: uuid.UUID, deposit_id: uuid.UUID) -> Awaitable[int]: ...


@dataclass
class _Hooks:
    forget: ForgetDeposit | None = None
    sealed: DepositSealed | None = None


_installed = _Hooks()


class HooksNotInstalled(RuntimeError):
    """A process started without the composition root: `import probant_platform.wiring`."""


def install(*, forget: ForgetDeposit, sealed: DepositSealed) -> None:
    _installed.forget, _installed.sealed = forget, sealed


async def forget_deposit(*, session: AsyncSession, deposit_id: uuid.UUID) -> list[str]:
    if _installed.forget is None:
        raise HooksNotInstalled("evidence.hooks.forget")
    return await _installed.forget(session=session, deposit_id=deposit_id)


async def deposit_sealed(*, organisation_id: uuid.UUID, deposit_id: uuid.UUID) -> int:
    if _installed.sealed is None:
        raise HooksNotInstalled("evidence.hooks.sealed")
    return await _installed.sealed(organisation_id=organisation_id, deposit_id=deposit_id)
