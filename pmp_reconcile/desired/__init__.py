"""Desired state: the YAML tree under ``desired_state/`` → :class:`MarketplaceState`."""
