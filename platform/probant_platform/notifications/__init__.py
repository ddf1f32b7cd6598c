"""Email (and later push) notifications, rendered from templates in the recipient's language."""
