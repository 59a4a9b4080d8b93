"""Apply against the sandbox: convergence, chains, failures, faults, locks, stop, tokens."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pmp_reconcile.apply.result import Outcome
from pmp_reconcile.errors import StalePlanError
from pmp_reconcile.model import Branding, Experience, MarketplaceState, RequestPolicy, Status
from pmp_reconcile.sandbox import FaultSettings, Progression, SandboxSettings, inject_state_faults
from pmp_reconcile.workflows import read_settled
from pmp_reconcile.workflows.saved_plans import ensure_fresh

from rig import Rig, with_options


def product(n: int) -> str:
    return f"prod-{n:08d}"


def experience(key: str, **fields: Any) -> Experience:
    values: dict[str, Any] = {"key": key, "name": key.title(), "status": Status.ENABLED}
    values.update(fields)
    return Experience(**values)


def desired(*experiences: Experience) -> MarketplaceState:
    return MarketplaceState(experiences=experiences)


FINANCE = experience(
    "finance",
    principals=frozenset({"111111111111", "ou-ab12-cdefgh12"}),
    allowed=frozenset(product(i) for i in range(3)),
    denied=frozenset({product(99)}),
    software_requests=RequestPolicy.DENY,
    branding=Branding(title="Finance", theme_color="#0A66C2"),
)


def converged(rig: Rig, state: MarketplaceState) -> None:
    again = rig.plan(state)
    assert not again.has_changes, [a.kind for e in again.experiences for a in e.actions]


def test_a_new_experience_is_created_whole_and_then_plans_nothing() -> None:
    rig = Rig()
    _plan, result = rig.apply(desired(FINANCE))
    assert result.ok
    assert [r.outcome for r in result.change_sets] == [Outcome.SUCCEEDED] * len(result.change_sets)
    live = rig.live().experiences
    assert [(e.name, e.status, e.software_requests) for e in live] == [
        ("Finance", Status.ENABLED, RequestPolicy.DENY)
    ]
    assert live[0].principals == FINANCE.principals
    assert live[0].allowed == FINANCE.allowed
    assert live[0].denied == FINANCE.denied
    converged(rig, desired(FINANCE))


def test_more_products_than_one_change_set_holds_run_as_a_chain() -> None:
    rig = Rig()
    big = experience("big", allowed=frozenset(product(i) for i in range(1200)))
    _plan, result = rig.apply(desired(big))
    names = [r.name for r in result.change_sets]
    assert len(names) > 1
    assert all(r.outcome is Outcome.SUCCEEDED for r in result.change_sets)
    assert rig.live().experiences[0].allowed == big.allowed
    converged(rig, desired(big))


def test_a_principal_moves_between_experiences_in_waves() -> None:
    rig = Rig()
    left = experience("left", principals=frozenset({"222222222222"}))
    right = experience("right")
    rig.apply(desired(left, right))
    moved = (
        replace(left, principals=frozenset()),
        replace(right, principals=frozenset({"222222222222"})),
    )
    plan, result = rig.apply(desired(*moved))
    assert result.ok
    assert [w.index for w in plan.waves] == [1, 2]
    converged(rig, desired(*moved))


def test_a_failed_disassociation_holds_back_the_experience_that_takes_the_principal() -> None:
    rig = Rig()
    left = experience("left", principals=frozenset({"222222222222"}))
    right = experience("right", allowed=frozenset({product(1)}))
    rig.apply(desired(left, right))
    moved = (
        replace(left, principals=frozenset()),
        replace(right, principals=frozenset({"222222222222"})),
    )
    inject_state_faults(rig.marketplace, fail_change_sets=1, failure="CLIENT_ERROR")
    _plan, result = rig.apply(desired(*moved))
    outcomes = {(r.experience, r.wave): r for r in result.change_sets}
    assert outcomes["left", 1].outcome is Outcome.FAILED
    held = outcomes["right", 2]
    assert held.outcome is Outcome.SKIPPED, held
    assert held.note == "skipped: 'left' failed to release principal(s) it takes: 222222222222"
    _, again = rig.apply(desired(*moved))
    assert again.ok
    converged(rig, desired(*moved))


def test_a_failed_change_set_skips_its_chain_and_lets_others_finish_then_rerun_converges() -> None:
    rig = Rig()
    one = experience("one", allowed=frozenset(product(i) for i in range(1200)))
    two = experience("two", allowed=frozenset({product(5000)}))
    inject_state_faults(rig.marketplace, fail_change_sets=1, failure="CLIENT_ERROR")
    _plan, result = rig.apply(desired(one, two), max_parallel=1)
    outcomes = {r.name: r.outcome for r in result.change_sets}
    assert not result.ok
    assert list(outcomes.values()).count(Outcome.FAILED) == 1
    failed = result.failed[0]
    assert failed.experience == "one"
    skipped = [r for r in result.change_sets if r.outcome is Outcome.SKIPPED]
    assert skipped
    assert {r.experience for r in skipped} == {"one"}
    assert any(r.experience == "two" and r.outcome is Outcome.SUCCEEDED for r in result.change_sets)
    _, again = rig.apply(desired(one, two))
    assert again.ok
    names = sorted(e.name for e in rig.live().experiences)
    assert names == ["One", "Two"], "a re-run must not create the experience twice"
    converged(rig, desired(one, two))


def test_a_server_fault_is_retried_once_with_a_new_token() -> None:
    rig = Rig()
    inject_state_faults(rig.marketplace, fail_change_sets=1, failure="SERVER_FAULT")
    _, result = rig.apply(desired(FINANCE))
    assert result.ok
    assert result.change_sets[0].attempts == 2
    converged(rig, desired(FINANCE))


def test_two_server_faults_fail_the_change_set() -> None:
    rig = Rig()
    inject_state_faults(rig.marketplace, fail_change_sets=2, failure="SERVER_FAULT")
    _, result = rig.apply(desired(FINANCE))
    assert [r.outcome for r in result.change_sets][:1] == [Outcome.FAILED]
    assert result.change_sets[0].failure_code == "SERVER_FAULT"


def test_throttling_and_internal_errors_are_retried_until_it_converges() -> None:
    faults = FaultSettings(throttle=True, error_rate=0.3, error_seed=3)
    rig = Rig(settings=SandboxSettings(faults=faults))
    _, result = rig.apply(desired(FINANCE, experience("other")))
    assert result.ok
    assert rig.slept, "retries and pacing must have waited"
    converged(rig, desired(FINANCE, experience("other")))


def test_a_foreign_lock_is_waited_for_then_the_change_set_runs() -> None:
    rig = Rig()
    rig.apply(desired(FINANCE))
    exp_id = rig.live().experiences[0].live.experience.id  # type: ignore[union-attr]
    (holder,) = inject_state_faults(rig.marketplace, lock_entities=(exp_id,))
    changed = replace(FINANCE, description="Finance team")
    plan = rig.plan(desired(changed))

    released: list[float] = []

    def sleep_then_release(seconds: float) -> None:
        rig.sleep(seconds)
        if sum(rig.slept) > 5 and not released:
            released.append(seconds)
            rig.marketplace.release_lock(holder)

    executor = rig.executor()
    executor.time.sleep = sleep_then_release
    result = executor.run(plan)
    assert result.ok
    assert released
    converged(rig, desired(changed))


def test_a_lock_held_past_the_timeout_fails_with_resource_in_use() -> None:
    rig = Rig()
    rig.apply(desired(FINANCE))
    exp_id = rig.live().experiences[0].live.experience.id  # type: ignore[union-attr]
    inject_state_faults(rig.marketplace, lock_entities=(exp_id,))
    changed = replace(FINANCE, description="Finance team")
    _, result = rig.apply(desired(changed), in_use_timeout=30)
    assert not result.ok
    assert "ResourceInUse" in (result.change_sets[0].failure_code or "")


def test_a_stop_request_starts_nothing() -> None:
    rig = Rig()
    plan = rig.plan(desired(FINANCE))
    executor = rig.executor()
    executor.stop.set()
    result = executor.run(plan)
    assert result.interrupted
    assert {r.outcome for r in result.change_sets} == {Outcome.NOT_STARTED}
    assert rig.live().experiences == ()


def test_a_retried_start_with_the_same_token_never_makes_a_second_change_set() -> None:
    rig = Rig()
    plan = rig.plan(desired(FINANCE))
    changes = list(plan.waves[0].chains[0].change_sets[0].changes)
    first = rig.api.start_change_set(changes, "same", "token-1")
    second = rig.api.start_change_set(changes, "same", "token-1")
    assert first["ChangeSetId"] == second["ChangeSetId"]
    assert [e.name for e in rig.live().experiences] == ["Finance"]


@pytest.mark.parametrize(
    "move",
    ["rename", "new experience", "policy change", "audience change"],
)
def test_a_plan_is_stale_when_live_moved_since(move: str) -> None:
    rig = Rig()
    rig.apply(desired(FINANCE))
    changed = replace(FINANCE, description="planned")
    plan = rig.plan(desired(changed))
    if move == "rename":
        foreign = replace(FINANCE, name="Finance renamed")
    elif move == "new experience":
        rig.apply(desired(FINANCE, experience("intruder")))
        foreign = None
    elif move == "policy change":
        foreign = replace(FINANCE, software_requests=RequestPolicy.ALLOW)
    else:
        foreign = replace(FINANCE, principals=frozenset({"111111111111"}))
    if foreign is not None:
        _, result = rig.apply(desired(foreign))
        assert result.ok
    with pytest.raises(StalePlanError):
        ensure_fresh(plan, rig.live())


def test_a_fresh_plan_passes_the_staleness_check() -> None:
    rig = Rig()
    rig.apply(desired(FINANCE))
    plan = rig.plan(desired(replace(FINANCE, description="planned")))
    ensure_fresh(plan, rig.live())


def test_change_sets_already_open_are_waited_for_before_reading() -> None:
    rig = Rig(settings=with_options(progression=Progression(mode="describes", describes=3)))
    rig.apply(desired(FINANCE))
    exp_id = rig.live().experiences[0].live.experience.id  # type: ignore[union-attr]
    foreign = replace(FINANCE, description="someone else")
    plan = rig.plan(desired(foreign))
    started = rig.api.start_change_set(
        list(plan.waves[0].chains[0].change_sets[0].changes), "x", "t"
    )
    live = rig.live()
    assert [c.id for c in live.open_change_sets] == [started["ChangeSetId"]]
    assert exp_id in live.open_change_sets[0].entity_ids
    executor = rig.executor()
    settled = read_settled(rig.api, executor)
    assert settled.open_change_sets == ()
    assert settled.experiences[0].description == "someone else"


def test_an_open_creation_started_by_this_tool_is_reported_a_foreign_one_is_not() -> None:
    rig = Rig(settings=with_options(progression=Progression(mode="describes", describes=3)))
    plan = rig.plan(desired(FINANCE))
    changes = list(plan.waves[0].chains[0].change_sets[0].changes)
    ours = rig.api.start_change_set(changes, "pmp-reconcile finance wave 2", "t1")
    rig.api.start_change_set(
        [{**changes[0], "DetailsDocument": {"Name": "Other"}}], "made-by-hand", "t2"
    )
    assert [c.id for c in rig.live().open_change_sets] == [ours["ChangeSetId"]]


def test_a_rerun_after_a_failure_that_changed_nothing_starts_a_new_change_set() -> None:
    rig = Rig()
    inject_state_faults(rig.marketplace, fail_change_sets=1, failure="CLIENT_ERROR")
    _, first = rig.apply(desired(FINANCE))
    assert first.failed
    again = rig.executor().run(rig.plan(desired(FINANCE)))
    assert again.ok
    assert again.change_sets[0].change_set_id != first.change_sets[0].change_set_id
    converged(rig, desired(FINANCE))


def test_a_note_edited_on_an_allowed_product_is_reported_not_planned() -> None:
    """A note is sent only with a decision: editing it on a product allowed already plans no
    change (AWS documents no update of a note alone) but the plan says so (W105)."""
    rig = Rig()
    noted = replace(FINANCE, notes={product(0): "SR-1042"})
    _plan, result = rig.apply(desired(noted))
    assert result.ok
    assert rig.live().experiences[0].notes == {product(0): "SR-1042"}
    edited = replace(FINANCE, notes={product(0): "SR-2001", product(1): "new"})
    plan = rig.plan(desired(edited))
    assert not plan.has_changes
    [warning] = [w for w in plan.warnings if w.code == "W105"]
    assert warning.severity == "info"
    assert f"{product(0)} 'SR-1042' → 'SR-2001'" in warning.message
    assert f"{product(1)} (none) → 'new'" in warning.message
    assert not [w for w in rig.plan(desired(noted)).warnings if w.code == "W105"]
