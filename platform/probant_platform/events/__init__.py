"""Domain events: written in the transaction of the change, consumed after it commits."""
