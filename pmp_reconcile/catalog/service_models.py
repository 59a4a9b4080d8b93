"""botocore's loader of service models, shared by every client a command makes.

To find one service's model botocore first lists every service it has a model for (about 450
directories and 900 more listings, 40 ms at every start) only to check that the name is
among them. This loader checks the one name asked for, and as one loader serves every
client of the process, a second client (Discovery beside the Catalog API) reuses the models
and endpoint data the first one parsed. What it finds is what botocore's own loader finds:
the same search paths (``AWS_DATA_PATH`` included), files and versions.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator

from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader


class _ServicesWithModel:
    """The services that have a model of one type, as botocore's loader asks about them:
    membership checks the one name; iterating (for an unknown service's message) lists all."""

    def __init__(self, loader: Loader, type_name: str) -> None:
        self._loader = loader
        self._type_name = type_name

    def __contains__(self, service: object) -> bool:
        if not isinstance(service, str):
            return False
        try:
            return bool(self._loader.list_api_versions(service, self._type_name))
        except DataNotFoundError:
            return False

    def __iter__(self) -> Iterator[str]:
        return iter(Loader.list_available_services(self._loader, self._type_name))


class _OneServiceLoader(Loader):
    def list_available_services(self, type_name: str) -> _ServicesWithModel:  # type: ignore[override]
        return _ServicesWithModel(self, type_name)


@functools.cache
def shared_loader(data_path: str | None) -> Loader:
    """The loader for the search path ``data_path`` (``AWS_DATA_PATH``), made once; its
    paths are read as botocore's ``create_loader`` reads them."""
    if data_path is None:
        return _OneServiceLoader()
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in data_path.split(os.pathsep)]
    return _OneServiceLoader(extra_search_paths=paths)
