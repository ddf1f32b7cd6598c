"""GraphQL for capture sessions, uploads, deposits and the archive."""
