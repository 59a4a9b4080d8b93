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
        indent, body = block.group(1), block.group()
        items = _plain_items(indent, body) or _items(indent, body)
        name = f"{PLACEHOLDER}{len(runs)}"
        line = text.count("\n", 0, block.start()) + 1
        count = len(items.values) - 1  # the last line stays
        runs[name] = Run(items.values[:-1], array("L", range(line, line + count)), items.columns)
        first = block.start() + items.columns[0] - 1
        pieces += [text[done:first], name, items.first_break, "\n", items.comments]
        done = text.rfind("\n", block.start(), block.end() - 1) + 1
    if not runs:
        return None
    pieces.append(text[done:])
    return Cut("".join(pieces), runs)


@dataclass(frozen=True)
class _Items:
    """A run's lines: each value, its column (all lines but the last), the first line's
    ``\\r`` (empty without one) and the comment lines that replace the lines after it."""

    values: list[str]
    columns: array[int]
    first_break: str
    comments: str


def _plain_items(indent: str, body: str) -> _Items | None:
    """The items of a run written the usual way (``- id`` after the indentation, one space,
    nothing after it, ``\\n`` line breaks), sliced out of its lines; None for any other way.
    Ids hold no spaces, so three searches tell."""
    if "\r" in body or " \n" in body or "-  " in body:
        return None
    prefix = f"{indent}- "
    values = body[len(prefix) : -1].split(f"\n{prefix}")  # ids hold no line break
    count = len(values)
    width = len(prefix)
    return _Items(values, array("L", [width + 1]) * (count - 1), "", f"{indent}#\n" * (count - 2))


def _items(indent: str, body: str) -> _Items:
    """The items of any run, by the item expression."""
    found = _ITEM.findall(body)
    columns = array("L", [len(prefix) + 1 for prefix, _, _ in found[:-1]])
    comments = "".join(f"{indent}#{end}\n" for _, _, end in found[1:-1])
    return _Items([value for _, value, _ in found], columns, found[0][2], comments)
