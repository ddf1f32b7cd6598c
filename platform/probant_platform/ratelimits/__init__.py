"""Request and cost budgets per client and per organisation, shared by every API process."""
