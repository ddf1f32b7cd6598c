"""In-app notifications: the inbox, read marks and per-kind preferences."""
