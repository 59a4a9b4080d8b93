"""The live reader against the in-process sandbox: calls, contents, revisions, scope, faults.

Everything real but time: boto3 → botocore → the sandbox, our CatalogApi with its limiter and
retries, the reader's thread pool. Waits (limiter and backoff) advance the sandbox's fake clock.
"""

from __future__ import annotations

import functools
import math
import random
import threading
import time
from dataclasses import asdict, replace
from typing import Any

import pytest

from pmp_reconcile.catalog.api import CatalogApi
from pmp_reconcile.catalog.client import CATALOG_SERVICE, ConnectionOptions, make_client
from pmp_reconcile.catalog.rate import RateLimiter, unlimited
from pmp_reconcile.catalog.reader import LiveReader
from pmp_reconcile.catalog.retry import RetryPolicy
from pmp_reconcile.errors import AwsNotFound
from pmp_reconcile.model import (
    Branding,
    Experience,
    MarketplaceState,
    OpenChangeSet,
    RequestPolicy,
    Status,
)
from pmp_reconcile.sandbox import (
    FaultSettings,
    Progression,
    SandboxSettings,
    StateOptions,
    attach,
)
from pmp_reconcile.sandbox.clock import EPOCH

from rig import Rig

OWNER = "111122223333"
DELEGATED = "444455556666"
DELEGATED_KEY = "AKIDDELEGATED"
OWNER_KEY = "AKIDOWNER"
EVENTS = "marketplace-catalog"


class ReaderRig(Rig):
    """The shared rig with exact fake time.

    ``Rig.monotonic`` returns the fake clock's epoch timestamp (~1.7e9 s, resolution ~2.4e-7 s)
    and ``FakeClock`` rounds advances to whole microseconds, so a limiter wait of a few tenths
    of a microsecond never moves the clock and ``acquire`` loops forever (the 21st describe in
    one fake second hangs). Here time is counted from the clock's start and sleeps are rounded
    up to the microsecond.
    """

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(math.ceil(seconds * 1e6) / 1e6)

    def monotonic(self) -> float:
        return (self.clock.now() - EPOCH).total_seconds()

    @functools.cached_property
    def owner(self) -> CatalogApi:
        """One more owner client, for the checks and changes a test makes beside the read."""
        return self.connect()

    def connect_as(
        self,
        access_key: str,
        *,
        shared_scope: bool = False,
        settings: SandboxSettings | None = None,
    ) -> CatalogApi:
        """A CatalogApi signing with ``access_key`` (the sandbox maps keys to accounts)."""
        chosen = settings or self.settings

        def transport(client: Any) -> None:
            attach(client, self.marketplace, chosen, clock=self.clock, sleep=self.sleep)

        options = ConnectionOptions(credentials=(access_key, "secret"))
        client = make_client(CATALOG_SERVICE, options, transport)
        return CatalogApi(
            client=client,
            limiter=RateLimiter(clock=self.monotonic, sleep=self.sleep),
            retry=RetryPolicy(sleep=self.sleep, rng=random.Random(0)),
            shared_scope=shared_scope,
        )


