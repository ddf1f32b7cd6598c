"""Typed failures of accounts, members and organisations."""

from __future__ import annotations

from probant_platform.errors import DomainError
from probant_tenants.passwords import PasswordRule


class WeakPassword(DomainError):
    code = "WEAK_PASSWORD"
    message_fr = (
        "Le mot de passe doit contenir au moins 10 caractères dont une majuscule, une minuscule,"
        " un chiffre et un caractère spécial, et ne pas être trop courant."
    )
    message_en = (
        "The password needs at least 10 characters with an upper-case letter, a lower-case"
        " letter, a digit and a special character, and must not be a common password."
    )

    def __init__(self, *, rules: list[PasswordRule]):
        super().__init__()
        self.rules = rules


class InvalidSiren(DomainError):
    code = "INVALID_SIREN"
    message_fr = "Le numéro SIREN doit comporter 9 chiffres valides."
    message_en = "The SIREN number must be 9 valid digits."


class SirenRequired(DomainError):
    code = "SIREN_REQUIRED"
    message_fr = "Le numéro SIREN est obligatoire pour un compte professionnel."
    message_en = "A SIREN number is required for a professional account."


class EmailTaken(DomainError):
    code = "EMAIL_TAKEN"
    message_fr = "Un compte existe déjà avec cette adresse e-mail."
    message_en = "An account already exists with this email address."


class InvalidEmail(DomainError):
    code = "INVALID_EMAIL"
    message_fr = "L'adresse e-mail n'est pas valide."
    message_en = "The email address is not valid."


class TermsNotAccepted(DomainError):
    code = "TERMS_NOT_ACCEPTED"
    message_fr = "Vous devez accepter les conditions générales d'utilisation."
    message_en = "You must accept the terms of service."


class InvalidCredentials(DomainError):
    code = "INVALID_CREDENTIALS"
    message_fr = "Adresse e-mail ou mot de passe incorrect."
    message_en = "Incorrect email address or password."


class AccountLocked(DomainError):
    code = "ACCOUNT_LOCKED"
    message_fr = "Trop de tentatives. Réessayez dans quelques minutes."
    message_en = "Too many attempts. Try again in a few minutes."


class InvalidToken(DomainError):
    code = "INVALID_TOKEN"
    message_fr = "Ce lien ou ce code est invalide, expiré ou déjà utilisé."
    message_en = "This link or code is invalid, expired or already used."


class InvalidName(DomainError):
    code = "INVALID_NAME"
    message_fr = "Le nom est vide, trop long ou contient des caractères interdits."
    message_en = "The name is empty, too long or contains forbidden characters."


class OrganisationNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Organisation introuvable."
    message_en = "Organisation not found."
