"""Catalogue (packs and plans, amounts in cents with VAT) and payment providers."""
