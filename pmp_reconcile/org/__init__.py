"""AWS Organizations: bootstrap of PMP, the organization tree, who governs an account."""
