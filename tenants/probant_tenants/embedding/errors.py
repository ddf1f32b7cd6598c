"""Typed failures of widget embedding."""

from __future__ import annotations

from probant_platform.errors import DomainError


class InvalidOrigin(DomainError):
    code = "INVALID_ORIGIN"
    message_fr = "Origine invalide : « {origin} » (https://hôte[:port], http seulement en local)."
    message_en = "Invalid origin: “{origin}” (https://host[:port], http only for localhost)."


class InvalidApiKey(DomainError):
    code = "INVALID_API_KEY"
    message_fr = "Clé d'API inconnue ou révoquée."
    message_en = "Unknown or revoked API key."


class InvalidWidgetKey(DomainError):
    code = "INVALID_WIDGET_KEY"
    message_fr = "Clé de widget inconnue, révoquée ou d'une autre organisation."
    message_en = "Unknown or revoked widget key, or one of another organisation."


class MemberNotAllowed(DomainError):
    code = "MEMBER_NOT_ALLOWED"
    message_fr = "Ce membre n'existe pas, n'est pas actif ou n'a pas confirmé son adresse e-mail."
    message_en = "This member does not exist, is not active or has not confirmed their email."


class KeyNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Clé introuvable."
    message_en = "Key not found."
