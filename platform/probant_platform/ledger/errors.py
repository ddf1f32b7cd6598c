"""Typed failures of the ledger."""

from __future__ import annotations

from probant_platform.errors import DomainError


class InsufficientCredits(DomainError):
    code = "INSUFFICIENT_CREDITS"
    message_fr = "Crédits insuffisants : il en faut {needed}, le solde est de {balance}."
    message_en = "Not enough credits: {needed} needed, the balance is {balance}."


class InvalidAmount(DomainError):
    code = "INVALID_AMOUNT"
    message_fr = "Le nombre de crédits doit être un entier positif (au plus 100 000)."
    message_en = "The number of credits must be a positive whole number (at most 100,000)."


class IdempotencyConflict(DomainError):
    code = "IDEMPOTENCY_CONFLICT"
    message_fr = "Cette clé d'idempotence a déjà servi pour une autre opération."
    message_en = "This idempotency key was already used for another operation."


class MemberNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Membre introuvable dans votre organisation."
    message_en = "Member not found in your organisation."


class ReasonRequired(DomainError):
    code = "REASON_REQUIRED"
    message_fr = "Un motif écrit est obligatoire pour un ajustement."
    message_en = "A written reason is required for an adjustment."


class SelfTransfer(DomainError):
    code = "SELF_TRANSFER"
    message_fr = (
        "Vous ne pouvez pas vous transférer des crédits à vous-même : en tant que propriétaire "
        "ou administrateur, vous dépensez déjà le solde de l'organisation."
    )
    message_en = (
        "You cannot transfer credits to yourself: as an owner or administrator you already "
        "spend the organisation's balance."
    )