@pytest.fixture(autouse=True)
def _no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every wait must go through the fake clock; a real sleep fails the test."""

    def forbidden(seconds: float) -> None:
        raise AssertionError(f"real time.sleep({seconds}) during a fake-time test")

    monkeypatch.setattr(time, "sleep", forbidden)


@pytest.fixture(autouse=True)
def _hermetic_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's AWS profile must not reach boto3.Session()."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)


# -- helpers -------------------------------------------------------------------------------


def account(n: int) -> str:
    return f"{n:012d}"


def product(n: int) -> str:
    return f"prod-{n:06d}"


def read(api: CatalogApi) -> MarketplaceState:
    return LiveReader(api).read()


def bare(experience: Experience) -> Experience:
    """The experience without its generated id and live references."""
    return replace(experience, id=None, live=None)


def by_name(state: MarketplaceState) -> dict[str, Experience]:
    names = [e.name for e in state.experiences]
    assert len(names) == len(set(names)), names
    return {e.name: e for e in state.experiences}


def full_experience(i: int) -> dict[str, Any]:
    """Seed of experience ``i``: policy (2 allowed, 1 denied), branding, one audience."""
    return {
        "name": f"Team-{i:03d}",
        "description": f"team {i}",
        "status": "Enabled" if i % 2 else "Disabled",
        "procurement_policy": {
            "requests": "Deny" if i % 3 == 0 else "Allow",
            "allow": [product(2 * i), product(2 * i + 1)],
            "deny": [product(100_000 + i)],
        },
        "branding": {"title": f"Team {i}", "theme_color": "#0A66C2"},
        "audiences": [{"principals": [account(i)]}],
    }


def expected_full(i: int) -> Experience:
    return Experience(
        name=f"Team-{i:03d}",
        description=f"team {i}",
        status=Status.ENABLED if i % 2 else Status.DISABLED,
        software_requests=RequestPolicy.DENY if i % 3 == 0 else RequestPolicy.ALLOW,
        principals=frozenset({account(i)}),
        allowed=frozenset({product(2 * i), product(2 * i + 1)}),
        denied=frozenset({product(100_000 + i)}),
        notes={},
        branding=Branding(title=f"Team {i}", theme_color="#0A66C2"),
    )


class Recorder:
    """The parameters of every call of one operation, as the client was given them."""

    def __init__(self, api: CatalogApi, operation: str) -> None:
        self.params: list[dict[str, Any]] = []
        api.client.meta.events.register(f"provide-client-params.{EVENTS}.{operation}", self._record)

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        self.params.append(dict(params))


def describe_identifier(api: CatalogApi, entity_id: str) -> str:
    return str(api.describe_entity(entity_id)["EntityIdentifier"])


def list_ids(api: CatalogApi, entity_type: str) -> set[str]:
    return {str(s["EntityId"]) for s in api.list_entities(entity_type)}


# -- calls ---------------------------------------------------------------------------------


def test_sixty_full_experiences_take_the_minimum_reads_in_batches_of_twenty() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [full_experience(i) for i in range(60)]})
    batches = Recorder(rig.api, "BatchDescribeEntities")
    lists = Recorder(rig.api, "ListEntities")

    state = read(rig.api)

    # 60 experiences + 60 audiences, then 60 policies + 60 brandings: 240 entities.
    assert rig.api.calls.counts == {
        "ListEntities": 4,  # two pages of 50 per type
        "ListChangeSets": 1,
        "BatchDescribeEntities": 12,  # ceil(240 / 20), no DescribeEntity at all
    }
    assert [len(p["EntityRequestList"]) for p in batches.params] == [20] * 12
    described = [r["EntityId"] for p in batches.params for r in p["EntityRequestList"]]
    assert len(described) == len(set(described)) == 240
    assert sorted(described) == sorted(
        list_ids(rig.owner, "Experience")
        | list_ids(rig.owner, "Audience")
        | {e.id for x in state.experiences if x.live for e in x.live.entities()}
    )
    assert sorted((p["EntityType"], p["MaxResults"], "NextToken" in p) for p in lists.params) == [
        ("Audience", 50, False),
        ("Audience", 50, True),
        ("Experience", 50, False),
        ("Experience", 50, True),
    ]
    assert [bare(e) for e in state.experiences] == [expected_full(i) for i in range(60)]


def test_experiences_are_described_while_later_pages_of_their_list_are_on_the_way() -> None:
    """A later page of a list is held back until a describe has started: only a reader that
    describes the ids of the pages it has goes on (one that waits for whole lists stalls)."""
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [{"name": f"Bare-{i:03d}"} for i in range(120)]})
    described = threading.Event()
    stalled: list[str] = []

    def describing(**_: Any) -> None:
        described.set()

    def later_page(params: dict[str, Any], **_: Any) -> None:
        if "NextToken" in params and not described.wait(timeout=10):
            stalled.append(params["EntityType"])

    events = rig.api.client.meta.events
    events.register(f"provide-client-params.{EVENTS}.BatchDescribeEntities", describing)
    events.register(f"provide-client-params.{EVENTS}.ListEntities", later_page)

    state = read(rig.api)

    assert not stalled
    assert len(state.experiences) == 120
    assert rig.api.calls.counts["BatchDescribeEntities"] == 6  # ceil(120 / 20): still full


def test_bare_experiences_need_no_second_step_and_a_partial_last_batch() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [{"name": f"Bare-{i:02d}"} for i in range(51)]})
    batches = Recorder(rig.api, "BatchDescribeEntities")

    state = read(rig.api)

    assert rig.api.calls.counts == {
        "ListEntities": 3,  # Experience: 50 + 1; Audience: one empty page
        "ListChangeSets": 1,
        "BatchDescribeEntities": 3,  # ceil(51 / 20)
    }
    assert sorted(len(p["EntityRequestList"]) for p in batches.params) == [11, 20, 20]
    assert [bare(e) for e in state.experiences] == [
        Experience(name=f"Bare-{i:02d}", software_requests=None, notes={}) for i in range(51)
    ]


def test_each_step_is_batched_on_its_own() -> None:
    """45 experiences + 45 audiences, then 45 policies: ceil(90/20) + ceil(45/20) batches."""
    rig = ReaderRig()
    seeds = [
        {
            "name": f"Half-{i:02d}",
            "procurement_policy": {"allow": [product(i)]},
            "audiences": [{"principals": [account(i)]}],
        }
        for i in range(45)
    ]
    rig.marketplace.seed({"experiences": seeds})
    batches = Recorder(rig.api, "BatchDescribeEntities")

    state = read(rig.api)

    assert rig.api.calls.counts == {
        "ListEntities": 2,
        "ListChangeSets": 1,
        "BatchDescribeEntities": 5 + 3,
    }
    assert sorted(len(p["EntityRequestList"]) for p in batches.params) == [
        5,
        10,
        20,
        20,
        20,
        20,
        20,
        20,
    ]
    assert {e.name: (e.allowed, e.principals) for e in state.experiences} == {
        f"Half-{i:02d}": (frozenset({product(i)}), frozenset({account(i)})) for i in range(45)
    }


def test_an_empty_marketplace_reads_as_empty_with_only_the_lists() -> None:
    rig = ReaderRig()
    assert read(rig.api) == MarketplaceState()
    assert rig.api.calls.counts == {"ListEntities": 2, "ListChangeSets": 1}


# -- contents ------------------------------------------------------------------------------

LOGO = "https://assets.example.org/pmp/logo.png"
MIXED = {
    "experiences": [
        {
            "name": "Alpha",
            "description": "everything set",
            "status": "Enabled",
            "procurement_policy": {
                "name": "alpha-policy",
                "requests": "Deny",
                "allow": [product(1), product(2), product(3)],
                "deny": [product(9)],
                "notes": {product(1): "SR-1042", product(9): "end of life"},
            },
            "branding": {
                "name": "alpha-branding",
                "title": "Alpha tools",
                "information": "Ask #alpha-help first.",
                "theme_color": "#1A4D2E",
                "logo_url": LOGO,
            },
            "audiences": [{"principals": [account(1), "ou-ab12-cdefgh12"]}],
        },
        {"name": "Bravo", "status": "Disabled"},
        {
            "name": "Charlie",
            "archived": True,
            "procurement_policy": {
                "requests": "Allow",
                "allow": [product(4), product(5)],
                "deny": [product(5)],
            },
        },
        {
            "name": "Delta",
            "status": "Enabled",
            "procurement_policy": {},
            "branding": {"title": "Only a title"},
            "audiences": [{"principals": ["o-abcdefghij"]}],
        },
    ]
}


def test_every_field_of_every_experience_reads_exactly() -> None:
    rig = ReaderRig()
    rig.marketplace.seed(MIXED)

    state = read(rig.api)

    assert [bare(e) for e in state.experiences] == [
        Experience(
            name="Alpha",
            description="everything set",
            status=Status.ENABLED,
            software_requests=RequestPolicy.DENY,
            principals=frozenset({account(1), "ou-ab12-cdefgh12"}),
            allowed=frozenset({product(1), product(2), product(3)}),
            denied=frozenset({product(9)}),
            notes={product(1): "SR-1042", product(9): "end of life"},
            branding=Branding(
                title="Alpha tools",
                information="Ask #alpha-help first.",
                theme_color="#1A4D2E",
                logo_url=LOGO,
            ),
        ),
        # No procurement policy: users may buy everything, which reads as None.
        Experience(name="Bravo", status=Status.DISABLED, software_requests=None, notes={}),
        # Denying an allowed product moves it to the Deny statement.
        Experience(
            name="Charlie",
            status=Status.DISABLED,
            archived=True,
            software_requests=RequestPolicy.ALLOW,
            allowed=frozenset({product(4)}),
            denied=frozenset({product(5)}),
            notes={},
        ),
        # An empty policy (nothing allowed) is not the same as no policy.
        Experience(
            name="Delta",
            status=Status.ENABLED,
            software_requests=RequestPolicy.ALLOW,
            principals=frozenset({"o-abcdefghij"}),
            notes={},
            branding=Branding(title="Only a title"),
        ),
    ]
    assert [e.has_procurement_policy for e in state.experiences] == [True, False, True, True]
    assert state.open_change_sets == ()
    assert all(e.key is None and e.source is None for e in state.experiences)


def test_experiences_are_ordered_by_name_then_id_and_namesakes_are_all_kept() -> None:
    rig = ReaderRig()
    names = ["zulu", "Same", "alpha", "Same", "Mike"]
    rig.marketplace.seed({"experiences": [{"name": n} for n in names]})

    state = read(rig.api)

    assert [e.name for e in state.experiences] == ["Mike", "Same", "Same", "alpha", "zulu"]
    same = [str(e.id) for e in state.experiences if e.name == "Same"]
    assert same == sorted(same)
    assert len(set(same)) == 2
    assert {e.id for e in state.experiences} == list_ids(rig.owner, "Experience")


@pytest.mark.parametrize(
    ("seed", "status", "archived"),
    [
        ({"status": "Enabled"}, Status.ENABLED, False),
        ({"status": "Disabled"}, Status.DISABLED, False),
        ({}, Status.DISABLED, False),  # AWS creates experiences disabled
        ({"status": "Disabled", "archived": True}, Status.DISABLED, True),
    ],
)
def test_status_and_archive_state(seed: dict[str, Any], status: Status, archived: bool) -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [{"name": "Solo", **seed}]})

    (experience,) = read(rig.api).experiences

    assert (experience.status, experience.archived) == (status, archived)


def test_archive_revive_and_enable_are_seen_on_the_next_read() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [{"name": "Cycle", "archived": True}]})
    (archived,) = read(rig.api).experiences
    assert (archived.status, archived.archived) == (Status.DISABLED, True)
    assert archived.id is not None

    run(rig, archived.id, ("ReviveExperience", {}), ("UpdateExperience", {"Status": "Enabled"}))

    (live,) = read(rig.owner).experiences
    assert (live.status, live.archived) == (Status.ENABLED, False)


def run(rig: ReaderRig, experience_id: str, *changes: tuple[str, dict[str, Any]]) -> str:
    """Start (and, in ``immediate`` mode, finish) one change set on an experience."""
    payload = [
        {
            "ChangeType": change_type,
            "Entity": {"Type": "Experience@1.0", "Identifier": experience_id},
            "DetailsDocument": details,
        }
        for change_type, details in changes
    ]
    token = f"t-{len(rig.marketplace.change_sets)}"
    started = rig.owner.start_change_set(payload, f"test {token}", token)
    return str(started["ChangeSetId"])


# -- audiences -----------------------------------------------------------------------------


def test_principals_of_several_audience_entities_are_unioned() -> None:
    rig = ReaderRig()  # audiences="per_change": one Audience entity per AssociateAudience
    many = [account(1000 + i) for i in range(60)]  # seeded as two changes: 50 + 10
    rig.marketplace.seed(
        {
            "experiences": [
                {
                    "name": "Wide",
                    "audiences": [
                        {"name": "accounts", "principals": many},
                        {"name": "ous", "principals": ["ou-ab12-cdefgh12", "ou-ab12-ijklmn34"]},
                    ],
                },
                {"name": "Narrow", "audiences": [{"principals": [account(7)]}]},
            ]
        }
    )
    state = read(rig.api)
    experiences = by_name(state)
    wide, narrow = experiences["Wide"], experiences["Narrow"]
    assert wide.principals == frozenset({*many, "ou-ab12-cdefgh12", "ou-ab12-ijklmn34"})
    assert narrow.principals == frozenset({account(7)})

    owner = rig.owner
    audiences = {
        s["EntityId"]: owner.describe_entity(s["EntityId"])["DetailsDocument"]["ExperienceId"]
        for s in owner.list_entities("Audience")
    }
    assert wide.live is not None
    assert narrow.live is not None
    assert sorted(a.id for a in wide.live.audiences) == sorted(
        i for i, e in audiences.items() if e == wide.id
    )
    assert len(wide.live.audiences) == 3
    assert [a.id for a in narrow.live.audiences] == [
        i for i, e in audiences.items() if e == narrow.id
    ]
    assert {a.revision for a in (*wide.live.audiences, *narrow.live.audiences)} == {"1"}


def test_emptied_audiences_add_no_principals_but_stay_referenced() -> None:
    rig = ReaderRig()
    rig.marketplace.seed(
        {
            "experiences": [
                {
                    "name": "Shrunk",
                    "audiences": [
                        {"principals": [account(1), account(2)]},
                        {"principals": [account(3)]},
                    ],
                },
                {"name": "Emptied", "audiences": [{"principals": [account(4)]}]},
            ]
        }
    )
    before = by_name(read(rig.api))
    shrunk_id, emptied_id = before["Shrunk"].id, before["Emptied"].id
    assert shrunk_id is not None
    assert emptied_id is not None
    assert before["Shrunk"].principals == frozenset({account(1), account(2), account(3)})

    run(rig, shrunk_id, ("DisassociateAudience", {"Principals": [account(1), account(2)]}))
    run(rig, emptied_id, ("DisassociateAudience", {"Principals": [account(4)]}))

    after = by_name(read(rig.owner))
    assert after["Shrunk"].principals == frozenset({account(3)})
    assert after["Emptied"].principals == frozenset()
    shrunk, emptied = after["Shrunk"].live, after["Emptied"].live
    assert shrunk is not None
    assert emptied is not None
    assert len(shrunk.audiences) == 2
    assert len(emptied.audiences) == 1
    owner = rig.owner
    for audience in (*shrunk.audiences, *emptied.audiences):
        assert audience.identifier == describe_identifier(owner, audience.id)
    assert sorted(a.revision for a in shrunk.audiences) == ["1", "2"]
    assert [a.revision for a in emptied.audiences] == ["2"]


# -- revisions -----------------------------------------------------------------------------


def test_live_revisions_are_the_ones_describe_entity_shows() -> None:
    rig = ReaderRig()
    rig.marketplace.seed(MIXED)
    alpha = by_name(read(rig.owner))["Alpha"]
    assert alpha.id is not None
    run(
        rig,
        alpha.id,
        ("AllowProductProcurement", {"Products": [{"Ids": [product(20)]}]}),
        ("UpdateBrandingSettings", {"Configuration": {"ThemeColor": "#0B3D91"}}),
    )

    api = rig.connect()
    state = read(api)
    assert "DescribeEntity" not in api.calls.counts
    owner = rig.owner
    checked = 0
    for experience in state.experiences:
        assert experience.live is not None
        assert experience.live.experience.id == experience.id
        for entity in experience.live.entities():
            assert entity.identifier == describe_identifier(owner, entity.id)
            checked += 1
    # Alpha: 4 entities, Bravo: 1, Charlie: 2, Delta: 4.
    assert checked == 11

    live = by_name(state)["Alpha"].live
    assert live is not None
    # Seed: create, policy, allow, deny, branding, audience, enable (7); then 2 more changes.
    assert live.experience.revision == "9"
    assert live.procurement_policy is not None
    assert live.procurement_policy.revision == "4"
    assert live.branding is not None
    assert live.branding.revision == "2"
    assert by_name(state)["Alpha"].branding == Branding(
        title="Alpha tools",
        information="Ask #alpha-help first.",
        theme_color="#0B3D91",
        logo_url=LOGO,
    )
    assert product(20) in by_name(state)["Alpha"].allowed


def test_refs_are_none_where_an_experience_has_no_child() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [{"name": "Lonely"}]})
    (lonely,) = read(rig.api).experiences
    assert lonely.live is not None
    assert lonely.id is not None
    assert asdict(lonely.live) == {
        "experience": {"id": lonely.id, "revision": "1"},
        "procurement_policy": None,
        "branding": None,
        "audiences": (),
    }


# -- open change sets ----------------------------------------------------------------------


def test_open_change_sets_on_read_entities_are_listed_with_their_status() -> None:
    rig = ReaderRig(
        settings=SandboxSettings(state=StateOptions(progression=Progression("describes")))
    )
    rig.marketplace.seed(
        {
            "experiences": [
                {"name": "Applying"},
                {"name": "Preparing"},
                {"name": "Locked", "procurement_policy": {"allow": [product(1)]}},
                {"name": "Done"},
            ]
        }
    )
    ids = {e.name: e.id for e in read(rig.owner).experiences}
    owner = rig.owner
    policy = by_name(read(owner))["Locked"].live
    assert policy is not None
    assert policy.procurement_policy is not None
    policy_id = policy.procurement_policy.id

    applying = run(rig, str(ids["Applying"]), ("UpdateExperience", {"Status": "Enabled"}))
    for _ in range(2):  # two describes per state: PREPARING → APPLYING
        owner.describe_change_set(applying)
    preparing = run(rig, str(ids["Preparing"]), ("UpdateExperience", {"Description": "x"}))
    lock = rig.marketplace.hold_lock(policy_id)
    done = run(rig, str(ids["Done"]), ("UpdateExperience", {"Description": "y"}))
    for _ in range(4):
        owner.describe_change_set(done)
    assert owner.describe_change_set(done)["Status"] == "SUCCEEDED"
    released = rig.marketplace.hold_lock(str(ids["Done"]))
    rig.marketplace.release_lock(released)
    # A change set creating a new experience touches nothing that was read.
    create = {"ChangeType": "CreateExperience", "Entity": {"Type": "Experience@1.0"}}
    owner.start_change_set([{**create, "DetailsDocument": {"Name": "New"}}], "new one", "t-new")

    state = read(rig.owner)

    assert sorted(state.open_change_sets, key=lambda c: c.name) == [
        OpenChangeSet(
            id=lock, name="foreign-change-set", status="APPLYING", entity_ids=(policy_id,)
        ),
        OpenChangeSet(
            id=applying, name="test t-0", status="APPLYING", entity_ids=(str(ids["Applying"]),)
        ),
        OpenChangeSet(
            id=preparing, name="test t-1", status="PREPARING", entity_ids=(str(ids["Preparing"]),)
        ),
    ]
    # Reading does not move the lifecycle (no DescribeChangeSet).
    assert owner.describe_change_set(preparing)["Status"] == "PREPARING"


# -- delegated administrator ---------------------------------------------------------------


def delegated_rig() -> ReaderRig:
    options = StateOptions(owner_account_id=OWNER, progression=Progression("describes"))
    return ReaderRig(settings=SandboxSettings(state=options, callers={DELEGATED_KEY: DELEGATED}))


def test_a_delegated_admin_with_shared_scope_reads_the_owners_marketplace() -> None:
    rig = delegated_rig()
    rig.marketplace.seed(MIXED)
    owner = rig.connect_as(OWNER_KEY)
    alpha = by_name(read(owner))["Alpha"].id
    assert alpha is not None
    pending = run(rig, alpha, ("UpdateExperience", {"Description": "pending"}))

    owners_view = read(rig.connect_as(OWNER_KEY))
    delegate = rig.connect_as(DELEGATED_KEY, shared_scope=True)
    filters = Recorder(delegate, "ListEntities")
    change_filters = Recorder(delegate, "ListChangeSets")

    shared_view = read(delegate)

    assert shared_view == owners_view
    assert [e.name for e in shared_view.experiences] == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert [c.id for c in shared_view.open_change_sets] == [pending]
    scope = {"Name": "Scope", "ValueList": ["SharedWithMe"]}
    assert [p["FilterList"] for p in filters.params] == [[scope], [scope]]
    assert change_filters.params[0]["FilterList"] == [
        {"Name": "Status", "ValueList": ["PREPARING", "APPLYING"]},
        scope,
    ]
    assert delegate.calls.counts == {
        "ListEntities": 2,
        "ListChangeSets": 1,
        "BatchDescribeEntities": 2,  # 4 experiences + 2 audiences; 2 policies + 2 brandings
    }


def test_a_delegated_admin_without_shared_scope_sees_nothing() -> None:
    rig = delegated_rig()
    rig.marketplace.seed(MIXED)
    alpha = by_name(read(rig.connect_as(OWNER_KEY)))["Alpha"].id
    assert alpha is not None
    run(rig, alpha, ("UpdateExperience", {"Description": "pending"}))
    delegate = rig.connect_as(DELEGATED_KEY)

    assert read(delegate) == MarketplaceState()
    assert delegate.calls.counts == {"ListEntities": 2, "ListChangeSets": 1}


def test_the_owner_with_shared_scope_sees_nothing_shared() -> None:
    rig = delegated_rig()
    rig.marketplace.seed(MIXED)
    assert read(rig.connect_as(OWNER_KEY, shared_scope=True)) == MarketplaceState()


# -- faults --------------------------------------------------------------------------------

BIG = {"experiences": [full_experience(i) for i in range(120)]}  # 480 entities


def test_documented_rates_pace_the_reads_so_the_service_never_throttles() -> None:
    rig = ReaderRig()
    rig.marketplace.seed(BIG)
    baseline = read(rig.owner)
    throttled = rig.connect_as(
        OWNER_KEY, settings=SandboxSettings(faults=FaultSettings(throttle=True))
    )
    rig.slept.clear()
    start = rig.monotonic()

    assert read(throttled) == baseline

    # 24 batches at 20/s: the bucket's 20 then four waits of 1/20 s; nothing was retried.
    assert throttled.calls.counts == {
        "ListEntities": 6,
        "ListChangeSets": 1,
        "BatchDescribeEntities": 24,
    }
    assert rig.monotonic() - start >= 0.2 - 1e-6
    assert rig.slept
    assert all(s <= 0.05 + 1e-9 for s in rig.slept)
    assert [bare(e) for e in baseline.experiences] == [expected_full(i) for i in range(120)]


def test_throttled_calls_are_retried_until_the_whole_state_is_read() -> None:
    rig = ReaderRig()
    rig.marketplace.seed(BIG)
    baseline = read(rig.owner)
    faults = FaultSettings(throttle=True, rates={"ListEntities": 2.0, "DescribeEntity": 5.0})
    api = rig.connect_as(OWNER_KEY, settings=SandboxSettings(faults=faults))
    api.limiter = unlimited()  # only the service's quota and the retries pace the calls
    rig.slept.clear()

    assert read(api) == baseline

    # ListChangeSets is not rate-limited here; the other two were refused at least once.
    assert api.calls.counts["ListChangeSets"] == 1
    assert api.calls.counts["ListEntities"] > 6
    assert api.calls.counts["BatchDescribeEntities"] > 24
    retries = api.calls.total - (6 + 1 + 24)
    assert len(rig.slept) == retries  # one backoff per refused call, on fake time


def failures_before(successes: int, rate: float, seed: int) -> int:
    """Injected errors the sandbox's seeded dice give before ``successes`` calls succeed."""
    dice = random.Random(seed)
    failures = 0
    while successes:
        if dice.random() < rate:
            failures += 1
        else:
            successes -= 1
    return failures


