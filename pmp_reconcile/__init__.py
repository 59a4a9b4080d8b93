"""pmp-reconcile: AWS Private Marketplace as code."""

__version__ = "0.1.0"
