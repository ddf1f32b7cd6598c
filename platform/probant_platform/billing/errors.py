"""Typed failures of billing."""

from __future__ import annotations

from probant_platform.errors import DomainError


class UnknownProduct(DomainError):
    code = "UNKNOWN_PRODUCT"
    message_fr = "Produit inconnu ou plus en vente."
    message_en = "Unknown product, or no longer on sale."


class InvalidPrice(DomainError):
    code = "INVALID_PRICE"
    message_fr = "Montant invalide : un nombre entier de centimes entre 1 et 10 000 000."
    message_en = "Invalid amount: a whole number of cents between 1 and 10,000,000."


class InvalidProductField(DomainError):
    code = "INVALID_PRODUCT"
    message_fr = "Valeur invalide pour {field}."
    message_en = "Invalid value for {field}."


class NoSubscription(DomainError):
    code = "NO_SUBSCRIPTION"
    message_fr = "Aucun abonnement ni compte de paiement pour cette organisation."
    message_en = "This organisation has no subscription or payment account yet."


class PaymentProviderError(DomainError):
    code = "PAYMENT_PROVIDER_ERROR"
    message_fr = "Le prestataire de paiement n'a pas répondu ; réessayez dans un instant."
    message_en = "The payment provider did not answer; try again in a moment."


class UnknownOrganisation(DomainError):
    code = "NOT_FOUND"
    message_fr = "Organisation introuvable."
    message_en = "No such organisation."


class AlreadySubscribed(DomainError):
    code = "ALREADY_SUBSCRIBED"
    message_fr = "Un abonnement est déjà actif : changez d'offre depuis le portail de facturation."
    message_en = "A subscription is already active: change plans from the billing portal."
