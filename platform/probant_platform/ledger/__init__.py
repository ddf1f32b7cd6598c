"""Credits: a double-entry ledger of wallets, with pricing of deposits."""
