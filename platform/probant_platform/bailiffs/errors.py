"""Typed failures of the bailiff-office flows."""

from __future__ import annotations

from typing import Any

from probant_platform.errors import DomainError, api_name

# Statuses as a person reads them (the GraphQL `status` field keeps the code).
STATUS_WORDS = {
    "DRAFT": ("brouillon", "draft"),
    "SEALED": ("scellé", "sealed"),
    "SUBMITTED": ("envoyé à l'étude", "sent to the office"),
    "IN_REVIEW": ("en cours de revue", "in review"),
    "ACCEPTED": ("accepté", "accepted"),
    "PARTIALLY_ACCEPTED": ("partiellement accepté", "partly accepted"),
    "REJECTED": ("refusé", "rejected"),
    "DELETED": ("supprimé", "deleted"),
    "AWAITING_PAYMENT": ("en attente de paiement", "awaiting payment"),
    "AWAITING_VALIDATION": ("en attente de validation", "awaiting validation"),
    "ISSUED": ("émis", "issued"),
    "CANCELLED": ("annulé", "cancelled"),
    "REQUESTED": ("demandé", "requested"),
    "QUOTED": ("devis envoyé", "quoted"),
    "DECLINED": ("devis décliné", "quote declined"),
    "REFUSED": ("refusé par l'étude", "refused by the office"),
}


def status_words(status: str, locale: str | None) -> str:
    french, english = STATUS_WORDS.get(status, (status.lower(), status.lower()))
    return english if locale == "en" else french


class OfficeNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Étude introuvable."
    message_en = "Office not found."


class SubmissionNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Dépôt introuvable dans votre file de revue."
    message_en = "Deposit not found in your review queue."


class RequestNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Demande introuvable."
    message_en = "Request not found."


class InvalidField(DomainError):
    code = "INVALID_INPUT"
    message_fr = "Le champ « {field} » est manquant, trop long ou invalide."
    message_en = "The field “{field}” is missing, too long or invalid."

    def __init__(self, *, field: str):
        super().__init__(field=api_name(field))


class NotSealed(DomainError):
    code = "NOT_SEALED"
    message_fr = "Scellez le dépôt avant de l'envoyer à une étude."
    message_en = "Seal the deposit before sending it to an office."


class AlreadySubmitted(DomainError):
    code = "ALREADY_SUBMITTED"
    message_fr = "Ce dépôt a déjà été envoyé à une étude."
    message_en = "This deposit was already sent to an office."


class NoOfficeAvailable(DomainError):
    code = "NO_OFFICE_AVAILABLE"
    message_fr = (
        "Aucune étude n'accepte de dépôts près de ce lieu. Choisissez une étude dans "
        "l'annuaire ou proposez la vôtre."
    )
    message_en = (
        "No office accepts deposits near this place. Choose an office from the directory "
        "or propose yours."
    )


class OfficeNotAccepting(DomainError):
    code = "OFFICE_NOT_ACCEPTING"
    message_fr = "L'étude choisie n'accepte pas de dépôts pour le moment."
    message_en = "The chosen office does not accept deposits at the moment."


class AlreadyDecided(DomainError):
    code = "ALREADY_DECIDED"
    message_fr = "Ce dépôt a déjà été accepté ou refusé."
    message_en = "This deposit was already accepted or rejected."


class ClaimedByAnother(DomainError):
    code = "CLAIMED_BY_ANOTHER"
    message_fr = "Ce dépôt est pris en charge par {name}."
    message_en = "This deposit is being reviewed by {name}."


class FileAltered(DomainError):
    code = "FILE_ALTERED"
    message_fr = (
        "Un fichier stocké ne correspond plus à son empreinte : le dépôt ne peut pas être "
        "accepté. L'équipe Probant est prévenue."
    )
    message_en = (
        "A stored file no longer matches its fingerprint: the deposit cannot be accepted. "
        "The Probant team is notified."
    )


class InvalidState(DomainError):
    code = "INVALID_STATE"
    message_fr = "Cette action n'est pas possible dans l'état actuel ({status})."
    message_en = "This action is not possible in the current state ({status})."

    def message(self, locale: str | None) -> str:
        template = self.message_en if locale == "en" else self.message_fr
        return template.format(status=status_words(self.params["status"], locale))


class NotConvertible(DomainError):
    code = "NOT_CONVERTIBLE"
    message_fr = (
        "Seul un dépôt scellé ou accepté par une étude peut être converti en PV de constat."
    )
    message_en = "Only a sealed deposit, or one accepted by an office, can become a PV de constat."


class LegalIdentityIncomplete(DomainError):
    code = "LEGAL_IDENTITY_INCOMPLETE"
    message_fr = "Complétez l'identité juridique du requérant : {fields}."
    message_en = "Complete the requester's legal identity: {fields}."

    def __init__(self, *, fields: list[str], **params: Any):
        super().__init__(fields=", ".join(api_name(f) for f in fields), **params)


class QuoteExpired(DomainError):
    code = "QUOTE_EXPIRED"
    message_fr = "Ce devis a expiré le {date}. Demandez un nouveau devis à l'étude."
    message_en = "This quote expired on {date}. Ask the office for a new quote."


class OfficesOnly(DomainError):
    """A clerk's action asked by someone who works for no office, or not for this one."""

    code = "NOT_ALLOWED"
    message_fr = "Réservé aux études."
    message_en = "Offices only."


class NotYourOffice(DomainError):
    """An office's entry edited by neither one of its clerks nor an operator."""

    code = "NOT_ALLOWED"
    message_fr = "Votre rôle ne permet pas cette action."
    message_en = "Your role does not allow this action."
