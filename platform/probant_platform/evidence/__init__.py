"""Evidence: capture sessions, media items, deposits from draft to sealed, the archive."""
