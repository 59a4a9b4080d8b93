"""The wire protocol: routing, binding, caller mapping and error shapes, through real botocore.

A recording dispatcher stands in for the state here, so these tests pin what the protocol hands
the state and how it writes what comes back, independent of any PMP rule.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pmp_reconcile.sandbox import SandboxSettings, attach, handle, serve
from pmp_reconcile.sandbox.errors import ResourceNotFoundException, ValidationException
from pmp_reconcile.sandbox.protocol import caller_key, route, service_model
from pmp_reconcile.sandbox.server import is_loopback

OWNER = "111122223333"
DELEGATED = "444455556666"
DELEGATED_KEY = "AKIDDELEGATED"

ARN = "arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/Experience/exp-1"


class Recorder:
    """A dispatcher that remembers each call and answers with a canned output or error."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str]] = []
        self.output: dict[str, Any] = {}
        self.error: Exception | None = None

    def dispatch(self, operation: str, params: dict[str, Any], caller: str) -> dict[str, Any]:
        self.calls.append((operation, params, caller))
        if self.error is not None:
            raise self.error
        return self.output


@pytest.fixture
def wired(transport: str, client_factory: Any) -> Iterator[tuple[Recorder, Any]]:
    """A recorder behind a real client, over each transport (delegated key mapped)."""
    make_client = client_factory
    recorder = Recorder()
    settings = SandboxSettings(callers={DELEGATED_KEY: DELEGATED})
    if transport == "http":
        with serve(recorder, settings=settings) as url:
            yield recorder, lambda key="testing": make_client(key, url)
        return
    attachments: list[Any] = []

    def client(key: str = "testing") -> Any:
        made = make_client(key)
        attachments.append(attach(made, recorder, settings))
        return made

    yield recorder, client
    for attachment in attachments:
        attachment.detach()


CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("describe_entity", "DescribeEntity", {"Catalog": "AWSMarketplace", "EntityId": "exp-1"}),
    (
        "describe_change_set",
        "DescribeChangeSet",
        {"Catalog": "AWSMarketplace", "ChangeSetId": "cs1"},
    ),
    ("cancel_change_set", "CancelChangeSet", {"Catalog": "AWSMarketplace", "ChangeSetId": "cs1"}),
    ("list_entities", "ListEntities", {"Catalog": "AWSMarketplace", "EntityType": "Experience"}),
    (
        "list_change_sets",
        "ListChangeSets",
        {"Catalog": "AWSMarketplace", "MaxResults": 5, "Sort": {"SortBy": "StartTime"}},
    ),
    (
        "batch_describe_entities",
        "BatchDescribeEntities",
        {"EntityRequestList": [{"Catalog": "AWSMarketplace", "EntityId": "exp-1"}]},
    ),
    (
        "start_change_set",
        "StartChangeSet",
        {
            "Catalog": "AWSMarketplace",
            "ChangeSet": [
                {
                    "ChangeType": "UpdateExperience",
                    "Entity": {"Type": "Experience@1.0", "Identifier": "exp-1@2"},
                    "DetailsDocument": {"Status": "Enabled"},
                }
            ],
            "ClientRequestToken": "token-1",
        },
    ),
    ("tag_resource", "TagResource", {"ResourceArn": ARN, "Tags": [{"Key": "k", "Value": "v"}]}),
    ("untag_resource", "UntagResource", {"ResourceArn": ARN, "TagKeys": ["k"]}),
    ("list_tags_for_resource", "ListTagsForResource", {"ResourceArn": ARN}),
]


@pytest.mark.parametrize(("method", "operation", "params"), CALLS, ids=[c[1] for c in CALLS])
def test_every_operation_reaches_the_state_with_model_member_names(
    wired: tuple[Recorder, Any], method: str, operation: str, params: dict[str, Any]
) -> None:
    recorder, client = wired
    getattr(client(), method)(**params)
    assert recorder.calls == [(operation, params, OWNER)]


def test_output_is_parsed_by_the_real_client(wired: tuple[Recorder, Any]) -> None:
    recorder, client = wired
    recorder.output = {"ChangeSetId": "cs-1", "ChangeSetArn": "arn:cs-1"}
    reply = client().cancel_change_set(Catalog="AWSMarketplace", ChangeSetId="cs-1")
    assert reply["ChangeSetId"] == "cs-1"
    assert reply["ChangeSetArn"] == "arn:cs-1"
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert reply["ResponseMetadata"]["RequestId"]


