"""GraphQL for credits: balances, transfers, quotes and operator adjustments."""
