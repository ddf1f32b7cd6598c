"""Embedding the capture widget in a tenant's intranet: widget keys, API keys, capture tokens."""
