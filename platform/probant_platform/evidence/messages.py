"""What evidence tells a person when an action succeeds, in French and English."""

from __future__ import annotations

DEPOSIT_DELETED = (
    "Dépôt supprimé. Ses médias et données personnelles sont effacés ; sa référence, "
    "ses empreintes et ses dates sont conservées pour que les certificats émis "
    "restent vérifiables.",
    "Deposit deleted. Its media and personal data are erased; its reference, "
    "fingerprints and times are kept so that issued certificates stay checkable.",
)
DRAFT_DELETED = ("Brouillon supprimé.", "Draft deleted.")


def deposit_deleted(*, tombstone: bool, locale: str | None) -> str:
    """After `deposits.delete_deposit`: a sealed deposit's tombstone, or a draft gone."""
    french, english = DEPOSIT_DELETED if tombstone else DRAFT_DELETED
    return english if locale == "en" else french
