"""Typed failures of the bailiff-office flows."""

from __future__ import annotations

from probant_platform.errors import DomainError


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


class QuoteExpired(DomainError):
    code = "QUOTE_EXPIRED"
    message_fr = "Ce devis a expiré le {date}. Demandez un nouveau devis à l'étude."
    message_en = "This quote expired on {date}. Ask the office for a new quote."
