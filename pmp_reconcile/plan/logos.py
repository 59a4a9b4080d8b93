"""Logo URLs in a plan: which to check before apply, and the warnings for what was found.

AWS copies a branding logo when the change set runs and fails the change set when the image
cannot be fetched, is not a png or svg, or is over 500 KB. The caller fetches the URLs this
module names (:func:`logos_to_check`) and hands the findings back as data; nothing here asks.
"""

from __future__ import annotations

from collections.abc import Sequence

from pmp_reconcile.model import Experience, LogoFinding, MarketplaceState
from pmp_reconcile.plan import codes
from pmp_reconcile.plan.match import match_experiences
from pmp_reconcile.plan.values import PlanWarning


def logos_to_check(desired: MarketplaceState, live: MarketplaceState) -> tuple[str, ...]:
    """The logo URLs the plan sends: set in the tree and not already the live logo."""
    pairing = match_experiences(desired.experiences, live.experiences)
    sent = {
        url
        for mine, theirs in pairing.pairs
        if (url := _logo(mine)) is not None and url != _logo(theirs)
    }
    return tuple(sorted(sent))


def _logo(experience: Experience | None) -> str | None:
    if experience is None or experience.branding is None:
        return None
    return experience.branding.logo_url


def logo_warnings(desired: MarketplaceState, findings: Sequence[LogoFinding]) -> list[PlanWarning]:
    """W501 (or W502 when not answered in time) for each experience whose logo has a finding."""
    found = {f.url: f for f in findings}
    return [
        _warning(e, finding)
        for e in desired.experiences
        if (url := _logo(e)) is not None and (finding := found.get(url)) is not None
    ]


def _warning(experience: Experience, finding: LogoFinding) -> PlanWarning:
    code = codes.BAD_LOGO if finding.checked else codes.LOGO_UNCHECKED
    message = f"experience '{experience.key}': logo_url {finding.url} {finding.problem}"
    if finding.checked:
        message += "; AWS copies the logo when the change set runs and would fail it"
    where = str(experience.source) if experience.source else None
    return PlanWarning.of(code, message, experience.key, location=where)
