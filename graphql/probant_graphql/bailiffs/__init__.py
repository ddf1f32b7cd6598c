"""GraphQL of the bailiff offices: directory, review, constats, on-site requests."""
