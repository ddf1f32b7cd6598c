"""GraphQL for widget keys and secret API keys (OWNER/ADMIN)."""
