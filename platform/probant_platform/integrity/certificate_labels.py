"""The words of the certified report, in French (default) and English."""

from __future__ import annotations

from probant_platform.integrity.chain import DEVELOPMENT_LABEL

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "kind": "Rapport certifié",
        "reference": "Référence",
        "organisation": "Organisation",
        "author": "Auteur du dépôt",
        "signed_by": "Signé par",
        "address": "Adresse",
        "sealed_at": "Scellé le",
        "items_count": "Éléments",
        "items": "Éléments scellés",
        "item": "Élément",
        "bytes": "octets",
        "sha256": "Empreinte SHA-256",
        "captured_at": "Heure de capture (appareil)",
        "received_at": "Heure de réception (serveur)",
        "skew": "écart d'horloge signalé",
        "gps": "Position GPS",
        "no_gps": "Position GPS non disponible",
        "comment": "Commentaire",
        "signature": "Signature",
        "signed_statement": "Dépôt confirmé et signé par",
        "anchor": "Ancrage",
        "batch": "Lot",
        "root": "racine",
        "chain": "Chaîne",
        "transaction": "Transaction",
        "block": "Bloc",
        "dev_label": DEVELOPMENT_LABEL["fr"],
        "verify": "Vérification",
        "verify_text": (
            "Scannez ce code ou ouvrez l'adresse ci-dessous pour vérifier les fichiers : "
            "l'empreinte est calculée dans votre navigateur."
        ),
        "footer": (
            "Document signé électroniquement par Probant (PAdES). Toute modification du fichier "
            "invalide la signature. Vérification publique : {url}"
        ),
        "sign_reason": "Rapport certifié du dépôt {reference}",
    },
    "en": {
        "kind": "Certified report",
        "reference": "Reference",
        "organisation": "Organisation",
        "author": "Author of the deposit",
        "signed_by": "Signed by",
        "address": "Address",
        "sealed_at": "Sealed on",
        "items_count": "Items",
        "items": "Sealed items",
        "item": "Item",
        "bytes": "bytes",
        "sha256": "SHA-256",
        "captured_at": "Capture time (device)",
        "received_at": "Receipt time (server)",
        "skew": "clock skew flagged",
        "gps": "GPS position",
        "no_gps": "No GPS position",
        "comment": "Comment",
        "signature": "Signature",
        "signed_statement": "Deposit confirmed and signed by",
        "anchor": "Anchor",
        "batch": "Batch",
        "root": "root",
        "chain": "Chain",
        "transaction": "Transaction",
        "block": "Block",
        "dev_label": DEVELOPMENT_LABEL["en"],
        "verify": "Verification",
        "verify_text": (
            "Scan this code or open the address below to check the files: the hash is "
            "computed in your browser."
        ),
        "footer": (
            "Electronically signed by Probant (PAdES). Any change to the file breaks the "
            "signature. Public verification: {url}"
        ),
        "sign_reason": "Certified report of deposit {reference}",
    },
}
