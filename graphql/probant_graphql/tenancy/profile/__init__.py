"""A person's password, profile, notification preferences and account deletion; the
organisation's profile."""
