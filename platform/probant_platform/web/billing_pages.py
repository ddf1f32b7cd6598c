"""The pages Checkout sends the payer back to, and the development "portal"."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

PAGES = {
    "completed": (
        "Paiement reçu",
        "Merci. Vos crédits ou votre abonnement apparaissent dans Probant dès que le "
        "prestataire de paiement l'a confirmé (quelques secondes).",
        "Payment received. Your credits or plan appear in Probant as soon as the payment "
        "provider confirms it (a few seconds).",
    ),
    "cancelled": (
        "Paiement annulé",
        "Aucun montant n'a été débité. Vous pouvez reprendre l'achat à tout moment.",
        "Nothing was charged. You can buy again at any time.",
    ),
    "portal": (
        "Abonnement",
        "Paiements de développement : aucun portail de paiement. L'abonnement et les achats "
        "se consultent dans Probant (billingSubscription, purchases).",
        "Development payments: there is no payment portal. See the plan and purchases in "
        "Probant (billingSubscription, purchases).",
    ),
}


async def billing_page(request: Request) -> HTMLResponse:
    page = PAGES.get(request.path_params["page"])
    if page is None:
        return HTMLResponse("Not found", status_code=404)
    title, french, english = page
    development = request.query_params.get("provider") == "development" or request.query_params.get(
        "checkout", ""
    ).startswith("dev_")
    label = "<p><strong>development payment — no money moved</strong></p>" if development else ""
    body = (
        f"<!doctype html><html lang='fr'><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<h1>{escape(title)}</h1>{label}<p>{escape(french)}</p><p lang='en'>{escape(english)}</p>"
        "</html>"
    )
    return HTMLResponse(body)
