"""Outbound webhooks: an organisation's endpoints, signed deliveries of domain events, retries."""
