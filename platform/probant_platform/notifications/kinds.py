"""The kinds of event that notify someone: who is told, and what they read, in two languages."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from probant_platform.locales import DEFAULT, SUPPORTED


@dataclass(frozen=True)
class Kind:
    """`recipients` names groups: "author" (of the deposit), "requester" (of a PV or an
    on-site request), "admins" (owners and admins of the organisation), "clerks" (clerks and
    commissaires of the office addressed)."""

    recipients: tuple[str, ...]
    fr: str
    en: str


KINDS: dict[str, Kind] = {
    "deposit.sealed": Kind(("author",), "Dépôt {reference} scellé.", "Deposit {reference} sealed."),
    "certificate.issued": Kind(
        ("author",),
        "Certificat du dépôt {reference} émis.",
        "Certificate for deposit {reference} issued.",
    ),
    "submission.accepted": Kind(
        ("author", "admins"),
        "Dépôt {reference} accepté par l'étude : attestation émise.",
        "Deposit {reference} accepted by the office: attestation issued.",
    ),
    "submission.rejected": Kind(
        ("author", "admins"),
        "Dépôt {reference} refusé par l'étude ({reason}).",
        "Deposit {reference} rejected by the office ({reason}).",
    ),
    "constat.issued": Kind(
        ("requester",),
        "Procès-verbal de constat émis pour le dépôt {reference}.",
        "PV de constat issued for deposit {reference}.",
    ),
    "onsite.quoted": Kind(
        ("requester",),
        "Devis reçu pour votre demande de constat sur place.",
        "Quote received for your on-site constat request.",
    ),
    "credits.low": Kind(
        ("admins",),
        "Crédits bientôt épuisés : il en reste {balance}.",
        "Credits running low: {balance} left.",
    ),
    "submission.received": Kind(
        ("clerks",),
        "Nouveau dépôt {reference} à examiner.",
        "New deposit {reference} to review.",
    ),
    "invitation.accepted": Kind(
        ("admins",),
        "{member} a accepté l'invitation et rejoint l'organisation.",
        "{member} accepted the invitation and joined the organisation.",
    ),
}


# What each kind is called on the preferences and unsubscribe pages.
LABELS: dict[str, tuple[str, str]] = {
    "deposit.sealed": ("Dépôt scellé", "Deposit sealed"),
    "certificate.issued": ("Certificat émis", "Certificate issued"),
    "submission.accepted": ("Dépôt accepté par l'étude", "Deposit accepted by the office"),
    "submission.rejected": ("Dépôt refusé par l'étude", "Deposit rejected by the office"),
    "constat.issued": ("Procès-verbal de constat émis", "PV de constat issued"),
    "onsite.quoted": ("Devis de constat sur place reçu", "On-site constat quote received"),
    "credits.low": ("Crédits bientôt épuisés", "Credits running low"),
    "submission.received": ("Nouveau dépôt à examiner", "New deposit to review"),
    "invitation.accepted": ("Invitation acceptée", "Invitation accepted"),
}


def label(kind: str, locale: str) -> str:
    fr, en = LABELS.get(kind, (kind, kind))
    return en if locale == "en" else fr


def _global_id(type_name: str, value: str) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def title(kind: str, data: dict[str, Any], locale: str) -> str:
    """What the reader sees, in their language (French when unknown)."""
    entry = KINDS.get(kind)
    if entry is None:
        return kind
    template = entry.en if (locale if locale in SUPPORTED else DEFAULT) == "en" else entry.fr
    blanks = {"reference": "", "balance": "", "reason": "", "member": ""}
    values = blanks | {k: str(v) for k, v in data.items()}
    return template.format_map(values)


def link(kind: str, data: dict[str, Any]) -> str | None:
    """The web app's route for the object the notification is about."""
    if kind == "submission.received" and data.get("submission_id"):
        return f"/office/review/{data['submission_id']}"
    if kind == "credits.low":
        return "/credits"
    if kind == "invitation.accepted":
        return "/members"
    if data.get("deposit_id"):
        return f"/deposits/{_global_id('Deposit', str(data['deposit_id']))}"
    return None
