"""The organization the moto fixture builds, with names for its accounts and OUs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Org:
    """The organization moto holds; ``ous[i]`` is the OU at depth i+1 (a chain of five)."""

    client: Any
    organization_id: str
    root_id: str
    management: str
    ous: list[str] = field(default_factory=list)
    side_ou: str = ""
    accounts: dict[str, str] = field(default_factory=dict)

    def account(self, name: str, parent: str) -> str:
        created = self.client.create_account(Email=f"{name}@example.org", AccountName=name)
        account_id = str(created["CreateAccountStatus"]["AccountId"])
        self.client.move_account(
            AccountId=account_id, SourceParentId=self.root_id, DestinationParentId=parent
        )
        self.accounts[name] = account_id
        return account_id
