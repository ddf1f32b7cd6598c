"""Typed failures of capture and deposits."""

from __future__ import annotations

from probant_platform.errors import DomainError, api_name


class EmailNotVerified(DomainError):
    code = "EMAIL_NOT_VERIFIED"
    message_fr = "Confirmez votre adresse e-mail avant de déposer des preuves."
    message_en = "Confirm your email address before depositing evidence."


class CaptureSessionExpired(DomainError):
    code = "CAPTURE_SESSION_EXPIRED"
    message_fr = "La session de capture a expiré. Recommencez la capture."
    message_en = "The capture session has expired. Start the capture again."


class ItemLimitReached(DomainError):
    code = "ITEM_LIMIT_REACHED"
    message_fr = "Ce dépôt contient déjà le nombre maximal d'éléments ({limit})."
    message_en = "This deposit already holds the maximum number of items ({limit})."


class WrongMediaKind(DomainError):
    code = "WRONG_MEDIA_KIND"
    message_fr = "Ce type de média ne correspond pas à la session de capture."
    message_en = "This kind of media does not match the capture session."


class DepositNotFound(DomainError):
    code = "NOT_FOUND"
    message_fr = "Dépôt introuvable."
    message_en = "Deposit not found."


class AlreadySealed(DomainError):
    code = "ALREADY_SEALED"
    message_fr = "Ce dépôt est déjà scellé : il ne peut plus être modifié."
    message_en = "This deposit is already sealed: it can no longer change."


class QuoteChanged(DomainError):
    code = "QUOTE_CHANGED"
    message_fr = "Le prix a changé ({credits} crédit(s)). Vérifiez-le et confirmez à nouveau."
    message_en = "The price changed ({credits} credit(s)). Check it and confirm again."


class NothingToSeal(DomainError):
    code = "NOTHING_TO_SEAL"
    message_fr = "Ajoutez au moins une photo ou une vidéo, un titre et l'adresse avant de signer."
    message_en = "Add at least one photo or video, a title and the address before signing."


class InvalidText(DomainError):
    code = "INVALID_INPUT"
    message_fr = "Le champ « {field} » est trop long ou contient des caractères interdits."
    message_en = "The field “{field}” is too long or contains forbidden characters."

    def __init__(self, *, field: str):
        super().__init__(field=api_name(field))


class SignatureRequired(DomainError):
    code = "SIGNATURE_REQUIRED"
    message_fr = "Signez le dépôt de vos nom et prénom."
    message_en = "Sign the deposit with your full name."


class LocationRequired(DomainError):
    code = "LOCATION_REQUIRED"
    message_fr = (
        "Votre organisation exige la position de chaque capture : autorisez la localisation."
    )
    message_en = "Your organisation requires the location of every capture: allow location access."


class BatchSizeRefused(DomainError):
    code = "BATCH_SIZE_REFUSED"
    message_fr = "Un envoi groupé compte de 1 à {limit} éléments : rien n'a été préparé."
    message_en = "A batch holds from 1 to {limit} items: nothing was staged."


class BatchItemRefused(DomainError):
    """One item of a batch was refused, so none was staged: which one (`index`, from 0) and
    the refusal itself (`cause`, whose message this one repeats)."""

    code = "BATCH_ITEM_REFUSED"
    message_fr = "Élément n° {number} (index {index}) refusé, rien n'a été préparé : {reason}"
    message_en = "Item no. {number} (index {index}) refused, nothing was staged: {reason}"

    def __init__(self, *, index: int, cause: DomainError):
        self.cause = cause
        super().__init__(index=index, reason=cause.code)

    def message(self, locale: str | None) -> str:
        template = self.message_en if locale == "en" else self.message_fr
        index = self.params["index"]
        return template.format(index=index, number=index + 1, reason=self.cause.message(locale))
