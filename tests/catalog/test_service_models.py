"""One loader of botocore's models serves every client, checking only the service asked for."""

from __future__ import annotations

import os

import pytest
from botocore.exceptions import UnknownServiceError

from pmp_reconcile.catalog.client import ConnectionOptions, make_client
from pmp_reconcile.catalog.service_models import shared_loader

SANDBOX = ConnectionOptions(endpoint_url="http://127.0.0.1:9", credentials=("k", "s"))


def test_a_service_with_a_model_is_found_and_one_without_is_not() -> None:
    services = shared_loader(None).list_available_services("service-2")
    assert "marketplace-catalog" in services
    assert "organizations" in services
    assert "no-such-service" not in services
    assert 3 not in services


def test_an_unknown_service_is_refused_with_botocore_s_list_of_services() -> None:
    with pytest.raises(UnknownServiceError) as raised:
        make_client("no-such-service", SANDBOX)
    assert "marketplace-catalog" in str(raised.value)


def test_clients_share_the_loader_and_so_the_models_it_parsed() -> None:
    catalog = make_client("marketplace-catalog", SANDBOX)
    again = make_client("marketplace-catalog", SANDBOX)
    assert catalog.meta.service_model.service_name == "marketplace-catalog"
    assert catalog._loader is again._loader is shared_loader(None)


def test_aws_data_path_is_searched_first_as_botocore_searches_it() -> None:
    loader = shared_loader(os.pathsep.join(["/models/one", "~/models/two"]))
    paths = loader.search_paths
    assert paths[:2] == ["/models/one", os.path.expanduser("~/models/two")]
    assert paths[2:] == [loader.CUSTOMER_DATA_PATH, loader.BUILTIN_DATA_PATH]