def test_a_mapped_access_key_calls_as_its_account(wired: tuple[Recorder, Any]) -> None:
    recorder, client = wired
    client(DELEGATED_KEY).list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    client("AKIDUNKNOWN").list_entities(Catalog="AWSMarketplace", EntityType="Experience")
    assert [caller for _, _, caller in recorder.calls] == [DELEGATED, OWNER]


def test_service_errors_arrive_as_client_errors_with_code_status_message_and_fields(
    wired: tuple[Recorder, Any],
) -> None:
    recorder, client = wired
    field = {"Reason": "FieldValidationFailed", "Field": "Details.Name", "Message": "too long"}
    recorder.error = ValidationException("Name is too long", fields=[field])
    with pytest.raises(ClientError) as raised:
        client().describe_entity(Catalog="AWSMarketplace", EntityId="exp-1")
    response = raised.value.response
    assert response["Error"] == {"Code": "ValidationException", "Message": "Name is too long"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 422
    assert response["ValidationExceptionFieldList"] == [field]  # type: ignore[typeddict-item]


def test_modelled_errors_map_to_the_clients_exception_classes(wired: tuple[Recorder, Any]) -> None:
    recorder, client = wired
    recorder.error = ResourceNotFoundException("no such entity")
    made = client()
    with pytest.raises(made.exceptions.ResourceNotFoundException):
        made.describe_entity(Catalog="AWSMarketplace", EntityId="exp-1")


def test_a_sandbox_bug_answers_as_an_internal_service_error(wired: tuple[Recorder, Any]) -> None:
    recorder, client = wired
    recorder.error = KeyError("boom")
    with pytest.raises(ClientError) as raised:
        client().describe_entity(Catalog="AWSMarketplace", EntityId="exp-1")
    assert raised.value.response["Error"]["Code"] == "InternalServiceException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_every_routed_operation_is_in_the_model() -> None:
    model = service_model()
    for name in model.operation_names:
        http = model.operation_model(name).http
        assert route(http["method"], http["requestUri"]).name == name


def test_unknown_route_is_a_404_with_a_service_shaped_error() -> None:
    reply = handle(Recorder(), "GET", "/NoSuchOperation", "", {}, b"")
    assert reply.status == 404
    assert reply.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert "GET /NoSuchOperation" in json.loads(reply.body)["Message"]


def test_wrong_method_on_a_known_path_is_unknown_too() -> None:
    assert handle(Recorder(), "DELETE", "/DescribeEntity", "", {}, b"").status == 404


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_malformed_body_is_a_400_validation_error(body: bytes) -> None:
    recorder = Recorder()
    reply = handle(recorder, "POST", "/ListEntities", "", {}, body)
    assert reply.status == 400
    assert reply.headers["x-amzn-ErrorType"] == "ValidationException"
    assert json.loads(reply.body)["Message"].startswith("Request body")
    assert recorder.calls == []


def test_query_string_members_bind_by_location_name() -> None:
    recorder = Recorder()
    handle(recorder, "GET", "/DescribeEntity", "catalog=AWSMarketplace&entityId=exp-9", {}, b"")
    assert recorder.calls == [
        ("DescribeEntity", {"Catalog": "AWSMarketplace", "EntityId": "exp-9"}, OWNER)
    ]


def test_the_http_server_answers_raw_requests_like_the_service() -> None:
    with serve(Recorder()) as url:
        request = urllib.request.Request(f"{url}/Nope", method="POST", data=b"{}")
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=5)
    assert raised.value.code == 404
    assert raised.value.headers["x-amzn-ErrorType"] == "UnknownOperationException"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        (
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/aws-marketplace/"
            "aws4_request, SignedHeaders=host, Signature=abc",
            "AKIDEXAMPLE",
        ),
        ("Bearer something", None),
    ],
)
def test_caller_key_reads_the_sigv4_credential(header: str, key: str | None) -> None:
    assert caller_key({"authorization": header}) == key
    assert caller_key({}) is None


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("example.org", False),
    ],
)
def test_only_loopback_hosts_may_be_served(host: str, ok: bool) -> None:
    assert is_loopback(host) is ok
    if not ok:
        with pytest.raises(ValueError, match="loopback"), serve(Recorder(), host=host):
            pass