def test_internal_errors_are_retried_and_the_state_is_read_whole() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [full_experience(i) for i in range(60)]})
    baseline = read(rig.owner)
    rate, seed = 0.25, 11
    needed = 4 + 1 + 12  # lists, change sets, batches
    failures = failures_before(needed, rate, seed)
    # The dice are consumed in call order, whatever the threads do; with fewer than 8
    # failures in all no call can use up its 8 attempts.
    assert 2 <= failures < 8
    faults = FaultSettings(error_rate=rate, error_seed=seed)
    api = rig.connect_as(OWNER_KEY, settings=SandboxSettings(faults=faults))
    rig.slept.clear()

    assert read(api) == baseline

    assert api.calls.total == needed + failures
    assert len(rig.slept) == failures  # one backoff each; the limiter never had to wait
    assert all(0.125 <= s <= 20.0 for s in rig.slept)


def test_throttling_and_internal_errors_together_still_read_everything() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [full_experience(i) for i in range(60)]})
    baseline = read(rig.owner)
    faults = FaultSettings(throttle=True, error_rate=0.15, error_seed=3)
    api = rig.connect_as(OWNER_KEY, settings=SandboxSettings(faults=faults))

    assert read(api) == baseline
    assert api.calls.total > 4 + 1 + 12


# -- entities that cannot be described -----------------------------------------------------


