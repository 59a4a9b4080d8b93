"""What the tree load and the live read build is counted as old when they are done.

Left in the youngest generation, the first collection after them would walk every one of
those objects; counted as old they wait for a full collection, which still frees cycles.
"""

from __future__ import annotations

import gc

from pmp_reconcile.collector import collector_paused


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_objects_built_in_the_block_leave_the_young_generation_and_stay_collectable() -> None:
    gc.collect()
    with collector_paused():
        kept = [[n] for n in range(50_000)]
        cycle = Node()
        cycle.other = Node()
        cycle.other.other = cycle
        assert gc.get_count()[0] > 10 * gc.get_threshold()[0]  # all new while it pauses
    assert gc.isenabled()
    assert gc.get_count()[0] < gc.get_threshold()[0]  # not waiting to be walked as new
    assert gc.get_freeze_count() == 0  # nothing left out of collections for good
    del cycle
    assert gc.collect() >= 2  # a full collection still frees the cycle built in the block
    assert len(kept) == 50_000


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
