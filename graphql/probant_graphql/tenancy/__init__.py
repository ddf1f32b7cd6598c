"""GraphQL for organisations, accounts and members."""
