"""Sandbox settings: the state options, injected faults and who each access key is.

One plain dataclass tree that round-trips through a JSON-safe dict, so the persistent sandbox
can keep it in ``settings.json`` and the CLI can build it from flags.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, cast

from pmp_reconcile.sandbox.options import Progression, ProgressionMode, StateOptions

#: Documented per-account request rates (requests per second). BatchDescribeEntities has no
#: documented rate; it shares DescribeEntity's figure (and bucket, see ``BUCKET_OF``).
DEFAULT_RATES: dict[str, float] = {
    "ListEntities": 10.0,
    "DescribeEntity": 20.0,
    "StartChangeSet": 5.0,
    "ListChangeSets": 5.0,
    "DescribeChangeSet": 10.0,
    "CancelChangeSet": 5.0,
    "TagResource": 5.0,
    "UntagResource": 5.0,
    "ListTagsForResource": 5.0,
}

#: Operations that draw from another operation's bucket.
BUCKET_OF: dict[str, str] = {"BatchDescribeEntities": "DescribeEntity"}


@dataclass
class FaultSettings:
    """Request-level faults applied by the protocol before the state sees a call."""

    throttle: bool = False
    rates: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    error_rate: float = 0.0
    error_seed: int = 0
    error_operations: list[str] | None = None
    latency: float = 0.0

    def rate_for(self, operation: str) -> tuple[str, float | None]:
        """The bucket name and its rate for ``operation`` (rate None = unlimited)."""
        bucket = BUCKET_OF.get(operation, operation)
        return bucket, self.rates.get(bucket)

    def fails(self, operation: str) -> bool:
        """Whether the error rate applies to ``operation`` at all."""
        if self.error_rate <= 0:
            return False
        return self.error_operations is None or operation in self.error_operations


@dataclass
class SandboxSettings:
    """Everything that shapes one sandbox: state options, faults and the caller mapping.

    ``callers`` maps an access key id (from the SigV4 ``Authorization`` header) to the
    account id the state sees as the caller; unknown or missing keys act as the owner.
    """

    state: StateOptions = field(default_factory=StateOptions)
    faults: FaultSettings = field(default_factory=FaultSettings)
    callers: dict[str, str] = field(default_factory=dict)

    def account_for(self, access_key_id: str | None) -> str:
        """The account id a request signed with ``access_key_id`` acts as."""
        if access_key_id is None:
            return self.state.owner_account_id
        return self.callers.get(access_key_id, self.state.owner_account_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe copy (the inverse of :meth:`from_dict`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SandboxSettings:
        """Build settings from a JSON-safe dict; missing keys keep their defaults.

        Raises ``ValueError`` for unknown keys or wrongly typed sections.
        """
        _check_keys(data, cls, "settings")
        state_data = dict(_section(data, "state"))
        progression = _section(state_data, "progression")
        _check_keys(progression, Progression, "state.progression")
        state_data["progression"] = Progression(**progression)
        _check_keys(state_data, StateOptions, "state")
        faults = _section(data, "faults")
        _check_keys(faults, FaultSettings, "faults")
        callers = data.get("callers", {})
        if not isinstance(callers, dict):
            raise ValueError("settings.callers must be a mapping of access key id to account id")
        return cls(
            state=StateOptions(**state_data),
            faults=FaultSettings(**faults),
            callers={str(k): str(v) for k, v in callers.items()},
        )


def progression(mode: ProgressionMode, describes: int = 2, seconds: float = 1.0) -> Progression:
    """A lifecycle progression (kept here so callers need not import ``state``)."""
    return Progression(mode=mode, describes=describes, seconds=seconds)


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"settings.{key} must be a mapping")
    return cast(dict[str, Any], value)


def _check_keys(data: dict[str, Any], kind: type[Any], where: str) -> None:
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown key(s) in {where}: {', '.join(unknown)}")
