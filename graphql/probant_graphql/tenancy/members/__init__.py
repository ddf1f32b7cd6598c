"""Inviting members and activating their account; roles, removal and ownership."""
