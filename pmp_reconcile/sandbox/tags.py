"""Resource tags: TagResource, UntagResource and ListTagsForResource on entities and change sets.

Tags are kept per ARN and merged by key, as the Catalog API documents; an ARN the marketplace
does not know is ResourceNotFoundException.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pmp_reconcile.sandbox.errors import ResourceNotFoundException, ValidationException
from pmp_reconcile.sandbox.validation import check_tags

TagList = list[dict[str, str]]


class Tags:
    """Tags by ARN; ``exists`` says whether the marketplace holds a resource with an ARN."""

    def __init__(self, exists: Callable[[str], bool]) -> None:
        self.exists = exists
        self.by_arn: dict[str, TagList] = {}

    def merge(self, arn: str, tags: TagList) -> None:
        merged = {t["Key"]: t["Value"] for t in self.by_arn.get(arn, [])}
        merged.update({t["Key"]: t["Value"] for t in tags})
        self.by_arn[arn] = [{"Key": k, "Value": v} for k, v in merged.items()]

    def tag_resource(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        arn = self._resource(params)
        check_tags(params.get("Tags"), "Tags", high=50)
        self.merge(arn, params["Tags"])
        return {}

    def untag_resource(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        arn = self._resource(params)
        keys = params.get("TagKeys")
        if not isinstance(keys, list) or not 1 <= len(keys) <= 256:
            raise ValidationException("TagKeys must hold 1-256 keys")
        self.by_arn[arn] = [t for t in self.by_arn.get(arn, []) if t["Key"] not in keys]
        return {}

    def list_tags(self, params: dict[str, Any], _: str) -> dict[str, Any]:
        arn = self._resource(params)
        return {"ResourceArn": arn, "Tags": list(self.by_arn.get(arn, []))}

    def _resource(self, params: dict[str, Any]) -> str:
        arn = params.get("ResourceArn")
        if not isinstance(arn, str):
            raise ValidationException("ResourceArn is required")
        if not self.exists(arn):
            raise ResourceNotFoundException(f"Resource {arn} not found")
        return arn
