"""A small writer of mermaid flowcharts: safe labels, short node ids, styles by class.

GitHub renders mermaid in comments and markdown files; the diagrams of the organization are
written through this one writer so labels never break the syntax (quotes, angle brackets and
ampersands become mermaid's entity codes) and every diagram is styled the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Colours from GitHub's light palette, readable on the dark theme too (dark text, pale fill).
STYLES: Mapping[str, str] = {
    "ungoverned": "fill:#fff8c5,stroke:#9a6700,stroke-width:3px,color:#1f2328",
    "newly_governed": "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
    "loses": "fill:#ffebe9,stroke:#cf222e,color:#1f2328",
    "gains": "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
    "gains_and_loses": "fill:#fbefff,stroke:#8250df,color:#1f2328",
    "moves": "fill:#f6f8fa,stroke:#57606a,color:#1f2328",
    "associated": "fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#1f2328",
    "inherits": "fill:#ffffff,stroke:#8c959f,color:#1f2328",
    "context": "fill:#f6f8fa,stroke:#d0d7de,color:#57606a",
    "untouched": "fill:#ffffff,stroke:#d0d7de,stroke-dasharray:4 3,color:#57606a",
}
_ESCAPES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "\n": " "}


def escape(text: str) -> str:
    """``text`` as it may stand inside a quoted mermaid label."""
    return "".join(_ESCAPES.get(char, char) for char in text)


@dataclass
class Flowchart:
    """Nodes and edges added in order; ``text()`` writes the chart (``TD``: top-down, ``LR``)."""

    direction: str = "TD"
    lines: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)
    _ids: dict[str, str] = field(default_factory=dict)

    def node(self, key: str, label_lines: list[str], style: str) -> str:
        """Add a node once (by ``key``); its label lines are joined by line breaks."""
        if key not in self._ids:
            self._ids[key] = f"n{len(self._ids)}"
            label = "<br/>".join(escape(line) for line in label_lines)
            self.lines.append(f'  {self._ids[key]}["{label}"]')
            self.classes.setdefault(style, []).append(self._ids[key])
        return self._ids[key]

    def edge(self, parent: str, child: str, dashed: bool = False) -> None:
        arrow = "-.-" if dashed else "---"
        self.lines.append(f"  {self._ids[parent]} {arrow} {self._ids[child]}")

    def __len__(self) -> int:
        return len(self._ids)

    def text(self) -> str:
        styles = [f"  classDef {name} {STYLES[name]}" for name in STYLES if name in self.classes]
        members = [f"  class {','.join(ids)} {name}" for name, ids in self.classes.items()]
        return "\n".join([f"flowchart {self.direction}", *self.lines, *styles, *members]) + "\n"


def fenced(chart: str) -> str:
    """The chart as a markdown code block GitHub draws."""
    return f"```mermaid\n{chart}```\n"
