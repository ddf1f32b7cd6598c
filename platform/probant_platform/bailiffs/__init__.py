"""Bailiff offices: the directory, submissions and their review, attestations, PV de constat, on-site requests."""
