"""What must change for one experience: set arithmetic between desired and live values.

The result, :class:`ExperienceDiff`, says *what* differs; ``pack`` decides how it is sent and
``actions`` how it is explained. ``principals`` and ``products.allow`` are the whole truth;
``products.deny`` ensures a denial; texts (``description``) and ``branding`` left out mean
"as live".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from pmp_reconcile.catalog.vocabulary import BRANDING_FIELDS
from pmp_reconcile.model import EXPERIENCE_TEXTS, Branding, Experience, RequestPolicy, Status


@dataclass(frozen=True)
class ExperienceDiff:
    """Differences for one experience. ``live`` is None when it must be created."""

    key: str
    desired: Experience | None
    live: Experience | None
    rename: str | None = None
    texts: tuple[tuple[str, str], ...] = ()
    status: Status | None = None
    archive: bool = False
    revive: bool = False
    create_policy: RequestPolicy | None = None
    set_requests: RequestPolicy | None = None
    branding: dict[str, str | None] | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    associate: tuple[str, ...] = ()
    disassociate: tuple[str, ...] = ()
    moving_out: frozenset[str] = field(default_factory=frozenset)
    moving_to: tuple[tuple[str, str], ...] = ()
    frozen: bool = False

    @property
    def creates(self) -> bool:
        return self.live is None

    @property
    def name(self) -> str:
        source = self.desired or self.live
        assert source is not None
        return self.rename or source.name

    @property
    def identifier(self) -> str | None:
        return self.live.id if self.live else None

    def is_empty(self) -> bool:
        values = (self.rename, self.status)
        policy = (self.create_policy, self.set_requests, self.branding)
        lists = (self.texts, self.allow, self.deny, self.associate, self.disassociate)
        flags = (self.creates, self.archive, self.revive)
        return all(v is None for v in values + policy) and not any(lists) and not any(flags)


def diff_experience(desired: Experience, live: Experience | None) -> ExperienceDiff:
    """The differences that bring ``live`` to ``desired`` (``key`` is the file stem)."""
    key = desired.key or desired.name
    if live is None:
        return _creation(key, desired)
    if desired.archived and live.archived:
        return ExperienceDiff(key=key, desired=desired, live=live, frozen=True)
    return ExperienceDiff(
        key=key,
        desired=desired,
        live=live,
        rename=desired.name if desired.name != live.name else None,
        texts=_texts(desired, live),
        status=_target_status(desired, live),
        archive=desired.archived and not live.archived,
        revive=live.archived and not desired.archived,
        create_policy=_policy_to_create(desired, live),
        set_requests=_requests_to_set(desired, live),
        branding=_branding_change(desired.branding, live.branding),
        allow=tuple(sorted(desired.allowed - live.allowed)),
        deny=tuple(sorted(_to_deny(desired, live))),
        associate=tuple(sorted(desired.principals - live.principals)),
        disassociate=tuple(sorted(live.principals - desired.principals)),
    )


def diff_unmanaged(live: Experience, archive: bool) -> ExperienceDiff:
    """A live experience with no file: archived on request, otherwise left alone."""
    key = live.id or live.name
    if not archive or live.archived:
        return ExperienceDiff(key=key, desired=None, live=live)
    status = Status.DISABLED if live.status is Status.ENABLED else None
    return ExperienceDiff(key=key, desired=None, live=live, status=status, archive=True)


def with_moves_out(diff: ExperienceDiff, destinations: Mapping[str, str]) -> ExperienceDiff:
    """Mark principals that leave for another experience (their disassociation goes first);
    ``destinations`` maps each to the key of the experience it joins."""
    principals = frozenset(destinations)
    leaving = frozenset(diff.disassociate) | principals
    return replace(
        diff,
        disassociate=tuple(sorted(leaving)),
        moving_out=principals,
        moving_to=tuple(sorted(destinations.items())),
        frozen=False,
    )


def _creation(key: str, desired: Experience) -> ExperienceDiff:
    enabled = desired.status is Status.ENABLED
    return ExperienceDiff(
        key=key,
        desired=desired,
        live=None,
        texts=_texts(desired, None),
        status=Status.ENABLED if enabled else None,
        archive=desired.archived,
        create_policy=desired.software_requests or RequestPolicy.ALLOW,
        branding=_branding_change(desired.branding, None),
        allow=tuple(sorted(desired.allowed)),
        deny=tuple(sorted(desired.denied)),
        associate=tuple(sorted(desired.principals)),
    )


def _texts(desired: Experience, live: Experience | None) -> tuple[tuple[str, str], ...]:
    """The texts the file sets and live differs from (all it sets, for a new experience)."""
    return tuple(
        (field, value)
        for field in EXPERIENCE_TEXTS
        if (value := getattr(desired, field)) is not None
        and (live is None or value != getattr(live, field))
    )


def _target_status(desired: Experience, live: Experience) -> Status | None:
    target = Status.DISABLED if desired.archived else desired.status
    return target if target is not live.status else None


def _policy_to_create(desired: Experience, live: Experience) -> RequestPolicy | None:
    if live.has_procurement_policy:
        return None
    return desired.software_requests or RequestPolicy.ALLOW


def _requests_to_set(desired: Experience, live: Experience) -> RequestPolicy | None:
    if not live.has_procurement_policy or desired.software_requests is None:
        return None
    return (
        desired.software_requests if desired.software_requests != live.software_requests else None
    )


def _to_deny(desired: Experience, live: Experience) -> frozenset[str]:
    no_longer_allowed = live.allowed - desired.allowed
    explicitly_denied = desired.denied - live.denied
    return no_longer_allowed | explicitly_denied


def _branding_change(
    desired: Branding | None, live: Branding | None
) -> dict[str, str | None] | None:
    """The full configuration to send, or None when nothing differs.

    Fields the file leaves out keep their live value in what is sent, so the result is right
    whether the API merges or replaces the configuration.
    """
    if desired is None:
        return None
    wanted = {a: getattr(desired, a) for a in BRANDING_FIELDS}
    current = {a: getattr(live, a) if live else None for a in BRANDING_FIELDS}
    differs = any(v is not None and v != current[a] for a, v in wanted.items())
    if live is not None and not differs:
        return None
    return {a: wanted[a] if wanted[a] is not None else current[a] for a in BRANDING_FIELDS}


def unsent_notes(desired: Experience, live: Experience) -> tuple[str, ...]:
    """Products decided the same way in both whose note the file changes.

    A note travels only inside an Allow or Deny change, and AWS documents no way to change the
    note of a decision already made (re-sending the decision is not documented to update it),
    so these are reported, not planned.
    """
    # The file's notes, not every product: a large list may hold thousands, noted or not.
    return tuple(
        sorted(
            product
            for product, note in desired.notes.items()
            if note != live.notes.get(product)
            and (
                (product in desired.allowed and product in live.allowed)
                or (product in desired.denied and product in live.denied)
            )
        )
    )
