"""The partner API's GraphQL: API clients, webhook endpoints, and the per-field scope guard."""
