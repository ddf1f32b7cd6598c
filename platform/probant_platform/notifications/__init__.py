"""Notifications: the in-app inbox, email and web push, fanned out from domain events (see
docs/notifications.md), rendered in the recipient's language."""
