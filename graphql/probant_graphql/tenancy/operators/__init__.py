"""The operators' console: organisations, onboarding offices, the catalogue, proposals, the
platform audit log and the anchoring status (role OPERATOR only)."""
