"""Where the organization tree comes from: AWS Organizations, or a JSON file (``--org-file``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pmp_reconcile.catalog.client import ConnectionOptions, Transport
from pmp_reconcile.catalog.rate import unlimited
from pmp_reconcile.org.reader import OrganizationsReader, organizations_client
from pmp_reconcile.org.tree import OrgTree, load_tree_file

# Given the accounts/OUs asked about, a tree holding at least them (empty = the whole tree).
OrgSource = Callable[[Sequence[str]], OrgTree]


def org_source(
    connection: ConnectionOptions, org_file: Path | None, transport: Transport | None = None
) -> OrgSource:
    """A file's tree when one is given, else a reader on the caller's organization.

    ``transport`` answers the calls in process (the sandbox's organization), which has no
    service quota to keep under: its reads are not paced.
    """
    if org_file is not None:
        path = org_file
        return lambda node_ids: load_tree_file(path)
    reader_box: list[OrganizationsReader] = []

    def read(node_ids: Sequence[str]) -> OrgTree:
        if not reader_box:
            reader_box.append(organizations_reader(connection, transport))
        reader = reader_box[0]
        return reader.tree_for(node_ids) if node_ids else reader.whole_tree()

    return read


def organizations_reader(
    connection: ConnectionOptions, transport: Transport | None = None
) -> OrganizationsReader:
    """A reader paced for AWS, or unpaced when ``transport`` answers in process."""
    client = organizations_client(connection, transport)
    if transport is None:
        return OrganizationsReader(client)
    return OrganizationsReader(client, limiter=unlimited())