def vanish_on_describe(api: CatalogApi, rig: ReaderRig, entity_id: str) -> None:
    """Remove ``entity_id`` from the sandbox just before a batch asks for it."""

    def remove(params: dict[str, Any], **_: Any) -> None:
        if any(r["EntityId"] == entity_id for r in params["EntityRequestList"]):
            rig.marketplace.entities.by_id.pop(entity_id, None)

    api.client.meta.events.register(f"provide-client-params.{EVENTS}.BatchDescribeEntities", remove)


@pytest.mark.parametrize("part", ["audience", "procurement_policy"])
def test_an_entity_batch_describe_cannot_describe_is_a_clear_not_found_error(part: str) -> None:
    rig = ReaderRig()
    rig.marketplace.seed(MIXED)
    alpha = by_name(read(rig.owner))["Alpha"].live
    assert alpha is not None
    assert alpha.procurement_policy is not None
    missing = alpha.audiences[0].id if part == "audience" else alpha.procurement_policy.id
    api = rig.connect()
    vanish_on_describe(api, rig, missing)

    with pytest.raises(AwsNotFound) as raised:
        read(api)

    error = raised.value
    assert error.message == (
        f"BatchDescribeEntities could not describe {missing} (ResourceNotFoundException)"
    )
    assert error.operation == "BatchDescribeEntities"
    assert error.code == "PMP502"
    assert error.hint == "the marketplace changed while it was read; run the command again"
    assert api.calls.counts.get("DescribeEntity") is None


def test_every_undescribable_entity_is_named_in_the_error() -> None:
    rig = ReaderRig()
    rig.marketplace.seed({"experiences": [{"name": f"E{i}"} for i in range(3)]})
    ids = sorted(list_ids(rig.owner, "Experience"))
    api = rig.connect()
    for entity_id in ids[:2]:
        vanish_on_describe(api, rig, entity_id)

    with pytest.raises(AwsNotFound, match="could not describe") as raised:
        read(api)

    assert str(raised.value) == (
        "BatchDescribeEntities could not describe "
        f"{ids[0]} (ResourceNotFoundException), {ids[1]} (ResourceNotFoundException)"
    )


def test_live_entity_ids_are_those_the_lists_and_experiences_name() -> None:
    rig = ReaderRig()
    rig.marketplace.seed(MIXED)
    state = read(rig.api)
    owner = rig.owner
    read_ids = {e.id for x in state.experiences if x.live for e in x.live.entities()}
    listed = set().union(
        *(
            list_ids(owner, t)
            for t in ("Experience", "Audience", "ProcurementPolicy", "BrandingSettings")
        )
    )
    assert read_ids == listed
