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
    # How email tells it: "own" (a dedicated email sent where the change happens, often with
    # a signed PDF), "generic" (the fan-out sends the `notification` email), None (no email).
    email: str | None = "own"


KINDS: dict[str, Kind] = {
    "deposit.sealed": Kind(
        ("author",),
        "Dépôt {reference} scellé.",
        "Deposit {reference} sealed.",
        email=None,  # the certificate's own email follows once the batch is anchored
    ),
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
        email="generic",
    ),
    "submission.received": Kind(
        ("clerks",),
        "Nouveau dépôt {reference} à examiner.",
        "New deposit {reference} to review.",
    ),
    "constat.awaiting_validation": Kind(
        ("commissaires",),
        "Procès-verbal du dépôt {reference} payé : il attend votre validation.",
        "PV for deposit {reference} paid: it awaits your validation.",
    ),
    "onsite.answered": Kind(
        ("clerks",),
        "Devis de constat sur place {answer} par le client.",
        "On-site constat quote {answer} by the client.",
    ),
    "submission.due_soon": Kind(
        ("clerks",),
        "Dépôt {reference} : la revue doit être terminée dans moins de 2 heures.",
        "Deposit {reference}: the review is due in less than 2 hours.",
        email="generic",
    ),
    "invitation.accepted": Kind(
        ("admins",),
        "{member} a accepté l'invitation et rejoint l'organisation.",
        "{member} accepted the invitation and joined the organisation.",
        email="generic",
    ),
    "payment.failed": Kind(
        ("admins",),
        "Le paiement {what} ({amount}) a échoué : vérifiez votre moyen de paiement.",
        "The payment {what} ({amount}) failed: check your payment method.",
        email="generic",
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
    "constat.awaiting_validation": ("Procès-verbal à valider", "PV awaiting validation"),
    "onsite.answered": ("Réponse à un devis sur place", "On-site quote answered"),
    "submission.due_soon": ("Revue à terminer sous 2 heures", "Review due within 2 hours"),
    "invitation.accepted": ("Invitation acceptée", "Invitation accepted"),
    "payment.failed": ("Paiement échoué", "Payment failed"),
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
    language = "en" if (locale if locale in SUPPORTED else DEFAULT) == "en" else "fr"
    blanks = {"reference": "", "balance": "", "reason": "", "member": "", "answer": ""}
    blanks |= {"what": "", "amount": ""}
    values = blanks | {k: str(v) for k, v in data.items()}
    # Words stored in both languages (`reason_fr`, `reason_en`) read in the reader's.
    values |= {k[:-3]: str(v) for k, v in data.items() if k.endswith(f"_{language}")}
    return template.format_map(values)


def link(kind: str, data: dict[str, Any]) -> str | None:
    """The web app's route for the object the notification is about."""
    if kind in ("submission.received", "submission.due_soon") and data.get("submission_id"):
        return f"/office/review/{data['submission_id']}"
    if kind == "credits.low" or (kind == "payment.failed" and not data.get("deposit_id")):
        return "/credits"  # a PV's failed payment links its deposit, the others the billing
    if kind == "invitation.accepted":
        return "/members"
    if kind == "constat.awaiting_validation":
        return "/office/constats"
    if kind == "onsite.answered":
        return "/office/onsite"
    if data.get("deposit_id"):
        return f"/deposits/{_global_id('Deposit', str(data['deposit_id']))}"
    return None
