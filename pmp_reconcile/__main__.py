"""``python -m pmp_reconcile``."""

from pmp_reconcile.cli import run

run()
