"""The catalogue, credit packs, plans, subscriptions and receipts over GraphQL."""
