"""Partners: OAuth2 API clients of an organisation, their access tokens and signing keys."""
