"""libyaml's safe loader, with PyYAML's tag resolution done once per first character.

With libyaml composing, what remains slow is PyYAML resolving every plain scalar's tag in
Python, trying the patterns for its first character one by one (three for a product id that
starts with a digit). Here they are joined once into one pattern per first character: each is
anchored at both ends and they are tried in their order, so the first that matches wins, as
before. SafeLoader has no path resolvers, so a scalar that matches none is a string, exactly
as in :meth:`yaml.resolver.BaseResolver.resolve`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml


def libyaml_loader() -> Any:
    """libyaml's safe loader with the quicker resolver, or None without libyaml."""
    base = getattr(yaml, "CSafeLoader", None)
    if base is None or base.yaml_path_resolvers:
        return base
    implicit = base.yaml_implicit_resolvers
    wildcard = list(implicit.get(None, []))
    table = {first: _Candidates([*found, *wildcard]) for first, found in implicit.items()}
    other = _Candidates(wildcard)

    def resolve(self: Any, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return base.resolve(self, kind, value, implicit)  # type: ignore[no-any-return]
        if implicit[0]:
            tag = table.get(value[:1], other).match(value)
            if tag is not None:
                return tag
        return base.DEFAULT_SCALAR_TAG  # type: ignore[no-any-return]

    return type("LibyamlSafeLoader", (base,), {"resolve": resolve})


class _Candidates:
    """The implicit tags a plain scalar may have, tried in order; one pattern when it can be,
    compiled when a scalar first needs it (most first characters never come up)."""

    def __init__(self, resolvers: list[tuple[str, re.Pattern[str]]]) -> None:
        self.resolvers = resolvers
        self.tags = [tag for tag, _ in resolvers]

    @functools.cached_property
    def joined(self) -> re.Pattern[str] | None:
        flags = {pattern.flags for _, pattern in self.resolvers}
        if len(flags) != 1 or any(pattern.groups for _, pattern in self.resolvers):
            return None
        alternatives = (f"(?P<t{i}>{p.pattern})" for i, (_, p) in enumerate(self.resolvers))
        return re.compile("|".join(alternatives), flags.pop())

    def match(self, value: str) -> str | None:
        if self.joined is None:
            return next((tag for tag, pattern in self.resolvers if pattern.match(value)), None)
        found = self.joined.match(value)  # each alternative is anchored at both ends
        return None if found is None else self.tags[int(str(found.lastgroup)[1:])]
