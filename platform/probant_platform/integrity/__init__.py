"""Integrity: Merkle batches of sealed items' hashes, proofs anyone can check."""
