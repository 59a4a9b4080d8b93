"""How long an apply runs: change sets of one experience run one after another.

The API locks an experience while a change set on it is open, and an Allow or Deny change
carries at most 50 products, so 3,000 new products for one experience are 60 change sets in a
row, whatever runs beside them. The plan counts them per experience and warns when one chain
is long, so a reviewer (and the apply job's timeout) can expect it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pmp_reconcile.plan import codes
from pmp_reconcile.plan.values import PlanWarning, Wave

#: From this many change sets in a row for one experience the plan warns (1,000 products).
LONG_CHAIN = 20


def sequential_change_sets(waves: Sequence[Wave]) -> Counter[str]:
    """Change sets per experience across all waves: each waits for the one before."""
    counts: Counter[str] = Counter()
    for wave in waves:
        for chain in wave.chains:
            counts[chain.experience] += len(chain.change_sets)
    return counts


def long_chain_warnings(waves: Sequence[Wave], limit: int = LONG_CHAIN) -> list[PlanWarning]:
    """W302 for each experience whose change sets in a row reach ``limit``, longest first."""
    counts = sequential_change_sets(waves)
    longest = sorted((c for c in counts.items() if c[1] >= limit), key=lambda c: (-c[1], c[0]))
    return [
        PlanWarning.of(codes.LONG_CHAIN, _message(experience, count), experience)
        for experience, count in longest
    ]


def _message(experience: str, count: int) -> str:
    return (
        f"experience '{experience}' needs {count} change sets one after another (the API "
        f"locks an experience while one runs): apply takes as long as {count} change sets in "
        "a row (other experiences run beside it)"
    )
