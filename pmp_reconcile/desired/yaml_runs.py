"""Long lists of plain ids, read by one regular expression instead of one YAML node each.

A tree's product lists can hold thousands of lines like ``    - prod-abc``. Even libyaml makes a
node, two marks and a call to the tag resolver in Python for every one. Here each run of such
lines (same indentation, a plain scalar that resolves to a string) is cut out of the text
before composing: its first line keeps its dash with a placeholder as the item, the lines after
it become comments (so every later line keeps its number), and its last line stays as written.
The walker then puts the run's values and positions where the placeholder is.

That reading is only trusted when libyaml composed every placeholder as a plain item of a
block sequence at the place it was written: the text before each run is unchanged, so the
parser was in the same state there. Anything else (a placeholder swallowed by a quoted or
multi-line scalar, an error anywhere) reads the original text the usual way instead.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from pmp_reconcile.desired.products import DOCUMENTED_SHAPES

#: Product ids (a UUID, prod-… or prodview-…): always a string to YAML, as no implicit tag
#: (bool, null, int, float, timestamp, merge, value) matches a word of these shapes.
_WORD = DOCUMENTED_SHAPES
#: Shorter lists are not worth cutting out.
MIN_RUN = 16
#: ``MIN_RUN`` or more list items in a row, one indentation, each a product id written plain,
#: each line ended by a line break.
_BLOCK = re.compile(
    rf"^( *)- +{_WORD} *\r?\n(?:\1- +{_WORD} *\r?\n){{{MIN_RUN - 1},}}", re.MULTILINE
)
_ITEM = re.compile(rf"^( *- +)({_WORD}) *(\r?)$", re.MULTILINE)
PLACEHOLDER = "pmpreconcilerun"


@dataclass(frozen=True)
class Run:
    """The values of one run and where each is written (1-based lines and columns)."""

    values: list[str]
    lines: array[int]
    columns: array[int]


@dataclass(frozen=True)
class Cut:
    """The text with its runs cut out, and each run by its placeholder."""

    text: str
    runs: dict[str, Run]


def cut_runs(text: str) -> Cut | None:
    """The text with its long runs of product ids cut out; None when there are none to cut."""
    if PLACEHOLDER in text:
        return None
    runs: dict[str, Run] = {}
    pieces: list[str] = []
    done = 0
    for block in _BLOCK.finditer(text):
        items = _ITEM.findall(block.group())
        values = [value for _, value, _ in items]
        name = f"{PLACEHOLDER}{len(runs)}"
        line = text.count("\n", 0, block.start()) + 1
        runs[name] = _run(values[:-1], items[:-1], line)
        indent, breaks = block.group(1), [end for _, _, end in items]
        first = block.start() + len(items[0][0])
        pieces += [text[done:first], name, breaks[0], "\n"]
        pieces += [f"{indent}#{end}\n" for end in breaks[1:-1]]
        done = text.rfind("\n", block.start(), block.end() - 1) + 1  # the last line stays
    if not runs:
        return None
    pieces.append(text[done:])
    return Cut("".join(pieces), runs)


def _run(values: list[str], items: list[tuple[str, str, str]], line: int) -> Run:
    return Run(
        values=values,
        lines=array("L", range(line, line + len(values))),
        columns=array("L", [len(prefix) + 1 for prefix, _, _ in items]),
    )
