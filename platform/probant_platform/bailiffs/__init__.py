"""Bailiff offices: directory, review of submitted deposits, attestations, PV de constat,
on-site constat requests."""
