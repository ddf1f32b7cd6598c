"""Probant's core: configuration, database, domains, jobs, web composition and CLI."""

import warnings

# pyHanko imports cryptography's DSA class at import time (deprecated from cryptography 51);
# Probant never signs or verifies with DSA, so the warning would only confuse an operator.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")

__version__ = "0.1.0"
