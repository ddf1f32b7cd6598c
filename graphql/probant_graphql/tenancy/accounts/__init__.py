"""Signing up, verifying an email address, logging in and out."""
